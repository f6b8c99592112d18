// A gateway wired to a real RiskGuard, ExecutionPolicy and SQLite AuditJournal in a temporary
// directory, plus a reader that verifies the journal and sorts its records by kind.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cst/audit/audit_journal.hpp"
#include "cst/audit/journal_verify.hpp"
#include "cst/gateway/execution_gateway.hpp"
#include "cst/gateway/execution_policy.hpp"
#include "cst/risk/risk_guard.hpp"
#include "support/trading_fixtures.hpp"

namespace cst::test {

struct JournalContents {
  VerifyReport report;
  std::vector<std::string> decisions;                      // payloads of "decision" records
  std::vector<std::pair<std::string, std::string>> notes;  // kind, payload of every other record
  std::size_t count_notes(std::string_view kind) const {
    std::size_t n = 0;
    for (const auto& [k, p] : notes) n += k == kind ? 1 : 0;
    return n;
  }
};

// Verifies the journal at `path` and reads every record; fails the test if it cannot.
inline JournalContents read_journal(const std::string& path) {
  JournalContents out;
  auto report = verify_journal(path);
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
  if (!report.ok()) return out;
  out.report = *report;
  Status s = for_each_record(path, [&](const JournalRecordView& r) {
    if (r.kind == "decision") {
      out.decisions.emplace_back(r.payload);
    } else {
      out.notes.emplace_back(std::string(r.kind), std::string(r.payload));
    }
    return true;
  });
  EXPECT_TRUE(s.ok());
  return out;
}

struct GatewayHarnessOptions {
  RiskProfile profile = RiskProfile::kModerate;
  TradingMode mode = TradingMode::kBacktest;
  ExecutionPolicyConfig policy{};
  GatewayOptions gateway{};
};

class GatewayHarness {
 public:
  explicit GatewayHarness(const std::string& journal_path, GatewayHarnessOptions options = {})
      : path_(journal_path), policy_(options.policy) {
    auto risk = RiskGuard::create(options.profile, options.mode);
    EXPECT_TRUE(risk.ok());
    risk_.emplace(*risk);
    JournalOptions jo;
    jo.durability = JournalDurability::kNone;  // fast; durability is the journal's own tests' concern
    jo.queue_capacity = 1024;
    auto journal = AuditJournal::open(path_, jo);
    EXPECT_TRUE(journal.ok()) << (journal.ok() ? "" : journal.error().message);
    if (journal.ok()) journal_ = std::move(*journal);
    if (journal_) gateway_ = std::make_unique<ExecutionGateway>(*risk_, policy_, *journal_, options.gateway);
  }

  bool ready() const { return gateway_ != nullptr; }
  ExecutionGateway& gateway() { return *gateway_; }
  AuditJournal& journal() { return *journal_; }

  // decide() that also counts the decisions made, for the journal check.
  GatewayOutcome decide(const OrderIntent& intent, const AccountState& account, const MarketSnapshot& market,
                        Timestamp now, const Instrument& instrument = test_instrument()) {
    ++decisions_;
    return gateway_->decide(intent, instrument, account, market, now);
  }
  int decisions() const { return decisions_; }

  // Closes the journal (the gateway must not be used afterwards) and reads it back, checking
  // that it verifies, is sealed and holds exactly one decision record per decide().
  JournalContents close_and_check() {
    EXPECT_TRUE(journal_->close().ok());
    JournalContents c = read_journal(path_);
    EXPECT_TRUE(c.report.ok) << c.report.problem;
    EXPECT_TRUE(c.report.sealed);
    EXPECT_EQ(c.decisions.size(), static_cast<std::size_t>(decisions_));
    closed_ = true;
    return c;
  }
  bool closed() const { return closed_; }
  std::string head_hash() const { return journal_->head_hash_hex(); }

 private:
  std::string path_;
  std::optional<RiskGuard> risk_;
  ExecutionPolicy policy_;
  std::unique_ptr<AuditJournal> journal_;
  std::unique_ptr<ExecutionGateway> gateway_;
  int decisions_ = 0;
  bool closed_ = false;
};

}  // namespace cst::test
