#pragma once
// A test seam for disk faults: an SQLite VFS named kFaultVfsName that wraps the default VFS.
// A store opened through it (OpenOptions::vfs, ClientOptions::storage_vfs) behaves exactly as
// on the default VFS until the test arms a fault:
//  - a growth budget: the database, WAL and journal files together may grow by at most this
//    many more bytes; a write that would grow them further fails with SQLITE_FULL (as a full
//    disk does: overwriting bytes a file already has still works);
//  - a failing operation: every read, every write or every fsync of those files fails with
//    SQLITE_IOERR_READ / _WRITE / _FSYNC.
// Temporary files and the WAL index (-shm, shared memory) are never faulted. The controls are
// process-wide and thread-safe; FaultScope disarms everything when it ends.
#include <cstdint>
#include <optional>

namespace fieldsync::testing {

inline constexpr const char* kFaultVfsName = "fieldsync_fault";

enum class FailingOp { none, read, write, sync };

// Registers the VFS (not as the default) once per process; later calls do nothing.
void register_fault_vfs();

// While alive, the fault VFS is SQLite's default, so that code which opens its own connections
// (ServerApp) opens them through it; a connection keeps its VFS after the scope ends.
class FaultVfsAsDefault {
 public:
  FaultVfsAsDefault();
  ~FaultVfsAsDefault();
  FaultVfsAsDefault(const FaultVfsAsDefault&) = delete;
  FaultVfsAsDefault& operator=(const FaultVfsAsDefault&) = delete;
};

// Bytes the files may still grow by (nullopt: unlimited).
void set_growth_budget(std::optional<std::int64_t> bytes);
void set_failing_op(FailingOp op);
// Faults returned so far: SQLITE_FULL answers, and SQLITE_IOERR answers.
std::int64_t full_faults_injected();
std::int64_t io_faults_injected();

// Disarms every fault on destruction (budget unlimited, no failing operation).
class FaultScope {
 public:
  FaultScope() { register_fault_vfs(); }
  ~FaultScope() {
    set_growth_budget(std::nullopt);
    set_failing_op(FailingOp::none);
  }
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;
};

}  // namespace fieldsync::testing
