#include "fault_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace fieldsync::testing {
namespace {

struct Controls {
  std::mutex mutex;
  std::optional<std::int64_t> budget;  // guarded by mutex
  std::atomic<FailingOp> failing{FailingOp::none};
  std::atomic<std::int64_t> full_faults{0};
  std::atomic<std::int64_t> io_faults{0};
};

Controls& controls() {
  static Controls c;
  return c;
}

sqlite3_vfs* real_vfs() {
  static sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  return vfs;
}

// A file opened through the fault VFS: our header, then the real VFS's file object.
struct FaultFile {
  sqlite3_file base;
  bool faultable;  // main database, WAL or journal
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultFile* as_fault(sqlite3_file* file) {
  return reinterpret_cast<FaultFile*>(file);
}

bool failing(FaultFile* f, FailingOp op) {
  if (!f->faultable || controls().failing.load() != op) return false;
  controls().io_faults.fetch_add(1);
  return true;
}

int x_close(sqlite3_file* file) {
  sqlite3_file* real = as_fault(file)->real();
  const int rc = real->pMethods != nullptr ? real->pMethods->xClose(real) : SQLITE_OK;
  file->pMethods = nullptr;
  return rc;
}

int x_read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  FaultFile* f = as_fault(file);
  if (failing(f, FailingOp::read)) return SQLITE_IOERR_READ;
  return f->real()->pMethods->xRead(f->real(), buffer, amount, offset);
}

int x_write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  FaultFile* f = as_fault(file);
  if (failing(f, FailingOp::write)) return SQLITE_IOERR_WRITE;
  if (f->faultable) {
    Controls& c = controls();
    std::lock_guard lock(c.mutex);
    if (c.budget) {
      sqlite3_int64 size = 0;
      const int rc = f->real()->pMethods->xFileSize(f->real(), &size);
      if (rc != SQLITE_OK) return rc;
      const std::int64_t growth = std::max<std::int64_t>(0, offset + amount - size);
      if (growth > *c.budget) {
        c.full_faults.fetch_add(1);
        return SQLITE_FULL;
      }
      *c.budget -= growth;
    }
  }
  return f->real()->pMethods->xWrite(f->real(), buffer, amount, offset);
}

int x_truncate(sqlite3_file* file, sqlite3_int64 size) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xTruncate(f->real(), size);
}

int x_sync(sqlite3_file* file, int flags) {
  FaultFile* f = as_fault(file);
  if (failing(f, FailingOp::sync)) return SQLITE_IOERR_FSYNC;
  return f->real()->pMethods->xSync(f->real(), flags);
}

int x_file_size(sqlite3_file* file, sqlite3_int64* size) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xFileSize(f->real(), size);
}

int x_lock(sqlite3_file* file, int level) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xLock(f->real(), level);
}

int x_unlock(sqlite3_file* file, int level) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xUnlock(f->real(), level);
}

int x_check_reserved_lock(sqlite3_file* file, int* out) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xCheckReservedLock(f->real(), out);
}

int x_file_control(sqlite3_file* file, int op, void* arg) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xFileControl(f->real(), op, arg);
}

int x_sector_size(sqlite3_file* file) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xSectorSize(f->real());
}

int x_device_characteristics(sqlite3_file* file) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xDeviceCharacteristics(f->real());
}

int x_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xShmMap(f->real(), page, page_size, extend, out);
}

int x_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xShmLock(f->real(), offset, n, flags);
}

void x_shm_barrier(sqlite3_file* file) {
  FaultFile* f = as_fault(file);
  f->real()->pMethods->xShmBarrier(f->real());
}

int x_shm_unmap(sqlite3_file* file, int delete_flag) {
  FaultFile* f = as_fault(file);
  return f->real()->pMethods->xShmUnmap(f->real(), delete_flag);
}

int x_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  // No memory-mapped reads: every read goes through x_read, where faults are injected.
  static_cast<void>(file);
  static_cast<void>(offset);
  static_cast<void>(amount);
  *out = nullptr;
  return SQLITE_OK;
}

int x_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  static_cast<void>(file);
  static_cast<void>(offset);
  static_cast<void>(page);
  return SQLITE_OK;
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int v_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  FaultFile* f = as_fault(file);
  f->base.pMethods = nullptr;
  f->faultable = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL)) != 0;
  sqlite3_file* real = f->real();
  std::memset(real, 0, static_cast<std::size_t>(real_vfs()->szOsFile));
  const int rc = real_vfs()->xOpen(real_vfs(), name, real, flags, out_flags);
  if (real->pMethods != nullptr) f->base.pMethods = &kMethods;
  return rc;
}

int v_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}

int v_access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

int v_full_pathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return real_vfs()->xFullPathname(real_vfs(), name, size, out);
}

void* v_dl_open(sqlite3_vfs*, const char* name) {
  return real_vfs()->xDlOpen(real_vfs(), name);
}

void v_dl_error(sqlite3_vfs*, int size, char* out) {
  real_vfs()->xDlError(real_vfs(), size, out);
}

void (*v_dl_sym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return real_vfs()->xDlSym(real_vfs(), handle, symbol);
}

void v_dl_close(sqlite3_vfs*, void* handle) {
  real_vfs()->xDlClose(real_vfs(), handle);
}

int v_randomness(sqlite3_vfs*, int size, char* out) {
  return real_vfs()->xRandomness(real_vfs(), size, out);
}

int v_sleep(sqlite3_vfs*, int microseconds) {
  return real_vfs()->xSleep(real_vfs(), microseconds);
}

int v_current_time(sqlite3_vfs*, double* out) {
  return real_vfs()->xCurrentTime(real_vfs(), out);
}

int v_get_last_error(sqlite3_vfs*, int size, char* out) {
  return real_vfs()->xGetLastError(real_vfs(), size, out);
}

int v_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) {
  return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

sqlite3_vfs make_vfs() {
  sqlite3_vfs* real = real_vfs();
  if (real == nullptr || real->iVersion < 2) throw std::runtime_error("no usable default VFS");
  sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + real->szOsFile;
  vfs.mxPathname = real->mxPathname;
  vfs.zName = kFaultVfsName;
  vfs.xOpen = v_open;
  vfs.xDelete = v_delete;
  vfs.xAccess = v_access;
  vfs.xFullPathname = v_full_pathname;
  vfs.xDlOpen = v_dl_open;
  vfs.xDlError = v_dl_error;
  vfs.xDlSym = v_dl_sym;
  vfs.xDlClose = v_dl_close;
  vfs.xRandomness = v_randomness;
  vfs.xSleep = v_sleep;
  vfs.xCurrentTime = v_current_time;
  vfs.xGetLastError = v_get_last_error;
  vfs.xCurrentTimeInt64 = v_current_time_int64;
  return vfs;
}

sqlite3_vfs* fault_vfs() {
  static sqlite3_vfs vfs = make_vfs();
  return &vfs;
}

}  // namespace

void register_fault_vfs() {
  static const int rc = sqlite3_vfs_register(fault_vfs(), /*makeDflt=*/0);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot register the fault VFS");
}

FaultVfsAsDefault::FaultVfsAsDefault() {
  real_vfs();  // remembered before it stops being the default
  if (sqlite3_vfs_register(fault_vfs(), /*makeDflt=*/1) != SQLITE_OK)
    throw std::runtime_error("cannot make the fault VFS the default");
}

FaultVfsAsDefault::~FaultVfsAsDefault() {
  sqlite3_vfs_register(real_vfs(), /*makeDflt=*/1);
}

void set_growth_budget(std::optional<std::int64_t> bytes) {
  std::lock_guard lock(controls().mutex);
  controls().budget = bytes;
}

void set_failing_op(FailingOp op) {
  controls().failing.store(op);
}

std::int64_t full_faults_injected() {
  return controls().full_faults.load();
}

std::int64_t io_faults_injected() {
  return controls().io_faults.load();
}

}  // namespace fieldsync::testing
