#include "cst/audit/wal_checkpointer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <exception>
#include <system_error>
#include <utility>

#include "cst/audit/journal_store.hpp"

namespace cst::audit {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::string& path, JournalDurability durability,
                                                                int threshold, int limit) {
  auto db = open_sqlite(path, OpenMode::kReadWriteCreate);
  if (!db.ok()) return db.error();
  // A checkpoint syncs the WAL before it copies and the file after, as this connection's
  // synchronous setting says: the journal's durability.
  Status s = exec(db->get(), path, synchronous_pragma(durability));
  if (!s.ok()) return s.error();
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(path, std::move(*db), threshold, limit));
  try {
    c->thread_ = std::thread([p = c.get()] { p->run(); });
  } catch (const std::system_error& e) {
    return make_error(ErrorCode::kIo, "audit journal '" + path + "': cannot start the checkpoint thread: " + e.what());
  }
  return c;
}

WalCheckpointer::WalCheckpointer(std::string path, SqliteDb db, int threshold, int limit)
    : path_(std::move(path)), db_(std::move(db)), threshold_(threshold), limit_(limit) {}

WalCheckpointer::~WalCheckpointer() { stop(); }

void WalCheckpointer::after_commit(int wal_frames) {
  std::unique_lock<std::mutex> lock(mu_);
  // A WAL smaller than at the last commit has started over from its beginning.
  appended_ += wal_frames >= last_frames_ ? wal_frames - last_frames_ : wal_frames;
  last_frames_ = wal_frames;
  if (stopping_ || !error_.ok()) return;
  const bool over_limit = wal_frames > limit_;
  if (appended_ < threshold_ && !over_limit) return;
  wake_.notify_one();
  if (!over_limit) return;
  // Wait for a pass that starts after this commit (the one running now, if any, may not see
  // its frames). With the writer waiting it copies the whole WAL, so the next transaction
  // starts the WAL over.
  over_limit_ = true;
  const std::uint64_t target = started_ + 1;
  done_.wait(lock, [&] { return finished_ >= target || stopping_ || !error_.ok(); });
  over_limit_ = false;
}

void WalCheckpointer::run() {
#ifdef __linux__
  (void)pthread_setname_np(pthread_self(), "cst-audit-ckpt");  // for top, perf and debuggers
#endif
  try {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || appended_ >= threshold_ || over_limit_; });
      if (stopping_) return;
      appended_ = 0;
      ++started_;
      lock.unlock();
      const int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      const int primary = sqlite3_extended_errcode(db_.get()) & 0xff;
      Status failed = Status::Ok();
      if (rc != SQLITE_OK && primary != SQLITE_BUSY && primary != SQLITE_LOCKED)
        failed = sqlite_error(db_.get(), path_, "cannot checkpoint the WAL into the journal");
      lock.lock();
      ++finished_;
      // Frames left behind (written while the pass ran, or still read by a reader, or all of
      // them if another connection was checkpointing: busy) go with the next pass.
      done_.notify_all();
      if (!failed.ok()) {
        error_ = std::move(failed);
        return;
      }
    }
  } catch (const std::exception& e) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path_ + "': checkpoint thread stopped: " + e.what()));
  }
}

void WalCheckpointer::fail(Status s) {
  std::lock_guard<std::mutex> lock(mu_);
  if (error_.ok()) error_ = std::move(s);
  done_.notify_all();
}

Status WalCheckpointer::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void WalCheckpointer::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  done_.notify_all();
  if (thread_.joinable()) thread_.join();
  db_.reset();  // the thread has ended; its connection is this thread's now
}

std::uint64_t WalCheckpointer::passes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return finished_;
}

}  // namespace cst::audit
