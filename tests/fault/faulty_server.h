#pragma once
// What `fieldsync-server serve` runs behind its HTTP edge, in-process: a ServerApp (API router,
// sync service, sign-in) on a real store whose connections are opened through the fault VFS
// (fault_vfs.h), so a test can fill the disk or break its reads and writes under a push.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

  const std::filesystem::path& store() const { return store_; }
  // Checkpoints the WAL into the database and truncates it, so that every later write grows
  // the WAL (and meets a growth budget).
  void truncate_wal();

  // Signs the leader in on a fresh device; returns the token (REQUIREs 200).
  std::string login();
  // POST /v1/sync/push with `ops` as the leader's device; the response.
  server::ApiResponse push(const std::string& token, const std::vector<Op>& ops);

  // A case in Unit A and `visits` visits on it, each with `notes_bytes` of notes, by the
  // device of the last login.
  std::vector<Op> case_with_visits(int visits, std::size_t notes_bytes);

  // The accepted data: op_log, the case and visit tables and the change index, as text.
  std::string digest();

 private:
  TempDir dir_;
  SystemClock wall_;
  SecureRandom random_;
  HlcClock hlc_{wall_};
  std::string unit_a_, user_id_, device_id_;
  std::filesystem::path store_;  // after what initialising it fills in
  std::unique_ptr<server::ServerApp> app_;
};

}  // namespace fieldsync::testing
