// `fieldvisit sync`: send what this device recorded, bring what others did. A progress bar on
// a terminal, plain lines otherwise, a summary at the end.
#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"

namespace fieldsync::fieldvisit {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

// Ctrl-C stops the sync between batches (everything stored so far stays) while it lives.
class InterruptGuard {
 public:
  InterruptGuard() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &saved_int_);
    sigaction(SIGTERM, &action, &saved_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &saved_int_, nullptr);
    sigaction(SIGTERM, &saved_term_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction saved_int_ {};
  struct sigaction saved_term_ {};
};

// Shows sync progress: a bar redrawn in place on a terminal, one line per step otherwise.
class ProgressView {
 public:
  ProgressView(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}

  void update(const client::SyncProgress& p) {
    if (!terminal_) {
      if (p.phase == client::SyncPhase::push)
        out_ << "sent " << p.ops_sent << " of " << p.ops_total << " changes\n";
      else
        out_ << (p.phase == client::SyncPhase::snapshot ? "first copy: " : "") << "received "
             << p.rows_received << " rows\n";
      return;
    }
    std::string line;
    if (p.phase == client::SyncPhase::push) {
      line = "sending    " + bar(p.ops_sent, p.ops_total) + "  " + std::to_string(p.ops_sent) +
             "/" + std::to_string(p.ops_total) + " changes";
    } else {
      line = std::string(p.phase == client::SyncPhase::snapshot ? "first copy " : "receiving  ") +
             std::to_string(p.rows_received) + " rows";
    }
    if (open_ && p.phase != phase_) finish();  // keep the finished phase's line
    out_ << '\r' << line << std::string(width_ > line.size() ? width_ - line.size() : 0, ' ')
         << std::flush;
    width_ = line.size();
    phase_ = p.phase;
    open_ = true;
  }

  // Ends the redrawn line.
  void finish() {
    if (open_) out_ << '\n';
    open_ = false;
    width_ = 0;
  }

 private:
  static std::string bar(std::int64_t done, std::int64_t total) {
    constexpr int kWidth = 30;
    const auto filled =
        total > 0 ? static_cast<int>(std::min<std::int64_t>(kWidth, done * kWidth / total))
                  : kWidth;
    return "[" + std::string(static_cast<std::size_t>(filled), '#') +
           std::string(static_cast<std::size_t>(kWidth - filled), '.') + "]";
  }

  std::ostream& out_;
  bool terminal_;
  std::size_t width_ = 0;
  client::SyncPhase phase_ = client::SyncPhase::push;
  bool open_ = false;
};

int run_sync(Session& session) {
  client::Client& client = session.signed_in_client();
  const ServerSettings settings = session.server();
  const InterruptGuard guard;
  g_interrupted.store(false);
  session.connect(settings, [] { return g_interrupted.load(); });

  const client::SyncStatus before = client.status();
  std::ostream& out = session.out();
  const bool json = session.json();
  if (!json) {
    out << "Syncing with " << settings.url << ": " << count(before.pending_ops, "change")
        << " to send" << (before.snapshot_done ? "" : ", then a first copy of your units' data")
        << ".\n";
  }
  ProgressView progress(out, !json && isatty(STDOUT_FILENO));
  client::SyncOptions options;
  options.cancel = &g_interrupted;
  if (!json) options.progress = [&](const client::SyncProgress& p) { progress.update(p); };

  client::SyncReport report;
  try {
    report = client.sync(options);
  } catch (const Error& e) {
    progress.finish();
    CliError failure = explain(e, "sync", settings.url);
    if (e.domain() == ErrorDomain::transport && e.code() != "tls" && e.code() != "cancelled") {
      // The library's own advice repeats what the message below says.
      std::string message = e.message();
      const auto advice = message.find("; check the network");
      if (advice != std::string::npos) message.erase(advice);
      failure = explain(Error(e.domain(), e.code(), message), "sync", settings.url);
    }
    if (e.domain() == ErrorDomain::transport && e.code() != "tls" && e.code() != "cancelled") {
      throw CliError(failure.what() + std::string(" (") +
                         count(client.status().pending_ops, "change") + " waiting)",
                     failure.exit_code(), failure.code());
    }
    throw failure;
  }
  progress.finish();
  if (report.cancelled)
    throw CliError(
        "sync was interrupted; everything sent and received so far is kept: run "
        "`fieldvisit sync` again to finish",
        kExitFailed, "cancelled");

  const client::SyncStatus after = client.status();
  const std::int64_t sent = report.accepted + report.conflicts + report.rejected;
  const auto waiting_rejected = static_cast<std::int64_t>(after.rejected.size());
  const auto held = static_cast<std::int64_t>(after.held.size());
  const int exit_code =
      waiting_rejected > 0 || held > 0 || after.open_conflicts > 0 ? kExitAttention : kExitOk;
  if (json) {
    print_json(out, {{"sent", sent},
                     {"accepted", report.accepted},
                     {"conflicts", report.conflicts},
                     {"duplicates", report.duplicates},
                     {"rejected", report.rejected},
                     {"failed", report.failed},
                     {"received", report.rows_received},
                     {"snapshot", report.snapshot},
                     {"cursor", report.cursor},
                     {"pending_ops", after.pending_ops},
                     {"rejected_ops_waiting", waiting_rejected},
                     {"held_ops", held},
                     {"open_conflicts", after.open_conflicts},
                     {"exit_code", exit_code}});
    return exit_code;
  }
  out << "Sync finished: sent " << sent << ", accepted " << report.accepted << ", conflicts "
      << report.conflicts << ", rejected " << report.rejected << ", received "
      << report.rows_received << (report.snapshot ? " (first copy)" : "") << ".\n";
  if (report.failed > 0)
    out << "The server failed on " << count(report.failed, "change")
        << " (an error of its own, logged there); the tablet keeps "
        << (report.failed == 1 ? "it" : "them") << " and sends "
        << (report.failed == 1 ? "it" : "them") << " again at the next sync.\n";
  if (after.pending_ops > held)
    out << count(after.pending_ops - held, "change")
        << " still to send: run `fieldvisit sync` again.\n";
  if (held > 0)
    out << count(held, "change is", "changes are")
        << " held aside after repeated server failures, so that nothing else waits behind "
        << (held == 1 ? "it" : "them")
        << ": see `fieldvisit status`; `fieldvisit retry` sends them again.\n";
  if (waiting_rejected > 0)
    out << count(waiting_rejected, "change was", "changes were") << " refused by the server and "
        << (waiting_rejected == 1 ? "waits" : "wait") << " for you: see `fieldvisit status`.\n";
  if (after.open_conflicts > 0)
    out << count(after.open_conflicts, "open conflict") << " on this device "
        << (after.open_conflicts == 1 ? "needs" : "need")
        << " a decision: see `fieldvisit conflicts`.\n";
  if (exit_code == kExitOk) out << "Everything is in step with the server.\n";
  return exit_code;
}

}  // namespace

void add_sync_command(CLI::App& app, Action& action) {
  auto* sync = app.add_subcommand(
      "sync", "Send this device's changes to the server, then bring everyone else's");
  sync->footer(
      "Exit 0: in step; 1: the sync failed (nothing is lost; run it again); 3: it completed but "
      "changes were rejected or held aside, or conflicts are open. Ctrl-C stops it between "
      "batches.");
  sync->callback([&action] { action = [](Session& s) { return run_sync(s); }; });
}

}  // namespace fieldsync::fieldvisit
