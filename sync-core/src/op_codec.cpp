#include "fieldsync/core/op_codec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/limits.h"
#include "value_checks.h"

namespace fieldsync {
namespace {

constexpr std::array<std::string_view, 11> kMembers = {
    "op_id",  "device_id", "user_id",      "entity",         "id",          "kind",
    "fields", "hlc",       "base_version", "schema_version", "workflow_gen"};

// Compact serialised size; invalid UTF-8 is counted as replaced rather than thrown on.
std::size_t serialised_size(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace).size();
}

// `text` in quotes for a message, cut short so hostile input cannot bloat errors.
std::string quote(std::string_view text) {
  constexpr std::size_t kMaxQuoted = 80;
  if (text.size() <= kMaxQuoted) return "\"" + std::string(text) + "\"";
  std::size_t cut = kMaxQuoted;  // not inside a UTF-8 sequence: messages stay valid UTF-8
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(text.substr(0, cut)) + "...\"";
}

std::string summary(const std::vector<Problem>& problems) {
  constexpr std::size_t kShown = 5;
  std::string text = "malformed op (" + std::to_string(problems.size()) +
                     (problems.size() == 1 ? " problem): " : " problems): ");
  for (std::size_t i = 0; i < problems.size() && i < kShown; ++i) {
    if (i > 0) text += "; ";
    text += (problems[i].field.empty() ? std::string("op") : problems[i].field) + ": " +
            problems[i].message;
  }
  if (problems.size() > kShown)
    text += "; and " + std::to_string(problems.size() - kShown) + " more";
  return text;
}

// Decodes one document, collecting every problem instead of stopping at the first.
class Decoder {
 public:
  explicit Decoder(const Json& doc) : doc_(doc) {}

  Op run() {
    if (!doc_.is_object()) {
      add("", "not_object", std::string("an op must be a JSON object, not ") + doc_.type_name());
      fail();
    }
    uuid("op_id", op_.op_id);
    uuid("device_id", op_.device_id);
    uuid("user_id", op_.user_id);
    entity();
    uuid("id", op_.id);
    const bool kind_ok = kind();
    hlc();
    if (auto v = integer("base_version"); v && non_negative("base_version", *v))
      op_.base_version = *v;
    schema_version();
    if (auto v = integer("workflow_gen"); v && non_negative("workflow_gen", *v))
      op_.workflow_gen = *v;
    for (const auto& [key, value] : doc_.items()) {
      if (std::find(kMembers.begin(), kMembers.end(), key) == kMembers.end())
        add(key, "unknown_member", quote(key) + " is not a member of an op");
    }
    fields(kind_ok);
    whole_size();
    if (!problems_.empty()) fail();
    op_.fields = doc_.at("fields");  // copied only once known to be shallow enough
    return std::move(op_);
  }

 private:
  void add(std::string field, const char* code, std::string message) {
    problems_.push_back({std::move(field), code, std::move(message)});
  }

  [[noreturn]] void fail() {
    std::string code = problems_.front().code;
    std::string text = summary(problems_);
    throw Error(ErrorDomain::codec, std::move(code), std::move(text), std::move(problems_));
  }

  // The member `name`, or nullptr after recording missing / null_member.
  const Json* member(const char* name) {
    auto it = doc_.find(name);
    if (it == doc_.end()) {
      add(name, "missing", std::string("\"") + name + "\" is required");
      return nullptr;
    }
    if (it->is_null()) {
      add(name, "null_member", std::string("\"") + name + "\" must not be null");
      return nullptr;
    }
    return &*it;
  }

  // The member `name` as a string, or nullptr after recording a problem.
  const std::string* string(const char* name) {
    const Json* v = member(name);
    if (!v) return nullptr;
    if (!v->is_string()) {
      add(name, "wrong_type", std::string("must be a string, not ") + v->type_name());
      return nullptr;
    }
    return v->get_ptr<const std::string*>();
  }

  void uuid(const char* name, std::string& out) {
    const std::string* s = string(name);
    if (!s) return;
    if (!detail::is_canonical_uuid(*s)) {
      add(name, "invalid_uuid", quote(*s) + " is not a lower-case canonical UUID");
      return;
    }
    out = *s;
  }

  void entity() {
    const std::string* s = string("entity");
    if (!s) return;
    if (s->empty()) {
      add("entity", "empty", "must name an entity");
    } else if (!detail::is_identifier(*s)) {
      add("entity", "bad_entity_name",
          quote(*s) + " is not a lower_snake_case entity name (a-z first, at most " +
              std::to_string(kMaxNameLength) + " characters)");
    } else {
      op_.entity = *s;
    }
  }

  bool kind() {
    const std::string* s = string("kind");
    if (!s) return false;
    auto k = op_kind_from_string(*s);
    if (!k) {
      add("kind", "unknown_kind",
          quote(*s) + " is not one of create, update, delete, reopen, resolve");
      return false;
    }
    op_.kind = *k;
    return true;
  }

  void hlc() {
    const std::string* s = string("hlc");
    if (!s) return;
    auto stamp = Hlc::parse(*s);
    if (!stamp) {
      add("hlc", "invalid_hlc", quote(*s) + " is not an HLC stamp (13 digits, '-', 4 hex digits)");
      return;
    }
    op_.hlc = *stamp;
  }

  std::optional<std::int64_t> integer(const char* name) {
    const Json* v = member(name);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
      add(name, "wrong_type",
          std::string("must be an integer, not ") +
              (v->is_number_float() ? "a fraction" : v->type_name()));
      return std::nullopt;
    }
    if (v->is_number_unsigned() &&
        v->get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      add(name, "out_of_range", "is beyond the 64-bit signed integer range");
      return std::nullopt;
    }
    return v->get<std::int64_t>();
  }

  bool non_negative(const char* name, std::int64_t value) {
    if (value >= 0) return true;
    add(name, "negative", "must be 0 or more, not " + std::to_string(value));
    return false;
  }

  void schema_version() {
    auto v = integer("schema_version");
    if (!v) return;
    if (*v < 1) {
      add("schema_version", "bad_schema_version", "must be 1 or more, not " + std::to_string(*v));
    } else if (*v > std::numeric_limits<int>::max()) {
      add("schema_version", "out_of_range", "is beyond the supported range");
    } else {
      op_.schema_version = static_cast<int>(*v);
    }
  }

  void fields(bool kind_ok) {
    const Json* f = member("fields");
    if (!f) return;
    if (!f->is_object()) {
      add("fields", "fields_not_object", std::string("must be an object, not ") + f->type_name());
      return;
    }
    if (f->size() > kMaxFieldsPerOp) {
      add("fields", "too_many_fields",
          std::to_string(f->size()) + " fields, at most " + std::to_string(kMaxFieldsPerOp));
      skip_whole_size_ = true;
      return;  // not looked at further: bounded work for hostile input
    }
    if (kind_ok) {
      if (op_.kind == OpKind::remove && !f->empty())
        add("fields", "fields_forbidden", "a delete op carries no fields");
      if (op_.kind != OpKind::remove && f->empty())
        add("fields", "fields_required",
            "a " + std::string(to_string(op_.kind)) + " op must carry at least one field");
    }
    for (const auto& [name, value] : f->items()) {
      const std::string path = "fields." + name;
      if (!detail::is_identifier(name))
        add(path, "bad_field_name", quote(name) + " is not a lower_snake_case field name");
      if (detail::json_depth(value, kMaxDepth) > kMaxDepth) {
        add(path, "too_deep", "nests arrays/objects deeper than " + std::to_string(kMaxDepth));
        skip_whole_size_ = true;  // serialising it would recurse too deep
        continue;
      }
      if (const std::size_t size = serialised_size(value); size > kMaxOpBytes) {
        add(path, "too_large",
            "value is " + std::to_string(size) + " bytes, at most " + std::to_string(kMaxOpBytes));
        skip_whole_size_ = true;  // the op is too large because of this field: said once
      }
    }
  }

  // The whole op's size, checked only when every part is shallow enough to serialise
  // and no single field was already found too large.
  void whole_size() {
    if (skip_whole_size_) return;
    if (detail::json_depth(doc_, kMaxDepth + 2) > kMaxDepth + 2) return;  // reported elsewhere
    if (const std::size_t size = serialised_size(doc_); size > kMaxOpBytes)
      add("", "too_large",
          "op is " + std::to_string(size) + " bytes, at most " + std::to_string(kMaxOpBytes));
  }

  const Json& doc_;
  Op op_;
  std::vector<Problem> problems_;
  bool skip_whole_size_ = false;
};

[[noreturn]] void refuse_text(const char* code, std::string field, const std::string& message) {
  throw Error(ErrorDomain::codec, code, "malformed op: " + message,
              {{std::move(field), code, message}});
}

}  // namespace

Json encode_op(const Op& op) {
  Json doc = Json::object();
  doc["op_id"] = op.op_id;
  doc["device_id"] = op.device_id;
  doc["user_id"] = op.user_id;
  doc["entity"] = op.entity;
  doc["id"] = op.id;
  doc["kind"] = std::string(to_string(op.kind));
  doc["fields"] = op.fields;
  doc["hlc"] = op.hlc.to_string();
  doc["base_version"] = op.base_version;
  doc["schema_version"] = op.schema_version;
  doc["workflow_gen"] = op.workflow_gen;
  return doc;
}

Op decode_op(const Json& doc) {
  return Decoder(doc).run();
}

Op decode_op_text(std::string_view text) {
  if (text.size() > kMaxOpBytes)
    refuse_text("too_large", "",
                "op text is " + std::to_string(text.size()) + " bytes, at most " +
                    std::to_string(kMaxOpBytes));
  // Repeated member names are ambiguous (parsers disagree on which wins), so refuse them.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  std::size_t duplicate_depth = 0;
  auto watch = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start: open_objects.emplace_back(); break;
      case Json::parse_event_t::object_end:
        if (!open_objects.empty()) open_objects.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!open_objects.empty() &&
            !open_objects.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
          duplicate = parsed.get<std::string>();
          duplicate_depth = open_objects.size();
        }
        break;
      default: break;
    }
    return true;
  };
  Json doc;
  try {
    doc = Json::parse(text.begin(), text.end(), watch, /*allow_exceptions=*/true);
  } catch (const Json::exception& e) {
    refuse_text("invalid_json", "", std::string("not valid JSON: ") + e.what());
  }
  if (!duplicate.empty())
    refuse_text("duplicate_member", duplicate_depth == 1 ? duplicate : std::string(),
                "member " + quote(duplicate) + " appears more than once in one object");
  return decode_op(doc);
}

}  // namespace fieldsync
