#include "client_world.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <doctest/doctest.h>

#include "child_process.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

using nlohmann::json;

// A record's device-independent part.
json picture(const client::Record& r) {
  return {{"entity", r.entity},         {"id", r.id},
          {"unit_id", r.unit_id},       {"version", r.version},
          {"values", r.values},         {"local_changes", r.local_changes},
          {"created_by", r.created_by}, {"updated_by", r.updated_by}};
}

json pictures(const std::vector<client::Record>& records) {
  json out = json::array();
  for (const client::Record& r : records) out.push_back(picture(r));
  return out;
}

sqlite::Database open_store_read_only(const std::filesystem::path& data_dir) {
  sqlite::OpenOptions options;
  options.read_only = true;
  return sqlite::Database::open(data_dir / "fieldsync.db", options);
}

}  // namespace

extern "C" char** environ;

ChildProcess::ChildProcess(std::vector<std::string> argv, std::filesystem::path log)
    : log_(std::move(log)) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry)
    if (!std::string_view(*entry).starts_with("FIELDVISIT_")) env.emplace_back(*entry);
  // stdout and stderr both into the log.
  pid_ = spawn_child(argv, {-1, log_}, {1, {}}, env);
}

ChildProcess::~ChildProcess() {
  kill_now();
}

std::optional<int> ChildProcess::poll() {
  if (status_) return status_;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = exit_code_of(status);
  return status_;
}

int ChildProcess::kill_now() {
  if (status_) return *status_;
  kill(pid_, SIGKILL);
  status_ = reap_child(pid_);
  return *status_;
}

std::string ChildProcess::output() const {
  std::ifstream in(log_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

client::CurlOptions quick_curl(const std::string& base_url, int max_attempts) {
  client::CurlOptions options;
  options.base_url = base_url;
  options.connect_timeout = std::chrono::milliseconds(5'000);
  options.request_timeout = std::chrono::milliseconds(60'000);
  options.retry.max_attempts = max_attempts;
  options.retry.sleep = [](std::chrono::milliseconds) {};
  options.retry.random01 = [] { return 0.0; };
  return options;
}

Tablet::Tablet(std::filesystem::path file, const std::string& base_url,
               client::ClientOptions tuning)
    : path_(std::move(file)), tuning_(tuning) {
  connect(base_url);
  reopen();
  device_id_ = client_->device_id();
}

client::SignedIn Tablet::login(const std::string& login) {
  return client_->login(login, kUserPassword);
}

void Tablet::connect(const std::string& base_url, int max_attempts) {
  auto next = std::make_unique<client::CurlTransport>(quick_curl(base_url, max_attempts));
  tuning_.transport = next.get();
  if (client_) client_->set_transport(next.get());
  transport_ = std::move(next);  // the old one is no longer referenced
}

void Tablet::reopen() {
  client_.reset();
  client_.emplace(client::Client::open(path_, tuning_));
}

ClientWorld::ClientWorld(const std::vector<UserSpec>& users, std::vector<std::string> serve_args)
    : api_(users, std::move(serve_args)), store_(api_.server().data_dir()) {}

Tablet ClientWorld::tablet(const std::string& name, client::ClientOptions tuning) {
  return Tablet(files() / (name + ".db"), base_url(), tuning);
}

Tablet ClientWorld::signed_in(const std::string& name, const std::string& login,
                              client::ClientOptions tuning) {
  Tablet t = tablet(name, tuning);
  t.login(login);
  return t;
}

std::int64_t ClientWorld::server_int(const std::string& sql,
                                     const std::vector<std::string>& args) const {
  sqlite::Database db = open_store_read_only(store_);
  sqlite::Statement st = db.prepare(sql);
  for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
  if (!st.step()) throw std::runtime_error("no answer to " + sql);
  return st.column_int64(0);
}

std::int64_t ClientWorld::ops_logged(const std::string& device_id) const {
  return server_int("SELECT COUNT(*) FROM op_log WHERE device_id = ?1", {device_id});
}

std::int64_t ClientWorld::ops_logged(const std::string& device_id,
                                     const std::string& outcome) const {
  return server_int("SELECT COUNT(*) FROM op_log WHERE device_id = ?1 AND outcome = ?2",
                    {device_id, outcome});
}

std::int64_t ClientWorld::op_logged(const std::string& op_id) const {
  return server_int("SELECT COUNT(*) FROM op_log WHERE op_id = ?1", {op_id});
}

std::int64_t ClientWorld::server_rows(const std::string& entity, const std::string& column,
                                      const std::string& value) const {
  return server_int("SELECT COUNT(*) FROM \"entity_" + entity + "\" WHERE deleted = 0 AND \"" +
                        column + "\" = ?1",
                    {value});
}

json case_fields(const std::string& title) {
  return {{"title", title}, {"channel", "home_visit"}};
}

json case_picture(client::Client& client, const std::string& case_id) {
  const client::CaseDetail d = client.get_case(case_id);
  json visits = json::array();
  for (const client::VisitRecord& v : d.visits)
    visits.push_back({{"visit", picture(v.visit)}, {"corrections", pictures(v.corrections)}});
  return {{"case", picture(d.case_row)},
          {"petitioners", pictures(d.petitioners)},
          {"visits", visits},
          {"commitments", pictures(d.commitments)},
          {"urgent_reports", pictures(d.urgent_reports)},
          {"open_conflicts", pictures(d.open_conflicts)}};
}

std::string picture_difference(const json& a, const json& b) {
  std::string out;
  int shown = 0;
  for (const json& change : json::diff(a, b)) {
    if (shown++ == 5) break;
    out += change.dump() + "\n";
  }
  return out;
}

std::vector<std::string> replica_files(const std::filesystem::path& db) {
  std::vector<std::string> present;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::filesystem::path file = db.string() + suffix;
    std::error_code ignored;
    if (std::filesystem::exists(file, ignored)) present.push_back(file.filename().string());
  }
  return present;
}

}  // namespace fieldsync::testing
