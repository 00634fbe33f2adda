#include "sim_device.h"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "bench_store.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/uuid.h"

namespace fieldsync::bench {

std::uint64_t FastRandom::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void FastRandom::fill(std::span<std::uint8_t> out) {
  for (std::size_t i = 0; i < out.size(); i += 8) {
    std::uint64_t v = next();
    for (std::size_t k = i; k < out.size() && k < i + 8; ++k, v >>= 8)
      out[k] = static_cast<std::uint8_t>(v);
  }
}

namespace {
client::CurlOptions curl_options(const std::string& base_url) {
  client::CurlOptions o;
  o.base_url = base_url;
  o.retry.max_attempts = 1;  // the benchmark sees and counts every answer itself
  o.request_timeout = std::chrono::milliseconds(120'000);
  return o;
}
}  // namespace

SimDevice::SimDevice(const std::string& base_url, std::uint64_t seed)
    : random_(seed),
      hlc_(wall_),
      transport_(std::make_unique<client::CurlTransport>(curl_options(base_url))) {
  device_id_ = make_uuid_v7(wall_.now_ms(), random_);
}

void SimDevice::login(const std::string& login) {
  const Json body = {{"login", login}, {"password", kBenchPassword}, {"device_id", device_id_}};
  client::HttpResponse r;
  // Hundreds of devices signing in at once meet the server's in-flight cap (503 overloaded):
  // like a tablet, wait and try again (bounded).
  for (int attempt = 0; attempt < 100; ++attempt) {
    r = transport_->send(
        {"POST", "/v1/auth/login", {{"Content-Type", "application/json"}}, body.dump()});
    if (r.status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + 20 * attempt));
  }
  if (r.status != 200)
    throw std::runtime_error("login of " + login + " answered " + std::to_string(r.status) + ": " +
                             r.body);
  const Json answer = Json::parse(r.body);
  token_ = answer.at("token").get<std::string>();
  user_id_ = answer.at("user_id").get<std::string>();
  unit_id_ = answer.at("unit_id").get<std::string>();
}

Op SimDevice::make(const std::string& entity, const std::string& id, OpKind kind, Json fields,
                   std::int64_t base_version) {
  Op op;
  op.op_id = make_uuid_v7(wall_.now_ms(), random_);
  op.device_id = device_id_;
  op.user_id = user_id_;
  op.entity = entity;
  op.id = id;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = hlc_.now();
  op.base_version = base_version;
  return op;
}

Op SimDevice::new_case(const std::string& unit_id, const std::string& title) {
  return make("case", make_uuid_v7(wall_.now_ms(), random_), OpKind::create,
              {{"unit_id", unit_id},
               {"title", title},
               {"channel", "home_visit"},
               {"status", "received"},
               {"received_at", "2026-11-26T08:00:00Z"}},
              0);
}

Op SimDevice::update_case(const std::string& case_id, std::int64_t base_version,
                          const std::string& title) {
  return make("case", case_id, OpKind::update, {{"title", title}}, base_version);
}

Op SimDevice::new_visit(const std::string& case_id) {
  return make("visit", make_uuid_v7(wall_.now_ms(), random_), OpKind::create,
              {{"case_id", case_id},
               {"kind", "home"},
               {"visited_at", "2026-11-27T09:30:00Z"},
               {"notes", "Met the petitioner at home; allowance paperwork checked."}},
              0);
}

std::string SimDevice::push_body(const std::vector<Op>& ops, std::int64_t cursor) {
  Json body = {{"cursor", cursor}, {"ops", Json::array()}};
  Json& list = body["ops"];
  for (const Op& op : ops) list.push_back(encode_op(op));
  return body.dump();
}

client::HttpResponse SimDevice::push(const std::string& body) {
  return transport_->send(
      {"POST",
       "/v1/sync/push",
       {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}},
       body});
}

client::HttpResponse SimDevice::pull(std::int64_t cursor, std::size_t limit) {
  return get("/v1/sync/pull?cursor=" + std::to_string(cursor) + "&limit=" + std::to_string(limit));
}

client::HttpResponse SimDevice::get(const std::string& path) {
  return transport_->send({"GET", path, {{"Authorization", "Bearer " + token_}}, {}});
}

}  // namespace fieldsync::bench
