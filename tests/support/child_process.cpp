#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace fieldsync::testing {
namespace {

void wire(posix_spawn_file_actions_t& actions, int target, const ChildStream& stream) {
  if (stream.fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stream.fd, target);
  } else {
    const int flags = O_WRONLY | O_CREAT | (stream.append ? O_APPEND : O_TRUNC);
    posix_spawn_file_actions_addopen(&actions, target, stream.path.c_str(), flags, 0644);
  }
}

std::vector<char*> pointers(std::vector<std::string>& texts) {
  std::vector<char*> out;
  for (auto& text : texts) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

pid_t spawn_child(const std::vector<std::string>& argv, const ChildStream& out,
                  const ChildStream& err, const std::optional<std::vector<std::string>>& env) {
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers = pointers(args);
  std::vector<std::string> env_texts = env.value_or(std::vector<std::string>{});
  std::vector<char*> env_pointers = pointers(env_texts);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  wire(actions, 1, out);
  wire(actions, 2, err);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal_number : {SIGTERM, SIGINT, SIGPIPE}) sigaddset(&defaults, signal_number);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = -1;
  const int error = posix_spawn(&pid, arg_pointers[0], &actions, &attributes, arg_pointers.data(),
                                env ? env_pointers.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0)
    throw std::runtime_error("cannot start " + argv.at(0) + ": " + std::strerror(error));
  return pid;
}

int exit_code_of(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

int reap_child(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return exit_code_of(status);
}

ListeningLine read_listening_line(int fd, std::chrono::steady_clock::time_point deadline) {
  constexpr std::string_view kMarker = "listening on ";
  ListeningLine result;
  std::size_t line_start = 0;
  while (true) {
    const auto newline = result.output.find('\n', line_start);
    if (newline != std::string::npos) {
      const std::string_view line(result.output.data() + line_start, newline - line_start);
      line_start = newline + 1;
      const auto marker = line.find(kMarker);
      if (marker != std::string::npos) {
        result.url = std::string(line.substr(marker + kMarker.size()));
        return result;
      }
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.failure = "timeout";
      return result;
    }
    pollfd ready{fd, POLLIN, 0};
    const int polled = poll(&ready, 1, static_cast<int>(left.count()));
    if (polled < 0 && errno != EINTR) {
      result.failure = std::string("poll: ") + std::strerror(errno);
      return result;
    }
    if (polled <= 0) continue;
    char chunk[512];
    const ssize_t count = read(fd, chunk, sizeof chunk);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      result.failure = "closed";
      return result;
    }
    result.output.append(chunk, static_cast<std::size_t>(count));
  }
}

}  // namespace fieldsync::testing
