#include "cst/audit/audit_journal.hpp"

#include <atomic>
#include <mutex>

#include "cst/audit/journal_store.hpp"
#include "cst/audit/journal_writer.hpp"
#include "cst/audit/record_queue.hpp"

namespace cst {

using audit::JournalEntry;

namespace {

Status validate(const JournalOptions& o) {
  constexpr std::size_t kMaxCapacity = std::size_t{1} << 24;
  if (o.queue_capacity == 0 || o.queue_capacity > kMaxCapacity)
    return make_error(ErrorCode::kInvalidArgument, "journal queue_capacity must be 1.." + std::to_string(kMaxCapacity));
  if (o.max_batch == 0 || o.max_batch > kMaxCapacity)
    return make_error(ErrorCode::kInvalidArgument, "journal max_batch must be 1.." + std::to_string(kMaxCapacity));
  if (o.linger < std::chrono::microseconds::zero() || o.linger > std::chrono::hours(24))
    return make_error(ErrorCode::kInvalidArgument, "journal linger must be 0 .. 24 hours");
  return Status::Ok();
}

}  // namespace

struct AuditJournal::Impl {
  Impl(std::unique_ptr<audit::JournalStore> store, const std::string& p, const JournalOptions& o)
      : path(p), queue(o.queue_capacity), writer(std::move(store), queue, o, p) {}

  const std::string path;
  audit::RecordQueue queue;
  audit::JournalWriter writer;            // after the queue, which it uses until it stops
  std::atomic<std::uint64_t> refused{0};  // appends not journaled (after failure or close)

  std::mutex close_mu;  // serializes close()
  bool closed = false;
  Status close_status;
};

Result<std::unique_ptr<AuditJournal>> AuditJournal::open(const std::string& path, const JournalOptions& options) {
  Status valid = validate(options);
  if (!valid.ok()) return valid.error();
  auto store = audit::JournalStore::open(path, options.durability);
  if (!store.ok()) return store.error();
  auto impl = std::make_unique<Impl>(std::move(*store), path, options);
  Status started = impl->writer.start();
  if (!started.ok()) return started.error();
  return std::unique_ptr<AuditJournal>(new AuditJournal(std::move(impl)));
}

AuditJournal::AuditJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AuditJournal::~AuditJournal() {
  // close() reports failures as a Status; only an allocation failure while building its message
  // can throw, and a destructor must not let that escape (it would terminate mid-unwind).
  try {
    (void)close();
  } catch (...) {
  }
}

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
  // Every position below claimed() belongs to an append that started before this call.
  return impl_->writer.flush(impl_->queue.claimed());
}

Status AuditJournal::close() {
  std::lock_guard<std::mutex> close_lock(impl_->close_mu);
  if (impl_->closed) return impl_->close_status;
  impl_->queue.close();  // from here on only the seal goes in; returns once racing appends landed
  if (impl_->writer.status().ok())
    (void)impl_->queue.push_after_close([](JournalEntry& e) { e.emplace<audit::SealRequest>(); });
  Status s = flush();
  impl_->writer.stop();
  if (s.ok()) s = impl_->writer.status();
  if (s.ok()) s = impl_->writer.finish_file();
  impl_->closed = true;
  impl_->close_status = s;
  return s;
}

Status AuditJournal::health() const {
  Status writer = impl_->writer.status();
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

std::string AuditJournal::head_hash_hex() const { return audit::to_hex(impl_->writer.head().hash); }

std::uint64_t AuditJournal::records_written() const { return impl_->writer.head().count; }

std::uint64_t AuditJournal::commits() const { return impl_->writer.commits(); }

const std::string& AuditJournal::path() const { return impl_->path; }

}  // namespace cst
