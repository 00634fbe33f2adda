#include "faulty_server.h"

#include <algorithm>

#include <doctest/doctest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "fault_vfs.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

constexpr int kIterations = 1000;  // cheap password hashes: sign-in is not what is tested here
constexpr const char* kPassword = "faulty-server-secret";

server::AuthPolicy cheap_policy() {
  server::AuthPolicy policy;
  policy.password_iterations = kIterations;
  return policy;
}

std::string query_text(sqlite::Database& db, const std::string& sql) {
  sqlite::Statement st = db.prepare(sql);
  std::string out;
  while (st.step()) {
    for (int i = 0; i < st.column_count(); ++i) out += st.column_text(i) + "|";
    out += "\n";
  }
  return out;
}

}  // namespace

FaultyServer::FaultyServer()
    : store_([this] {
        const auto data = dir_.path() / "data";
        server::InitOptions init;
        init.password_iterations = kIterations;
        const auto result = server::init_store(data, "admin-secret", init, wall_, random_);
        server::Admin admin(data, wall_, random_, kIterations);
        unit_a_ = admin.add_unit("Unit A", "unit", "Plant").id;
        user_id_ =
            admin.add_user({"leader", "Leader", "field_leader", "Plant/Unit A"}, kPassword).id;
        return result.store;
      }()),
      app_([this] {
        previous_logger_ = spdlog::default_logger();
        spdlog::set_default_logger(std::make_shared<spdlog::logger>(
            "faulty_server", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_)));
        spdlog::set_level(spdlog::level::trace);
        FaultVfsAsDefault through_faults;  // the app's connections open through the fault VFS
        return std::make_unique<server::ServerApp>(store_.parent_path(), wall_, random_,
                                                   cheap_policy());
      }()) {}

FaultyServer::~FaultyServer() {
  app_.reset();
  spdlog::set_default_logger(previous_logger_);
  spdlog::set_level(spdlog::level::info);
}

void FaultyServer::truncate_wal() {
  sqlite::Database db = sqlite::Database::open(store_, {.create = false});
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

std::string FaultyServer::login() {
  device_id_ = make_uuid_v7(wall_.now_ms(), random_);
  server::ApiRequest request;
  request.method = "POST";
  request.path = "/v1/auth/login";
  request.headers["content-type"] = "application/json";
  request.body =
      nlohmann::json{{"login", "leader"}, {"password", kPassword}, {"device_id", device_id_}}
          .dump();
  const server::ApiResponse response = app_->handler().handle(request);
  INFO(response.body);
  REQUIRE(response.status == 200);
  return nlohmann::json::parse(response.body).at("token").get<std::string>();
}

server::ApiResponse FaultyServer::push(const std::string& token, const std::vector<Op>& ops) {
  nlohmann::json body = {{"cursor", 0}, {"ops", nlohmann::json::array()}};
  for (const Op& op : ops) body["ops"].push_back(encode_op(op));
  server::ApiRequest request;
  request.method = "POST";
  request.path = "/v1/sync/push";
  request.headers["content-type"] = "application/json";
  request.headers["authorization"] = "Bearer " + token;
  request.body = body.dump();
  return app_->handler().handle(request);
}

std::vector<Op> FaultyServer::case_with_visits(int visits, std::size_t notes_bytes,
                                               const std::string& personal_notes) {
  const auto op = [&](const std::string& entity, nlohmann::json fields) {
    Op o;
    o.op_id = make_uuid_v7(wall_.now_ms(), random_);
    o.device_id = device_id_;
    o.user_id = user_id_;
    o.entity = entity;
    o.id = make_uuid_v7(wall_.now_ms(), random_);
    o.kind = OpKind::create;
    o.fields = std::move(fields);
    o.hlc = hlc_.now();
    return o;
  };
  std::vector<Op> ops;
  ops.push_back(op("case", {{"unit_id", unit_a_},
                            {"title", "Allowance three months late"},
                            {"channel", "home_visit"},
                            {"status", "received"},
                            {"received_at", "2026-11-26T08:00:00Z"}}));
  const std::string case_id = ops.front().id;
  std::string notes = personal_notes;
  notes.resize(std::max(notes.size(), notes_bytes), '.');
  for (int i = 0; i < visits; ++i) {
    ops.push_back(op("visit", {{"case_id", case_id},
                               {"kind", "home"},
                               {"visited_at", "2026-11-27T09:30:00Z"},
                               {"notes", notes}}));
  }
  return ops;
}

std::string FaultyServer::digest() {
  sqlite::Database reader = sqlite::Database::open(store_, {.read_only = true});
  return query_text(reader, "SELECT seq, op_id, outcome FROM op_log ORDER BY seq") +
         query_text(reader, "SELECT id, version FROM entity_case ORDER BY id") +
         query_text(reader, "SELECT id, version FROM entity_visit ORDER BY id") +
         query_text(reader, "SELECT entity, row_id, version FROM change_index ORDER BY 1, 2");
}

}  // namespace fieldsync::testing
