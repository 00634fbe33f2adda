#include "bench_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"
#include "fieldsync/core/clock.h"
#include "fieldsync/server/admin.h"

namespace fieldsync::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::filesystem::path bench_root() {
  const char* base = std::getenv("FIELDSYNC_BENCH_TMP");
  return base && *base ? std::filesystem::path(base) : std::filesystem::path();
}

}  // namespace

TempDir::TempDir(const std::string& tag) : testing::TempDir("bench-" + tag, bench_root()) {}

BenchStore BenchStore::create(const std::filesystem::path& data_dir, std::size_t units) {
  SystemClock clock;
  SecureRandom random;
  server::InitOptions init;
  init.password_iterations = kBenchPasswordIterations;
  BenchStore store;
  store.data_dir = data_dir;
  store.plant_id = server::init_store(data_dir, kBenchPassword, init, clock, random).root_unit_id;
  server::Admin admin(data_dir, clock, random, kBenchPasswordIterations);
  for (std::size_t i = 0; i < units; ++i) {
    const std::string name = "Unit " + std::to_string(i);
    store.unit_ids.push_back(admin.add_unit(name, "unit", "Plant").id);
    admin.add_user({leader(i), "Leader " + std::to_string(i), "field_leader", "Plant/" + name},
                   kBenchPassword);
  }
  admin.add_user({"office", "Central office", "central_office", "Plant"}, kBenchPassword);
  return store;
}

ServerRun::ServerRun(const std::filesystem::path& data_dir)
    : stderr_path_(data_dir / "server-stderr.log") {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  try {
    pid_ = testing::spawn_child({FIELDSYNC_SERVER_BIN, "--log-level", "warn", "serve", "--data",
                                 data_dir.string(), "--listen", "127.0.0.1:0"},
                                {fds[1], {}}, {-1, stderr_path_});
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[1]);

  const testing::ListeningLine line =
      testing::read_listening_line(fds[0], Clock::now() + std::chrono::seconds(20));
  close(fds[0]);
  if (line.url.empty()) {
    stop();
    throw std::runtime_error("fieldsync-server did not start (" + line.failure + "):\n" +
                             stderr_text());
  }
  base_url_ = line.url;
}

ServerRun::~ServerRun() {
  stop();
}

int ServerRun::stop() {
  if (stopped_) return status_;
  stopped_ = true;
  kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (r < 0 && errno != EINTR) return status_;
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      status_ = testing::reap_child(pid_);
      return status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  status_ = testing::exit_code_of(status);
  return status_;
}

std::string ServerRun::stderr_text() const {
  std::ifstream in(stderr_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace fieldsync::bench
