#include "fieldsync/server/json_body.h"

#include <set>
#include <string>
#include <vector>

#include "fieldsync/core/error.h"

namespace fieldsync::server {

Json parse_json_body(std::string_view text) {
  std::vector<std::set<std::string>> open_objects;  // member names of each object being read
  std::string repeated;
  auto watch = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!open_objects.empty() &&
            !open_objects.back().insert(parsed.get<std::string>()).second && repeated.empty())
          repeated = parsed.get<std::string>();
        break;
      default: break;
    }
    return true;
  };
  Json body = Json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/false);
  if (body.is_discarded())
    throw Error(ErrorDomain::protocol, "invalid_json", "the request body is not valid JSON");
  if (!repeated.empty()) {
    constexpr std::size_t kShown = 64;
    const std::string name = repeated.size() <= kShown ? repeated : repeated.substr(0, kShown);
    throw Error(ErrorDomain::protocol, "duplicate_member",
                "the member name \"" + name + "\" appears twice in one object");
  }
  return body;
}

}  // namespace fieldsync::server
