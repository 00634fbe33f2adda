#pragma once
// A sync fixture whose server clock reads 2026-11-26T12:00:00Z, with a ReviewService over its
// store and helpers to write cases and urgent reports, for the review and stamping tests.
#include <algorithm>
#include <functional>
#include <map>

#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/error.h"
#include "fieldsync/server/review_service.h"
#include "sync_fixture.h"

namespace fieldsync::server::testing {

inline constexpr std::int64_t kTwoHours = 2 * 60 * 60 * 1000;
// The server's clock in these tests: 2026-11-26T12:00:00Z.
inline const std::int64_t kNoon = domain::timestamp_ms("2026-11-26T12:00:00Z").value();

struct ReviewFixture : SyncFixture {
  ReviewService review{db, wall, kTwoHours};
  ReviewFixture() { wall.set(kNoon); }

  // The plant's office, signed in at the plant.
  Access office() const {
    Access o = SyncFixture::office();
    o.unit_id = kPlant;
    return o;
  }

  Op case_at(const Access& who, const std::string& id, const std::string& unit,
             const std::string& received_at, Json extra = Json::object()) {
    Op o = new_case(who, id, unit);
    o.fields["received_at"] = received_at;
    for (auto& [k, v] : extra.items()) o.fields[k] = v;
    return o;
  }
  Op report(const Access& who, const std::string& id, const std::string& unit,
            const std::string& case_id, const std::string& known_at) {
    Json fields = {{"unit_id", unit},
                   {"kind", "collective_visit"},
                   {"known_at", known_at},
                   {"summary", "a group of retirees at the gate"}};
    if (!case_id.empty()) fields["case_id"] = case_id;
    return op(who, OpKind::create, "urgent_report", id, fields);
  }
  Row row(const std::string& entity, const std::string& id) {
    return sqlite::RowStore(db, real_model()).find(entity, id).value();
  }
  std::vector<std::string> ids(const Json& page) {
    std::vector<std::string> out;
    for (const auto& c : page["cases"]) out.push_back(c["id"].get<std::string>());
    return out;
  }
  std::vector<std::string> list(const Access& who, std::map<std::string, std::string> query) {
    return ids(review.list_cases(who, query));
  }
};

inline std::string code_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.code();
  }
  return "no error";
}

inline const std::string kCase1 = test_id("review-case-1");
inline const std::string kCase2 = test_id("review-case-2");
inline const std::string kCase3 = test_id("review-case-3");
inline const std::string kCaseB = test_id("review-case-b");

}  // namespace fieldsync::server::testing
