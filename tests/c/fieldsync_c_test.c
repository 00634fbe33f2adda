/*
 * The C API (fieldsync/fieldsync.h) driven from plain C11 against the real fieldsync-server
 * process on 127.0.0.1: two tablets, one writes offline and syncs, the other reads it back;
 * errors on bad input and hostile calls (NULLs, invalid UTF-8, huge strings, deep nesting,
 * handles used after close). Prints one line per failed check and "N passed, M failed" last; exits
 * 0 only when every check passed.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fieldsync/fieldsync.h"

#ifndef FIELDSYNC_SERVER_BIN
#error "FIELDSYNC_SERVER_BIN must name the fieldsync-server binary"
#endif

extern char** environ;

enum {
  kCommandTimeoutMs = 120000, /* init and user add hash passwords (PBKDF2) */
  kStartupTimeoutMs = 30000,
  kStopTimeoutMs = 15000,
  kPollSliceMs = 10,
  kPathMax = 512
};

/* snprintf that stops the test instead of cutting a path or a pattern short. */
__attribute__((format(printf, 3, 4))) static void format_to(char* out, size_t size,
                                                            const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int n = vsnprintf(out, size, format, args);
  va_end(args);
  if (n < 0 || (size_t)n >= size) {
    fprintf(stderr, "FAIL: text too long for its buffer (format %s)\n", format);
    exit(1);
  }
}

static const char* const kAdminPassword = "c-test-admin-secret";
static const char* const kLeaderPassword = "c-test-leader-secret";
/* Test passwords are hashed with 1,000 PBKDF2 iterations (tests/support/password_cost.h). */
static char kPasswordIterations[] = "1000";
static const char* const kUnknownId = "01900000-0000-7000-8000-000000000000";

/* --- checks ------------------------------------------------------------------------------- */

static int g_passed;
static int g_failed;

static int check(int ok, const char* what, int line) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    fprintf(stderr, "fieldsync_c_test.c:%d: FAILED: %s\n", line, what);
  }
  return ok;
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __LINE__)

/* Passes when the call failed with exactly domain/code; prints what came instead. */
static int check_error(const fs_error* err, int domain, const char* code, int line) {
  const int ok = err->domain == domain && strcmp(err->code, code) == 0;
  if (!ok) {
    fprintf(stderr, "fieldsync_c_test.c:%d: expected error %s/%s, got %s/%s: %s\n", line,
            fs_error_domain_name(domain), code, fs_error_domain_name(err->domain), err->code,
            err->message);
  }
  return check(ok, "error domain and code", line);
}

#define CHECK_ERROR(err, domain, code) check_error((err), (domain), (code), __LINE__)

/* Reports a failed call's error; returns ok. */
static int check_ok(int ok, const fs_error* err, const char* what, int line) {
  if (!ok) {
    fprintf(stderr, "fieldsync_c_test.c:%d: %s failed: %s/%s: %s\n", line, what,
            fs_error_domain_name(err->domain), err->code, err->message);
  }
  return check(ok, what, line);
}

#define CHECK_OK(call, err) check_ok((call) ? 1 : 0, (err), #call, __LINE__)

static int contains(const char* text, const char* part) {
  return text != NULL && part != NULL && strstr(text, part) != NULL;
}

static void reset(fs_error* err) {
  memset(err, 0, sizeof *err);
}

/* --- processes ---------------------------------------------------------------------------- */

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

/* The exit status once pid ended within timeout_ms; -1 after SIGKILL when it did not. */
static int wait_bounded(pid_t pid, long long timeout_ms) {
  const long long deadline = now_ms() + timeout_ms;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return decode_status(status);
    if (done < 0 && errno != EINTR) return -1;
    if (now_ms() >= deadline) break;
    sleep_ms(kPollSliceMs);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return -1;
}

/* Starts the server binary with argv (argv[0] is ignored) and environ. stdin is /dev/null,
 * stdout goes to stdout_fd when >= 0 (else to log_path), stderr to log_path. Returns the pid,
 * or -1. */
static pid_t spawn_server(char* const argv[], int stdout_fd, const char* log_path) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t none;
  sigset_t defaults;
  pid_t pid = -1;
  int error;

  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  } else {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  }
  posix_spawnattr_init(&attributes);
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  error = posix_spawn(&pid, FIELDSYNC_SERVER_BIN, &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    fprintf(stderr, "cannot start %s: %s\n", FIELDSYNC_SERVER_BIN, strerror(error));
    return -1;
  }
  return pid;
}

static void print_file(const char* path) {
  char chunk[1024];
  size_t n;
  FILE* in = fopen(path, "r");
  if (in == NULL) return;
  fprintf(stderr, "--- %s ---\n", path);
  while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) fwrite(chunk, 1, n, stderr);
  fclose(in);
}

/* Runs a server admin command to completion; true when it exited 0. */
static int run_command(char* const argv[], const char* log_path) {
  const pid_t pid = spawn_server(argv, -1, log_path);
  int status;
  if (pid < 0) return 0;
  status = wait_bounded(pid, kCommandTimeoutMs);
  if (status != 0) {
    fprintf(stderr, "fieldsync-server %s exited with %d\n", argv[1], status);
    print_file(log_path);
  }
  return status == 0;
}

typedef struct server {
  pid_t pid;
  int stdout_fd;
  char url[64];
  char log_path[kPathMax];
} server;

/* Reads the server's stdout until "listening on http://127.0.0.1:PORT" (bounded). */
static int read_listening_line(server* s) {
  static const char kMarker[] = "listening on http://127.0.0.1:";
  char output[4096];
  size_t used = 0;
  const long long deadline = now_ms() + kStartupTimeoutMs;
  for (;;) {
    const char* marker;
    const long long left = deadline - now_ms();
    struct pollfd ready;
    ssize_t count;
    int polled;
    output[used] = '\0';
    marker = strstr(output, kMarker);
    if (marker != NULL && strchr(marker, '\n') != NULL) {
      const char* port = marker + strlen("listening on ");
      const size_t length = (size_t)(strchr(marker, '\n') - port);
      if (length >= sizeof s->url) return 0;
      memcpy(s->url, port, length);
      s->url[length] = '\0';
      return 1;
    }
    if (left <= 0 || used + 1 >= sizeof output) {
      fprintf(stderr, "fieldsync-server did not report listening in time\n");
      return 0;
    }
    ready.fd = s->stdout_fd;
    ready.events = POLLIN;
    ready.revents = 0;
    polled = poll(&ready, 1, (int)left);
    if (polled < 0 && errno != EINTR) return 0;
    if (polled <= 0) continue;
    count = read(s->stdout_fd, output + used, sizeof output - 1 - used);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      fprintf(stderr, "fieldsync-server exited before listening\n");
      return 0;
    }
    used += (size_t)count;
  }
}

/* `fieldsync-server user add` of a field leader at the plant. */
static int add_leader(char* data, char* login, const char* log_path) {
  char* argv[] = {"fieldsync-server",
                  "user",
                  "add",
                  "--data",
                  data,
                  "--login",
                  login,
                  "--name",
                  login,
                  "--role",
                  "field_leader",
                  "--unit",
                  "Plant",
                  "--password-iterations",
                  kPasswordIterations,
                  NULL};
  return run_command(argv, log_path);
}

/* `init`, one unit's two field leaders, then `serve` on 127.0.0.1:0. */
static int start_server(const char* dir, server* s) {
  char data[kPathMax];
  int fds[2];
  format_to(data, sizeof data, "%s/data", dir);
  format_to(s->log_path, sizeof s->log_path, "%s/server.log", dir);
  s->pid = -1;
  s->stdout_fd = -1;
  {
    char* init[] = {"fieldsync-server",  "init", "--data", data, "--password-iterations",
                    kPasswordIterations, NULL};
    if (setenv("FIELDSYNC_ADMIN_PASSWORD", kAdminPassword, 1) != 0 ||
        setenv("FIELDSYNC_USER_PASSWORD", kLeaderPassword, 1) != 0) {
      return 0;
    }
    if (!run_command(init, s->log_path) || !add_leader(data, "leader1", s->log_path) ||
        !add_leader(data, "leader2", s->log_path)) {
      return 0;
    }
  }
  if (pipe(fds) != 0) return 0;
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  {
    char* serve[] = {"fieldsync-server",
                     "serve",
                     "--data",
                     data,
                     "--listen",
                     "127.0.0.1:0",
                     "--password-iterations",
                     kPasswordIterations,
                     NULL};
    s->pid = spawn_server(serve, fds[1], s->log_path);
  }
  close(fds[1]);
  s->stdout_fd = fds[0];
  if (s->pid < 0) return 0;
  if (!read_listening_line(s)) {
    print_file(s->log_path);
    return 0;
  }
  return 1;
}

/* SIGTERM, a bounded wait (then SIGKILL). Returns the exit status, -1 when it had to be
 * killed. */
static int stop_server(server* s) {
  int status = -1;
  if (s->pid > 0) {
    kill(s->pid, SIGTERM);
    status = wait_bounded(s->pid, kStopTimeoutMs);
    s->pid = -1;
  }
  if (s->stdout_fd >= 0) close(s->stdout_fd);
  s->stdout_fd = -1;
  return status;
}

static int remove_entry(const char* path, const struct stat* info, int type, struct FTW* ftw) {
  (void)info;
  (void)type;
  (void)ftw;
  return remove(path);
}

static int remove_tree(const char* dir) {
  return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

/* --- the scenario ------------------------------------------------------------------------- */

typedef struct progress_log {
  int calls;
  int push_calls;
  int bad_counts;     /* push reports with done > total, or any phase with done < 0 */
  int cancel_on_push; /* ask fs_cancel_sync() from the callback */
  fs_client* client;
} progress_log;

static void on_progress(const char* phase, int64_t done, int64_t total, void* ctx) {
  progress_log* log = (progress_log*)ctx;
  ++log->calls;
  if (done < 0) ++log->bad_counts;
  if (strcmp(phase, "push") == 0) {
    ++log->push_calls;
    if (done > total) ++log->bad_counts;
    if (log->cancel_on_push) fs_cancel_sync(log->client);
  }
}

static void check_version_and_nulls(void) {
  fs_error err;
  CHECK(fs_version() != NULL && strlen(fs_version()) > 0);
  CHECK(strcmp(fs_error_domain_name(FS_ERROR_VALIDATION), "validation") == 0);
  CHECK(strcmp(fs_error_domain_name(99), "unknown") == 0);
  fs_free(NULL);
  fs_client_close(NULL);
  fs_cancel_sync(NULL);

  reset(&err);
  CHECK(fs_client_open(NULL, NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  CHECK(fs_client_open(NULL, NULL, NULL, NULL) == NULL); /* no error struct: still no crash */

  reset(&err);
  CHECK(fs_create_case(NULL, "{}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(!fs_login(NULL, "leader1", kLeaderPassword, NULL, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_status(NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_sync(NULL, NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  CHECK(fs_get_case(NULL, kUnknownId, NULL) == NULL);
}

static void check_offline_client(const char* dir) {
  char path[kPathMax];
  fs_error err;
  fs_client* c;
  char* status;
  format_to(path, sizeof path, "%s/offline.db", dir);
  reset(&err);
  c = fs_client_open(path, NULL, NULL, &err);
  if (!CHECK_OK(c != NULL, &err)) return;

  reset(&err);
  CHECK(fs_create_case(c, "{\"title\":\"before sign-in\",\"channel\":\"letter\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_AUTH, "not_signed_in");
  reset(&err);
  CHECK(!fs_login(c, "leader1", kLeaderPassword, NULL, &err));
  CHECK_ERROR(&err, FS_ERROR_TRANSPORT, "offline");
  reset(&err);
  CHECK(fs_sync(c, NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_TRANSPORT, "offline");

  status = fs_status(c, &err);
  CHECK_OK(status != NULL, &err);
  CHECK(contains(status, "\"signed_in\":false"));
  CHECK(contains(status, "\"last_error\":{"));
  CHECK(contains(status, "\"held\":[]"));
  fs_free(status);
  /* Nothing is held aside (the server never failed on an op here): nothing to retry. */
  reset(&err);
  CHECK_OK(fs_retry_failed(c, &err) == 0, &err);
  fs_client_close(c);
}

static void check_bad_url(const char* dir) {
  char path[kPathMax];
  fs_error err;
  format_to(path, sizeof path, "%s/bad-url.db", dir);
  reset(&err);
  CHECK(fs_client_open(path, "ftp://127.0.0.1:1", NULL, &err) == NULL);
  CHECK(err.domain == FS_ERROR_CLIENT && strlen(err.message) > 0);
}

static fs_client* open_and_login(const char* dir, const char* file, const char* url,
                                 const char* login) {
  char path[kPathMax];
  fs_open_options options = FS_OPEN_OPTIONS_DEFAULT;
  fs_error err;
  fs_client* c;
  options.timeout_ms = 30000;
  format_to(path, sizeof path, "%s/%s", dir, file);
  reset(&err);
  c = fs_client_open(path, url, &options, &err);
  if (!CHECK_OK(c != NULL, &err)) return NULL;
  reset(&err);
  if (!CHECK_OK(fs_login(c, login, kLeaderPassword, "C test tablet", &err), &err)) {
    fs_client_close(c);
    return NULL;
  }
  return c;
}

/* Bad input on a signed-in tablet whose status shows `pending` ("\"pending_ops\":N"). */
static void check_bad_input(fs_client* c, const char* case_id, const char* pending) {
  fs_error err;
  char* text;

  reset(&err);
  CHECK(fs_create_case(c, "{\"title\": \"unterminated", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_json");
  reset(&err);
  CHECK(!fs_update_case(c, case_id, "not json", &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_json");
  reset(&err);
  CHECK(fs_create_case(c, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_get_case(c, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");

  reset(&err);
  CHECK(fs_get_case(c, kUnknownId, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");
  reset(&err);
  CHECK(fs_add_visit(c, kUnknownId, "{\"kind\":\"home\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");
  reset(&err);
  CHECK(!fs_complete_commitment(c, kUnknownId, NULL, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");
  reset(&err);
  CHECK(!fs_discard_rejected(c, kUnknownId, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_op");

  /* Validation: nothing is written, the code names the first problem, the message the
   * field. */
  reset(&err);
  CHECK(fs_add_commitment(c, case_id,
                          "{\"who\":\"Housing office\",\"how\":\"Inspect\","
                          "\"due_date\":\"2026-02-30\"}",
                          &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_VALIDATION, "bad_date");
  CHECK(contains(err.message, "due_date"));
  reset(&err);
  CHECK(fs_create_case(c, "{\"title\":\"x\",\"channel\":\"carrier pigeon\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_VALIDATION, "not_allowed_value");
  reset(&err);
  CHECK(!fs_update_case(c, case_id, "{\"no_such_field\":1}", &err));
  CHECK_ERROR(&err, FS_ERROR_VALIDATION, "unknown_field");
  reset(&err);
  CHECK(!fs_update_case(c, case_id, "[1,2]", &err));
  CHECK(err.domain == FS_ERROR_VALIDATION);

  reset(&err);
  CHECK(fs_list_cases(c, "{\"overdue_on\":\"soon\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_query");
  reset(&err);
  CHECK(fs_list_cases(c, "{\"mine\":true,\"colour\":\"red\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_query");
  reset(&err);
  CHECK(fs_list_cases(c, "{\"late_report\":\"yes\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_query");
  reset(&err);
  CHECK(fs_list_cases(c, "{\"leader\":7}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_query");
  reset(&err);
  CHECK(fs_list_cases(c, "{\"mine\":", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_json");

  /* None of the refused writes reached the outbox. */
  text = fs_status(c, &err);
  CHECK(contains(text, pending));
  fs_free(text);
}

/* Hostile calls on a signed-in tablet whose status shows `pending`: invalid UTF-8 in text
 * and JSON arguments, huge strings, deep nesting. Each is an error, never a crash, and nothing
 * reaches the outbox. */
static void check_hostile_input(fs_client* c, const char* case_id, const char* pending) {
  enum { kHuge = 8 * 1024 * 1024, kDeep = 100000 };
  static const char kBadUtf8[] = "Roof \xC3\x28 leaks \xED\xA0\x80 \xF8\x88\x80\x80\x80";
  fs_error err;
  char* text;
  char* huge = (char*)malloc(kHuge + 64);
  char* deep = (char*)malloc(2 * kDeep + 64);
  size_t n;
  int i;
  if (!CHECK(huge != NULL && deep != NULL)) {
    free(huge);
    free(deep);
    return;
  }

  /* Invalid UTF-8 in a text argument, and inside a JSON argument. */
  reset(&err);
  CHECK(!fs_reopen_case(c, case_id, kBadUtf8, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  CHECK(contains(err.message, "reason"));
  reset(&err);
  CHECK(fs_get_case(c, kBadUtf8, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  reset(&err);
  CHECK(!fs_complete_commitment(c, kUnknownId, kBadUtf8, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  reset(&err);
  CHECK(!fs_resolve_conflict(c, kUnknownId, "\"x\"", kBadUtf8, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  snprintf(huge, kHuge, "{\"title\":\"%s\",\"channel\":\"letter\"}", kBadUtf8);
  reset(&err);
  CHECK(fs_create_case(c, huge, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_json");
  reset(&err);
  CHECK(fs_create_case(c, "{\"title\":\"\\ud800\",\"channel\":\"letter\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_json");

  /* An 8 MiB title, reason and id: refused by the limits or as unknown. */
  n = (size_t)snprintf(huge, 64, "{\"channel\":\"letter\",\"title\":\"");
  memset(huge + n, 'x', kHuge);
  strcpy(huge + n + kHuge - 3, "\"}");
  reset(&err);
  CHECK(fs_create_case(c, huge, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_VALIDATION, "too_large"); /* over 256 KiB, whatever its type */
  memset(huge, 'x', kHuge);
  huge[kHuge] = '\0';
  reset(&err);
  CHECK(!fs_reopen_case(c, case_id, huge, &err));
  CHECK(err.domain == FS_ERROR_VALIDATION);
  reset(&err);
  CHECK(fs_get_case(c, huge, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");
  CHECK(strlen(err.message) < sizeof err.message); /* cut, NUL-terminated */

  /* 100,000 levels of nesting in a field value and as the whole document. */
  n = (size_t)snprintf(deep, 64, "{\"channel\":\"letter\",\"title\":");
  for (i = 0; i < kDeep; ++i) deep[n++] = '[';
  for (i = 0; i < kDeep; ++i) deep[n++] = ']';
  deep[n++] = '}';
  deep[n] = '\0';
  reset(&err);
  CHECK(fs_create_case(c, deep, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "too_deep");
  deep[n - 1] = '\0'; /* the bare nested array */
  reset(&err);
  CHECK(fs_list_cases(c, deep + 28, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "too_deep");
  reset(&err);
  CHECK(!fs_resolve_conflict(c, kUnknownId, deep + 28, NULL, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "too_deep");

  text = fs_status(c, &err);
  CHECK(contains(text, pending));
  fs_free(text);
  free(huge);
  free(deep);
}

/* A closed handle: every call is an error ("closed_handle"), close and cancel do nothing, and a
 * later handle (which may reuse the memory) is not mistaken for it. */
static void check_use_after_close(const char* dir) {
  char path[kPathMax];
  fs_error err;
  fs_client* closed;
  fs_client* later;
  char* text;
  format_to(path, sizeof path, "%s/closed.db", dir);
  reset(&err);
  closed = fs_client_open(path, NULL, NULL, &err);
  if (!CHECK_OK(closed != NULL, &err)) return;
  fs_client_close(closed);
  later = fs_client_open(path, NULL, NULL, &err);
  CHECK_OK(later != NULL, &err);
  CHECK(later != closed);

  reset(&err);
  CHECK(fs_status(closed, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(fs_create_case(closed, "{\"title\":\"x\",\"channel\":\"letter\"}", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(!fs_login(closed, "leader1", kLeaderPassword, NULL, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(fs_sync(closed, NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(fs_get_case(closed, kUnknownId, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(!fs_discard_rejected(closed, kUnknownId, &err));
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  reset(&err);
  CHECK(fs_retry_failed(closed, &err) == -1);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");
  CHECK(fs_list_cases(closed, NULL, NULL) == NULL); /* no error struct: still no crash */
  fs_cancel_sync(closed);
  fs_client_close(closed); /* twice: ignored */

  /* A handle never returned by fs_client_open. */
  reset(&err);
  CHECK(fs_status((fs_client*)&err, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "closed_handle");

  /* Invalid UTF-8 in a path is refused before anything is opened. */
  reset(&err);
  CHECK(fs_client_open("/tmp/\xC3\x28.db", NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");

  /* The later handle works. */
  reset(&err);
  text = fs_status(later, &err);
  CHECK_OK(text != NULL, &err);
  fs_free(text);
  fs_client_close(later);
}

/* Copies the string value of the first "key":"..." in `json` (no escapes) into out; 0 when absent
 * or too long. */
static int copy_json_text(const char* json, const char* key, char* out, size_t size) {
  char pattern[64];
  const char* start;
  const char* end;
  format_to(pattern, sizeof pattern, "\"%s\":\"", key);
  start = json != NULL ? strstr(json, pattern) : NULL;
  if (start == NULL) return 0;
  start += strlen(pattern);
  end = strchr(start, '"');
  if (end == NULL || (size_t)(end - start) >= size) return 0;
  memcpy(out, start, (size_t)(end - start));
  out[end - start] = '\0';
  return 1;
}

/* The petition rules' two-row writes on a synced case (`one` and `two` are field leaders with
 * nothing pending): bad arguments and a transfer by a field leader are refused with their codes
 * and change nothing; a leader assignment shows in the case and its leader history on both
 * tablets after a sync. */
static void check_leader_and_transfer(fs_client* one, fs_client* two, const char* case_id) {
  static const char kBadUtf8[] = "takes \xC3\x28 it";
  static const char kOtherUnit[] = "01900000-0000-7000-8000-0000000000aa";
  fs_error err;
  char* text;
  char* assignment_id;
  char leader_id[64];
  char unit_id[64];

  reset(&err);
  text = fs_status(two, &err);
  CHECK_OK(text != NULL, &err);
  if (!CHECK(copy_json_text(text, "user_id", leader_id, sizeof leader_id) &&
             copy_json_text(text, "unit_id", unit_id, sizeof unit_id))) {
    fs_free(text);
    return;
  }
  fs_free(text);

  /* Bad arguments. */
  reset(&err);
  CHECK(fs_assign_leader(NULL, case_id, leader_id, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_assign_leader(one, NULL, leader_id, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_assign_leader(one, case_id, NULL, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_assign_leader(one, case_id, leader_id, kBadUtf8, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  reset(&err);
  CHECK(fs_assign_leader(one, kUnknownId, leader_id, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");
  reset(&err);
  CHECK(fs_transfer_case(NULL, case_id, kOtherUnit, "theirs", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_transfer_case(one, case_id, NULL, "theirs", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_transfer_case(one, case_id, kOtherUnit, NULL, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "null_argument");
  reset(&err);
  CHECK(fs_transfer_case(one, case_id, kOtherUnit, kBadUtf8, &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "invalid_utf8");
  reset(&err);
  CHECK(fs_transfer_case(one, kUnknownId, kOtherUnit, "theirs", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_CLIENT, "unknown_row");

  /* A field leader may not move a case to another unit: refused, nothing changes. */
  reset(&err);
  CHECK(fs_transfer_case(two, case_id, kOtherUnit, "belongs to the other unit", &err) == NULL);
  CHECK_ERROR(&err, FS_ERROR_SCOPE, "forbidden");
  CHECK(contains(err.message, "unit reviewer"));
  text = fs_status(two, &err);
  CHECK(contains(text, "\"pending_ops\":0"));
  fs_free(text);
  text = fs_status(one, &err);
  CHECK(contains(text, "\"pending_ops\":0"));
  fs_free(text);
  text = fs_get_case(two, case_id, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"transfers\":[]"));
  CHECK(contains(text, "\"leader_history\":[]"));
  CHECK(contains(text, unit_id));
  CHECK(!contains(text, kOtherUnit));
  fs_free(text);

  /* Tablet 1 makes leader 2 responsible; the case and its history show it at once, and on
   * tablet 2 after both sync. */
  reset(&err);
  assignment_id = fs_assign_leader(one, case_id, leader_id, "Leader Two knows the family", &err);
  if (!CHECK_OK(assignment_id != NULL, &err)) return;
  CHECK(strlen(assignment_id) == 36);
  text = fs_get_case(one, case_id, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, assignment_id));
  CHECK(contains(text, "Leader Two knows the family"));
  {
    char expected[128];
    format_to(expected, sizeof expected, "\"responsible_leader_id\":\"%s\"", leader_id);
    CHECK(contains(text, expected));
    fs_free(text);
    text = fs_sync(one, NULL, NULL, &err);
    CHECK_OK(text != NULL, &err);
    CHECK(contains(text, "\"rejected\":0"));
    fs_free(text);
    text = fs_sync(two, NULL, NULL, &err);
    CHECK_OK(text != NULL, &err);
    fs_free(text);
    text = fs_get_case(two, case_id, &err);
    CHECK_OK(text != NULL, &err);
    CHECK(contains(text, assignment_id));
    CHECK(contains(text, "Leader Two knows the family"));
    CHECK(contains(text, expected));
    CHECK(contains(text, "\"transfers\":[]"));
    fs_free(text);
  }
  fs_free(assignment_id);
}

static void run_scenario(const char* dir, const char* url) {
  fs_error err;
  fs_client* one;
  fs_client* two;
  char* case_id = NULL;
  char* visit_id = NULL;
  char* correction_id = NULL;
  char* commitment_id = NULL;
  char* petitioner_id = NULL;
  char* text;
  progress_log log;

  one = open_and_login(dir, "tablet-1.db", url, "leader1");
  two = open_and_login(dir, "tablet-2.db", url, "leader2");
  if (one == NULL || two == NULL) {
    fs_client_close(one);
    fs_client_close(two);
    return;
  }

  /* Tablet 1 works without syncing: a case, a petitioner, a visit and its correction, a
   * commitment. */
  reset(&err);
  case_id = fs_create_case(one,
                           "{\"title\":\"Roof leaks at block 7\",\"channel\":\"visit\","
                           "\"subjects\":[\"housing_allocation\"],\"headcount\":3}",
                           &err);
  if (!CHECK_OK(case_id != NULL, &err)) goto done;
  CHECK(strlen(case_id) == 36);
  petitioner_id = fs_add_petitioner(one, case_id, "{\"name\":\"Zhao Min\"}", &err);
  CHECK_OK(petitioner_id != NULL, &err);
  visit_id = fs_add_visit(one, case_id,
                          "{\"kind\":\"home\",\"visited_at\":\"2026-05-20T09:30:00Z\","
                          "\"met\":\"Zhao family\",\"outcome\":\"agreed to inspect\"}",
                          &err);
  CHECK_OK(visit_id != NULL, &err);
  if (visit_id != NULL) {
    correction_id = fs_correct_visit(one, visit_id, "{\"outcome\":\"inspection on Friday\"}", &err);
    CHECK_OK(correction_id != NULL, &err);
  }
  commitment_id = fs_add_commitment(one, case_id,
                                    "{\"who\":\"Plant housing office\",\"how\":\"Repair the roof\","
                                    "\"due_date\":\"2026-06-01\"}",
                                    &err);
  if (!CHECK_OK(commitment_id != NULL, &err)) goto done;
  CHECK_OK(fs_update_case(one, case_id, "{\"summary\":\"Water comes in when it rains\"}", &err),
           &err);

  text = fs_status(one, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"pending_ops\":6"));
  CHECK(contains(text, "\"signed_in\":true"));
  fs_free(text);

  text = fs_list_cases(one, "{\"mine\":true,\"overdue_on\":\"2026-07-01\"}", &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, case_id));
  CHECK(contains(text, "\"overdue_commitments\":1"));
  CHECK(contains(text, "\"local_changes\":true"));
  fs_free(text);
  text = fs_list_cases(one, "{\"overdue_on\":\"2026-05-01\"}", &err);
  CHECK_OK(text != NULL, &err);
  CHECK(text != NULL && strcmp(text, "[]") == 0);
  fs_free(text);
  /* The reviewer's criteria, offline: the overdue case has no late report nor open conflict. */
  text = fs_list_cases(one, "{\"overdue_on\":\"2026-07-01\",\"conflicts_open\":false}", &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, case_id));
  CHECK(contains(text, "\"overdue\":true"));
  CHECK(contains(text, "\"late_reports\":0"));
  fs_free(text);
  text = fs_list_cases(one, "{\"late_report\":true,\"collective\":true}", &err);
  CHECK_OK(text != NULL, &err);
  CHECK(text != NULL && strcmp(text, "[]") == 0);
  fs_free(text);

  check_bad_input(one, case_id, "\"pending_ops\":6");
  check_hostile_input(one, case_id, "\"pending_ops\":6");

  /* Tablet 1 syncs: everything is accepted, nothing pending. */
  memset(&log, 0, sizeof log);
  reset(&err);
  text = fs_sync(one, on_progress, &log, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"accepted\":6"));
  CHECK(contains(text, "\"rejected\":0"));
  CHECK(contains(text, "\"cancelled\":false"));
  CHECK(log.push_calls >= 1);
  CHECK(log.calls >= log.push_calls);
  CHECK(log.bad_counts == 0);
  fs_free(text);
  text = fs_status(one, &err);
  CHECK(contains(text, "\"pending_ops\":0"));
  CHECK(contains(text, "\"last_error\":null"));
  fs_free(text);

  /* Tablet 2 syncs (a snapshot: a new device) and reads the case back. */
  reset(&err);
  text = fs_sync(two, NULL, NULL, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"snapshot\":true"));
  fs_free(text);
  reset(&err);
  text = fs_get_case(two, case_id, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "Roof leaks at block 7"));
  CHECK(contains(text, "Water comes in when it rains"));
  CHECK(contains(text, visit_id));
  CHECK(contains(text, correction_id));
  CHECK(contains(text, "inspection on Friday"));
  CHECK(contains(text, commitment_id));
  CHECK(contains(text, "Repair the roof"));
  CHECK(contains(text, petitioner_id));
  CHECK(contains(text, "\"local_changes\":false"));
  fs_free(text);
  text = fs_status(two, &err);
  CHECK(contains(text, "\"pending_ops\":0"));
  CHECK(contains(text, "\"snapshot_done\":true"));
  fs_free(text);
  text = fs_open_conflicts(two, &err);
  CHECK(text != NULL && strcmp(text, "[]") == 0);
  fs_free(text);

  /* And back: tablet 2 marks the commitment done; a cancel asked from the progress callback
   * stops that sync after the push, the next one finishes, tablet 1 sees it. */
  reset(&err);
  CHECK_OK(fs_complete_commitment(two, commitment_id, "2026-05-30T10:00:00Z", &err), &err);
  memset(&log, 0, sizeof log);
  log.cancel_on_push = 1;
  log.client = two;
  text = fs_sync(two, on_progress, &log, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"accepted\":1"));
  CHECK(contains(text, "\"cancelled\":true"));
  fs_free(text);
  text = fs_sync(two, NULL, NULL, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"cancelled\":false"));
  fs_free(text);
  text = fs_sync(one, NULL, NULL, &err);
  CHECK_OK(text != NULL, &err);
  fs_free(text);
  text = fs_get_case(one, case_id, &err);
  CHECK_OK(text != NULL, &err);
  CHECK(contains(text, "\"status\":\"done\""));
  CHECK(contains(text, "\"done_at\":\"2026-05-30T10:00:00Z\""));
  fs_free(text);
  text = fs_status(two, &err);
  CHECK(contains(text, "\"pending_ops\":0"));
  fs_free(text);

  check_leader_and_transfer(one, two, case_id);

done:
  fs_free(case_id);
  fs_free(visit_id);
  fs_free(correction_id);
  fs_free(commitment_id);
  fs_free(petitioner_id);
  fs_client_close(one);
  fs_client_close(two);
}

int main(void) {
  const char* tmp = getenv("TMPDIR");
  char dir[kPathMax];
  server s;
  int stopped;

  format_to(dir, sizeof dir, "%s/fieldsync-c-XXXXXX", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
    printf("0 passed, 1 failed\n");
    return 1;
  }

  check_version_and_nulls();
  check_offline_client(dir);
  check_bad_url(dir);
  check_use_after_close(dir);
  if (CHECK(start_server(dir, &s))) {
    run_scenario(dir, s.url);
  }
  stopped = stop_server(&s);
  CHECK(stopped == 0);
  if (stopped != 0) print_file(s.log_path);
  CHECK(remove_tree(dir));

  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 && g_passed > 0 ? 0 : 1;
}
