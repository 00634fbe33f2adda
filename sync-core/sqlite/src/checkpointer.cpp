#include "fieldsync/sqlite/checkpointer.h"

namespace fieldsync::sqlite {

Checkpointer::Checkpointer(Database& writer, const OpenOptions& options, int limit_pages)
    : writer_(writer), own_(Database::open(writer.path(), options)), limit_pages_(limit_pages) {
  thread_ = std::thread([this] { run(); });
  sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_commit, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_autocheckpoint(writer_.handle(), 1000);  // SQLite's default hook again
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto* me = static_cast<Checkpointer*>(self);
  if (wal_pages > me->limit_pages_) {
    // A failed or partial checkpoint leaves the pages in the WAL, where readers find them.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  {
    std::lock_guard lock(me->mutex_);
    me->pending_ = true;
  }
  me->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return pending_ || stop_; });
    const bool last = stop_;
    pending_ = false;
    lock.unlock();
    // SQLITE_BUSY (another checkpoint is running) and errors leave the pages in the WAL, where
    // readers find them; the next commit asks again.
    sqlite3_wal_checkpoint_v2(own_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    if (last) return;
  }
}

}  // namespace fieldsync::sqlite
