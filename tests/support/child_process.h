#pragma once
// Starting and reaping the child processes the tests and benchmarks run (the real
// fieldsync-server, fieldvisit, a tablet driver): stdin from /dev/null, stdout and stderr to a
// descriptor or a file, signals unblocked and at their defaults whatever the parent blocked.
// Shared by tests/integration, tests/fault and bench/support.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fieldsync::testing {

// Where a child's stdout or stderr goes: onto `fd` when it is >= 0, else into `path`
// (truncated, or appended to when `append`).
struct ChildStream {
  int fd = -1;
  std::filesystem::path path;
  bool append = false;
};

// Starts argv[0] with `argv`. `env` holds "NAME=value" entries; nullopt: this process's
// environment. Throws std::runtime_error naming the program when it cannot be started.
pid_t spawn_child(const std::vector<std::string>& argv, const ChildStream& out,
                  const ChildStream& err,
                  const std::optional<std::vector<std::string>>& env = std::nullopt);

// A waitpid status as an exit code: the code itself, 128 + the signal that ended the child,
// or -1 for anything else.
int exit_code_of(int wait_status);

// Waits (retrying on EINTR) until the child ends; returns exit_code_of its status.
int reap_child(pid_t pid);

// What a starting server printed on `fd` up to its "listening on URL" line.
struct ListeningLine {
  std::string url;      // empty when no such line came
  std::string failure;  // why not: "timeout", "closed" (the child exited) or "poll: <error>"
  std::string output;   // what was read before the line, for the failure message
};

// Reads `fd` until a line containing "listening on URL", `deadline`, or the end of the stream.
ListeningLine read_listening_line(int fd, std::chrono::steady_clock::time_point deadline);

}  // namespace fieldsync::testing
