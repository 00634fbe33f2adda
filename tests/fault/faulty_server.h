#pragma once
// What `fieldsync-server serve` runs behind its HTTP edge, in-process: a ServerApp (API router,
// sync service, sign-in) on a real store whose connections are opened through the fault VFS
// (fault_vfs.h), so a test can fill the disk or break its reads and writes under a push.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/hlc.h"
#include "fieldsync/core/op.h"
#include "fieldsync/server/api_types.h"
#include "fieldsync/server/server_app.h"
#include "server_process.h"

namespace fieldsync::testing {

class FaultyServer {
 public:
  // A store with units "Plant" and "Plant/Unit A" and a field leader "leader" in Unit A.
  FaultyServer();
  ~FaultyServer();
  FaultyServer(const FaultyServer&) = delete;
  FaultyServer& operator=(const FaultyServer&) = delete;

  const std::filesystem::path& store() const { return store_; }
  // Checkpoints the WAL into the database and truncates it, so that every later write grows
  // the WAL (and meets a growth budget).
  void truncate_wal();

  // Signs the leader in on a fresh device; returns the token (REQUIREs 200).
  std::string login();
  // POST /v1/sync/push with `ops` as the leader's device; the response.
  server::ApiResponse push(const std::string& token, const std::vector<Op>& ops);

  // A case in Unit A and `visits` visits on it, each with notes of `notes_bytes` (at least)
  // that start with `personal_notes`, by the device of the last login.
  std::vector<Op> case_with_visits(int visits, std::size_t notes_bytes,
                                   const std::string& personal_notes);

  // The accepted data: op_log, the case and visit tables and the change index, as text.
  std::string digest();
  // What the server logged (spdlog's default logger, redirected here while the object lives).
  std::string log_text() const { return log_.str(); }

 private:
  std::ostringstream log_;
  std::shared_ptr<spdlog::logger> previous_logger_;
  TempDir dir_;
  SystemClock wall_;
  SecureRandom random_;
  HlcClock hlc_{wall_};
  std::string unit_a_, user_id_, device_id_;
  std::filesystem::path store_;  // after what initialising it fills in
  std::unique_ptr<server::ServerApp> app_;
};

}  // namespace fieldsync::testing
