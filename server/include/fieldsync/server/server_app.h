#pragma once
// Everything `fieldsync-server serve` runs over one data directory, assembled: the store, the
// model, sign-in, the sync service, metrics and the API router. The HTTP edge is added by the
// caller, so tests can drive the router directly.
#include <filesystem>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/domain/deadlines.h"
#include "fieldsync/server/api_router.h"
#include "fieldsync/server/auth.h"
#include "fieldsync/server/metrics.h"
#include "fieldsync/server/review_service.h"
#include "fieldsync/server/sync_service.h"
#include "fieldsync/sqlite/checkpointer.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server {

class ServerApp {
 public:
  // Opens DIR/fieldsync.db (migrating it to this binary's schema). Throws storage/
  // not_initialised when the directory has no store (run `fieldsync-server init`).
  // REQUIRES: wall and random outlive the app.
  // `urgent_report_threshold_ms`: how long after known_at an urgent report may reach the
  // office before it is marked late (serve --urgent-report-threshold).
  ServerApp(const std::filesystem::path& data_dir, WallClock& wall, RandomSource& random,
            AuthPolicy policy = {},
            std::int64_t urgent_report_threshold_ms = domain::kDefaultUrgentReportThresholdMs);

  ApiHandler& handler() { return router_; }
  // The sync service, for fault tests' seam (SyncService::set_op_fault).
  SyncService& sync_service() { return sync_; }

 private:
  sqlite::Database db_;
  sqlite::Checkpointer checkpoints_;  // db_'s WAL checkpoints, on a thread of their own
  sqlite::Database sign_in_db_;       // a second connection, so slow logins block nothing else
  Authenticator sign_in_;
  Authenticator auth_;
  SyncService sync_;
  ReviewService review_;
  Metrics metrics_;
  ApiRouter router_;
};

}  // namespace fieldsync::server
