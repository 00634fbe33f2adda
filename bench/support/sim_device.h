#pragma once
// One simulated tablet that speaks the sync protocol directly (no local replica): it signs
// in, makes well-formed ops (fresh UUIDv7 ids, its own HLC), and pushes and pulls over one
// keep-alive libcurl connection. Used where a benchmark needs many devices or exact control
// of the bytes on the wire; the real tablet library is measured by the local-write,
// bootstrap and round-trip benchmarks.
// Not thread-safe: one thread per device (or per group of devices used in turn).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/op.h"

namespace fieldsync::bench {

// splitmix64: fast, seeded randomness for ids (not for secrets).
class FastRandom final : public RandomSource {
 public:
  explicit FastRandom(std::uint64_t seed) : state_(seed) {}
  void fill(std::span<std::uint8_t> out) override;
  std::uint64_t next();

 private:
  std::uint64_t state_;
};

class SimDevice {
 public:
  SimDevice(const std::string& base_url, std::uint64_t seed);

  // POST /v1/auth/login with kBenchPassword, retrying 503 (at most 100 tries); throws
  // std::runtime_error unless it ends in 200.
  void login(const std::string& login);
  // For in-process use without HTTP: act as this user of this unit.
  void assume(const std::string& user_id, const std::string& unit_id) {
    user_id_ = user_id;
    unit_id_ = unit_id;
  }

  Op new_case(const std::string& unit_id, const std::string& title);
  Op update_case(const std::string& case_id, std::int64_t base_version, const std::string& title);
  Op new_visit(const std::string& case_id);

  // The wire body of a push.
  static std::string push_body(const std::vector<Op>& ops, std::int64_t cursor);
  client::HttpResponse push(const std::string& body);
  client::HttpResponse pull(std::int64_t cursor, std::size_t limit = 500);
  // Any authorised GET (path with query).
  client::HttpResponse get(const std::string& path);

  const std::string& device_id() const { return device_id_; }
  const std::string& user_id() const { return user_id_; }
  const std::string& unit_id() const { return unit_id_; }
  const std::string& token() const { return token_; }
  // Connections opened so far (1 while keep-alive holds).
  long connections_opened() const { return transport_->connections_opened(); }

 private:
  Op make(const std::string& entity, const std::string& id, OpKind kind, Json fields,
          std::int64_t base_version);

  SystemClock wall_;
  FastRandom random_;
  HlcClock hlc_;
  std::unique_ptr<client::CurlTransport> transport_;
  std::string device_id_, user_id_, unit_id_, token_;
};

}  // namespace fieldsync::bench
