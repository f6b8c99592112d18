#include "cst/audit/audit_journal.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "cst/audit/journal_store.hpp"
#include "cst/audit/record_format.hpp"
#include "cst/audit/record_queue.hpp"

namespace cst {

using audit::JournalEntry;
using audit::PendingRecord;

namespace {

// Turns one queued entry into its row; seq is the seq it will get, last_time_ns the time of the
// record before it (the seal has no time of its own).
void format_entry(const JournalEntry& entry, std::uint64_t seq, std::int64_t last_time_ns, PendingRecord* row) {
  if (const auto* d = std::get_if<DecisionRecord>(&entry)) {
    row->time_ns = d->time.ns;
    row->kind.assign(audit::kKindDecision);
    audit::format_decision_payload(*d, &row->payload);
  } else if (const auto* e = std::get_if<OrderEventRecord>(&entry)) {
    row->time_ns = e->time.ns;
    row->kind.assign(audit::kKindOrderEvent);
    audit::format_order_event_payload(*e, &row->payload);
  } else if (const auto* n = std::get_if<NoteRecord>(&entry)) {
    row->time_ns = n->time.ns;
    audit::format_note(*n, &row->kind, &row->payload);
  } else {
    row->time_ns = last_time_ns;
    row->kind.assign(audit::kKindJournalClose);
    audit::format_seal_payload(seq, &row->payload);
  }
}

Status validate(const JournalOptions& o) {
  constexpr std::size_t kMaxCapacity = std::size_t{1} << 24;
  if (o.queue_capacity == 0 || o.queue_capacity > kMaxCapacity)
    return make_error(ErrorCode::kInvalidArgument, "journal queue_capacity must be 1.." + std::to_string(kMaxCapacity));
  if (o.max_batch == 0 || o.max_batch > kMaxCapacity)
    return make_error(ErrorCode::kInvalidArgument, "journal max_batch must be 1.." + std::to_string(kMaxCapacity));
  return Status::Ok();
}

}  // namespace

struct AuditJournal::Impl {
  Impl(std::unique_ptr<audit::JournalStore> s, const std::string& p, const JournalOptions& o)
      : path(p), options(o), store(std::move(s)), queue(o.queue_capacity), head(store->head()) {}

  void run();
  void write_batches();
  void fail(Status s);
  Status writer_status() const;

  const std::string path;
  const JournalOptions options;
  std::unique_ptr<audit::JournalStore> store;  // writer thread only, once started
  audit::RecordQueue queue;
  std::thread writer;
  std::atomic<bool> stop{false};
  std::atomic<bool> failed{false};
  std::atomic<std::uint64_t> refused{0};  // appends not journaled (after failure or close)

  mutable std::mutex mu;  // guards the fields below
  std::condition_variable progress;
  std::uint64_t committed = 0;  // queue positions committed by this session
  audit::JournalHead head;
  Status error;

  std::mutex close_mu;  // serializes close()
  bool closed = false;
  Status close_status;
};

void AuditJournal::Impl::run() {
  // No exception may leave the thread; one that escapes formatting (out of memory) stops the
  // journal like any other writer failure.
  try {
    write_batches();
  } catch (const std::exception& e) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path + "': writer stopped: " + e.what()));
  } catch (...) {
    fail(make_error(ErrorCode::kIo, "audit journal '" + path + "': writer stopped by an unknown exception"));
  }
}

void AuditJournal::Impl::write_batches() {
  std::vector<PendingRecord> batch(std::min(options.max_batch, queue.capacity()));
  for (;;) {
    std::uint64_t seq = store->head().count;
    std::int64_t last_time = store->last_time_ns();
    std::size_t n = 0;
    queue.drain(batch.size(), [&](JournalEntry& entry) {
      PendingRecord& row = batch[n++];
      format_entry(entry, ++seq, last_time, &row);
      last_time = row.time_ns;
    });
    if (n == 0) {
      if (stop.load(std::memory_order_acquire)) return;
      queue.wait_for_entry([&] { return stop.load(std::memory_order_acquire); });
      continue;
    }
    Status s = store->commit(batch.data(), n);
    if (!s.ok()) {
      fail(std::move(s));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      committed += n;
      head = store->head();
    }
    progress.notify_all();
  }
}

void AuditJournal::Impl::fail(Status s) {
  {
    std::lock_guard<std::mutex> lock(mu);
    error = std::move(s);
    failed.store(true, std::memory_order_release);
  }
  queue.abort();  // wakes producers asleep on a full queue
  progress.notify_all();
}

Status AuditJournal::Impl::writer_status() const {
  std::lock_guard<std::mutex> lock(mu);
  return failed.load(std::memory_order_acquire) ? error : Status::Ok();
}

Result<std::unique_ptr<AuditJournal>> AuditJournal::open(const std::string& path, const JournalOptions& options) {
  Status valid = validate(options);
  if (!valid.ok()) return valid.error();
  auto store = audit::JournalStore::open(path, options.durability);
  if (!store.ok()) return store.error();
  auto impl = std::make_unique<Impl>(std::move(*store), path, options);
  Impl* p = impl.get();
  try {
    p->writer = std::thread([p] { p->run(); });
  } catch (const std::system_error& e) {
    return make_error(ErrorCode::kIo, "audit journal '" + path + "': cannot start the writer thread: " + e.what());
  }
  return std::unique_ptr<AuditJournal>(new AuditJournal(std::move(impl)));
}

AuditJournal::AuditJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AuditJournal::~AuditJournal() { (void)close(); }

void AuditJournal::append(const DecisionRecord& record) {
  if (!impl_->queue.push([&](JournalEntry& e) { e.emplace<DecisionRecord>(record); }))
    impl_->refused.fetch_add(1, std::memory_order_relaxed);
}

void AuditJournal::append(const OrderEventRecord& record) {
  if (!impl_->queue.push([&](JournalEntry& e) { e.emplace<OrderEventRecord>(record); }))
    impl_->refused.fetch_add(1, std::memory_order_relaxed);
}

void AuditJournal::append(NoteRecord record) {
  if (!impl_->queue.push([&](JournalEntry& e) { e.emplace<NoteRecord>(std::move(record)); }))
    impl_->refused.fetch_add(1, std::memory_order_relaxed);
}

Status AuditJournal::flush() {
  // Every position below `target` belongs to an append that started before this call.
  const std::uint64_t target = impl_->queue.claimed();
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->progress.wait(lock,
                       [&] { return impl_->committed >= target || impl_->failed.load(std::memory_order_acquire); });
  if (impl_->failed.load(std::memory_order_acquire)) return impl_->error;
  return Status::Ok();
}

Status AuditJournal::close() {
  std::lock_guard<std::mutex> close_lock(impl_->close_mu);
  if (impl_->closed) return impl_->close_status;
  impl_->queue.close();  // from here on only the seal goes in; returns once racing appends landed
  if (!impl_->failed.load(std::memory_order_acquire))
    (void)impl_->queue.push_after_close([](JournalEntry& e) { e.emplace<audit::SealRequest>(); });
  Status s = flush();
  impl_->stop.store(true, std::memory_order_release);
  impl_->queue.wake_consumer();
  impl_->writer.join();
  if (s.ok()) s = impl_->writer_status();
  impl_->closed = true;
  impl_->close_status = s;
  return s;
}

Status AuditJournal::health() const {
  Status writer = impl_->writer_status();
  const std::uint64_t refused = impl_->refused.load(std::memory_order_relaxed);
  if (!writer.ok()) {
    if (refused == 0) return writer;
    return make_error(writer.error().code,
                      writer.error().message + "; " + std::to_string(refused) + " later appends were not journaled");
  }
  if (refused > 0)
    return make_error(ErrorCode::kInvalidArgument, "audit journal '" + impl_->path + "': " + std::to_string(refused) +
                                                       " records appended after close() were not journaled");
  return Status::Ok();
}

std::string AuditJournal::head_hash_hex() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return audit::to_hex(impl_->head.hash);
}

std::uint64_t AuditJournal::records_written() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->head.count;
}

const std::string& AuditJournal::path() const { return impl_->path; }

}  // namespace cst
