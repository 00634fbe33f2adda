#include "bad_input_world.h"

#include <doctest/doctest.h>

#include "bad_input_ledger.h"
#include "store_checksum.h"

namespace fieldsync::testing {

BadInputWorld::BadInputWorld(std::vector<std::string> serve_args)
    : world_({kLeaderA, kLeaderB, kOffice}, std::move(serve_args)),
      a_(world_.login("leader_a")),
      b_(world_.login("leader_b")) {}

std::string BadInputWorld::checksum() {
  return store_checksum(world_.server().data_dir() / "fieldsync.db");
}

json BadInputWorld::body_of(const std::vector<json>& ops) {
  return {{"cursor", 0}, {"ops", ops}};
}

json BadInputWorld::good_case(const Device& device) {
  return encode_op(world_.create_case(device, world_.new_id(), device.unit_id));
}

HttpResult BadInputWorld::refused(const std::string& kind, const std::function<HttpResult()>& send,
                                  long status, const std::string& code) {
  INFO("bad input: ", kind);
  const std::string before = checksum();
  const HttpResult result = send();
  ApiWorld::check_error(result, status, code);
  CHECK_MESSAGE(checksum() == before, "the store changed");
  BadInputLedger::instance().record(kind);
  return result;
}

json BadInputWorld::rejected(const std::string& kind, const Device& device,
                             const std::vector<json>& ops, std::size_t index,
                             const std::string& field, const std::string& code) {
  INFO("bad input: ", kind);
  const std::string before = checksum();
  const HttpResult result = world_.push_raw(device, body_of(ops));
  INFO("answer: ", result.status, " ", result.body);
  REQUIRE(result.status == 200);
  const json results = result.json().at("results");
  REQUIRE(results.size() == ops.size());
  const json answer = results[index];
  CHECK(answer["status"] == "rejected");
  CHECK(problem_at(answer, field)["code"] == code);
  CHECK_MESSAGE(checksum() == before, "the store changed");
  BadInputLedger::instance().record(kind);
  return answer;
}

json problem_at(const json& answer, const std::string& field) {
  if (!answer.is_object()) return json();
  for (const auto& p : answer.value("problems", json::array()))
    if (p.value("field", "") == field) return p;
  return json();
}

}  // namespace fieldsync::testing
