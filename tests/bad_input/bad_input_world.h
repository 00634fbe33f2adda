#pragma once
// A served store for bad-input tests (tests/integration's ApiWorld: Plant, Unit A, Unit B,
// Team A1; leader_a and leader_b signed in, office at the plant) with checks that send one bad
// request, compare its answer with the documented one and compare the store's checksum before
// and after. Each check is recorded in the BadInputLedger under its kind.
#include <functional>
#include <string>
#include <vector>

#include "../integration/api_world.h"

namespace fieldsync::testing {

class BadInputWorld {
 public:
  explicit BadInputWorld(std::vector<std::string> serve_args = {});

  ApiWorld& api() { return world_; }
  HttpClient& http() { return world_.http(); }
  std::string url(const std::string& path) const { return world_.url(path); }
  std::string checksum();

  const Device& a() const { return a_; }  // leader_a, Unit A
  const Device& b() const { return b_; }  // leader_b, Unit B

  // A push body {"cursor": 0, "ops": [...]} of these ops.
  static json body_of(const std::vector<json>& ops);
  // A well-formed case create by `device` in its own unit, in wire form.
  json good_case(const Device& device);

  // Sends `send()`, CHECKs status, content type, {"error": {code, message}} and that the
  // store's checksum did not change. Returns the answer.
  HttpResult refused(const std::string& kind, const std::function<HttpResult()>& send, long status,
                     const std::string& code);
  // Pushes `ops` as `device` in one valid batch; CHECKs 200, that the op at `index` is
  // "rejected" with a problem (field, code), and that the store's checksum did not change
  // (the other ops, if any, must be ones the store already holds). Returns that op's answer.
  json rejected(const std::string& kind, const Device& device, const std::vector<json>& ops,
                std::size_t index, const std::string& field, const std::string& code);

 private:
  ApiWorld world_;
  Device a_;
  Device b_;
};

// The problem of `answer` at `field`, or null.
json problem_at(const json& answer, const std::string& field);

}  // namespace fieldsync::testing
