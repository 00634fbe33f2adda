// Secrets and personal data never reach logs: the real server runs at its most verbose level
// (trace) while a tablet signs in, pushes petitioners' personal fields, uses and forges tokens,
// fails logins and has ops rejected that carry personal values; the server's whole log, what
// the library printed and the errors it recorded hold none of the passwords, tokens or personal
// values.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "client_world.h"
#include "fault_support.h"
#include "fieldsync/core/uuid.h"
#include "http_client.h"
#include "restartable_server.h"

namespace fieldsync::testing {
namespace {

// Captures what this process writes to stderr and stdout (the library's only log channels)
// while alive.
class CapturedOutput {
 public:
  explicit CapturedOutput(std::filesystem::path file) : file_(std::move(file)) {
    std::fflush(stdout);
    std::fflush(stderr);
    const int fd = open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    saved_out_ = dup(1);
    saved_err_ = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
  }
  ~CapturedOutput() { restore(); }
  // Restores stdout and stderr; returns what was written meanwhile.
  std::string restore() {
    if (saved_out_ >= 0) {
      std::fflush(stdout);
      std::fflush(stderr);
      dup2(saved_out_, 1);
      dup2(saved_err_, 2);
      close(saved_out_);
      close(saved_err_);
      saved_out_ = saved_err_ = -1;
    }
    std::ifstream in(file_, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::filesystem::path file_;
  int saved_out_ = -1, saved_err_ = -1;
};

std::int64_t count_lines(const std::string& text) {
  std::int64_t n = 0;
  for (char c : text)
    if (c == '\n') ++n;
  return n;
}

TEST_CASE(
    "log hygiene: no password, token or personal field reaches the server's or library's logs") {
  ClientWorld world({kLeaderA});
  world.api().server().stop();
  RestartableServer server(world.api().server().data_dir(), world.files() / "server.log",
                           {"--log-level", "trace"});
  server.start();
  const std::string base = server.base_url();
  HttpClient http;
  const Headers json_type = {{"Content-Type", "application/json"}};

  // Values that must never appear in a log.
  const std::string wrong_password = "Wr0ng-pa55word-Qx71";
  const std::string stranger_password = "Str4nger-secret-Kp93";
  const std::map<std::string, std::string> personal = {
      {"name", "Zhang Guifen Lx83"},
      {"id_number", "11010519560712451X"},
      {"phone", "+86 138 0013 8702"},
      {"address", "Building 7, Oilfield Road 4219"},
      {"note", "hospital bills unpaid since March Qv27"}};
  const std::string personal_summary = "retired welder, lives alone Mz52";
  std::vector<std::string> secrets = {kUserPassword, wrong_password, stranger_password,
                                      personal_summary};
  for (const auto& [field, value] : personal) secrets.push_back(value);

  std::string library_output;
  std::string recorded_errors;
  {
    CapturedOutput captured(world.files() / "library.out");
    Tablet t(world.files() / "a.db", base);
    // A failed sign-in, then a good one.
    recorded_errors += error_of([&] { t->login("leader_a", wrong_password); });
    if (auto e = t->status().last_error) recorded_errors += e->message;
    t.login("leader_a");
    // Personal fields pushed, and a summary (also personal).
    const std::string case_id = t->create_case(
        {{"title", "Allowance late"}, {"channel", "home_visit"}, {"summary", personal_summary}});
    nlohmann::json petitioner = nlohmann::json::object();
    for (const auto& [field, value] : personal) petitioner[field] = value;
    t->add_petitioner(case_id, petitioner);
    t->sync();
    // A petitioner whose phone is refused locally: the library's error must not echo it.
    recorded_errors += error_of([&] {
      t->add_petitioner(case_id, {{"name", personal.at("name")},
                                  {"phone", std::string(300, '7') + personal.at("phone")}});
    });
    library_output = captured.restore();
  }

  // Tokens: a good one used, a forged one refused, then signed out.
  SecureRandom random;
  const std::string device = make_uuid_v7(1'780'000'000'000, random);
  const HttpResult login = http.post(
      base + "/v1/auth/login",
      nlohmann::json{{"login", "leader_a"}, {"password", kUserPassword}, {"device_id", device}}
          .dump(),
      json_type);
  REQUIRE(login.status == 200);
  const std::string token = login.json().at("token").get<std::string>();
  const nlohmann::json who = login.json();
  std::string forged = token;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  secrets.push_back(token);
  secrets.push_back(forged);
  const Headers auth = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  CHECK(http.get(base + "/v1/sync/pull?cursor=0", auth).status == 200);
  CHECK(http.get(base + "/v1/sync/pull?cursor=0", {{"Authorization", "Bearer " + forged}}).status ==
        401);
  // Failed sign-ins: wrong password, unknown login.
  CHECK(http.post(base + "/v1/auth/login",
                  nlohmann::json{
                      {"login", "leader_a"}, {"password", wrong_password}, {"device_id", device}}
                      .dump(),
                  json_type)
            .status == 401);
  CHECK(http.post(base + "/v1/auth/login",
                  nlohmann::json{
                      {"login", "nobody"}, {"password", stranger_password}, {"device_id", device}}
                      .dump(),
                  json_type)
            .status == 401);
  // Rejected ops carrying personal values: a petitioner of a case that does not exist, and one
  // whose name is far too long; and a body that is not JSON around a personal value.
  const auto op = [&](nlohmann::json fields) {
    return nlohmann::json{{"op_id", make_uuid_v7(1'780'000'000'000, random)},
                          {"device_id", device},
                          {"user_id", who.at("user_id")},
                          {"entity", "petitioner"},
                          {"id", make_uuid_v7(1'780'000'000'000, random)},
                          {"kind", "create"},
                          {"fields", std::move(fields)},
                          {"hlc", "1780000000000-0000"},
                          {"base_version", 0},
                          {"schema_version", 1},
                          {"workflow_gen", 0}};
  };
  const HttpResult rejected =
      http.post(base + "/v1/sync/push",
                nlohmann::json{{"cursor", 0},
                               {"ops",
                                {op({{"case_id", make_uuid_v7(1'780'000'000'000, random)},
                                     {"name", personal.at("name")},
                                     {"id_number", personal.at("id_number")}}),
                                 op({{"case_id", make_uuid_v7(1'780'000'000'000, random)},
                                     {"name", std::string(300, 'x') + personal.at("address")},
                                     {"phone", personal.at("phone")}})}}}
                    .dump(),
                auth);
  REQUIRE(rejected.status == 200);
  const nlohmann::json answers = rejected.json();
  CHECK(answers.at("results").size() == 2);
  for (const auto& result : answers.at("results")) CHECK(result["status"] == "rejected");
  CHECK(http.post(base + "/v1/sync/push", "{\"ops\": [\"" + personal.at("note"), auth).status ==
        400);
  CHECK(http.post(base + "/v1/auth/logout", "{}", auth).status == 200);
  CHECK(server.stop() == 0);

  const std::string log = server.log_text();
  // The log is the verbose one, covering what was done (so scanning it means something).
  CHECK(log.find("POST /v1/sync/push") != std::string::npos);
  CHECK(log.find("POST /v1/auth/login") != std::string::npos);
  for (const std::string& secret : secrets) {
    CAPTURE(secret);
    CHECK(log.find(secret) == std::string::npos);
    CHECK(library_output.find(secret) == std::string::npos);
    CHECK(recorded_errors.find(secret) == std::string::npos);
  }
  CHECK_FALSE(recorded_errors.empty());
  add_figure("log lines scanned for secrets and personal data",
             count_lines(log) + count_lines(library_output));
  add_figure("secret and personal values looked for in every log",
             static_cast<std::int64_t>(secrets.size()));
}

}  // namespace
}  // namespace fieldsync::testing
