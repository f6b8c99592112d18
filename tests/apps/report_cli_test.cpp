// `cst report compliance` as a user runs it: both files written, byte-identical reruns, the
// window options, exit 1 and a loud report for a tampered journal, exit 2 naming bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/compliance_journal.hpp"
#include "support/run_process.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using cst::test::read_file;
using cst::test::run_process;
using nlohmann::json;

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    journal_ = dir_.file("journal.db");
    cst::test::write_compliance_journal(journal_);
  }

  cst::test::ProcessResult report(std::vector<std::string> extra, const std::string& out) {
    std::vector<std::string> args = {CST_BINARY, "report", "compliance", "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_process(args);
  }

  cst::test::TempDir dir_;
  std::string journal_;
};

TEST_F(ReportCliTest, IntactJournalWritesBothFilesAndExitsZero) {
  const std::string out = dir_.file("out");
  auto r = report({"--journal", journal_}, out);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("intact, 32 records"), std::string::npos) << r.out;
  const json j = json::parse(read_file(out + "/compliance.json"));
  EXPECT_EQ(j["journal"]["intact"], true);
  EXPECT_EQ(j["decisions"]["total"], 8);
  const std::string html = read_file(out + "/compliance.html");
  EXPECT_NE(html.find("Journal intact"), std::string::npos);
  EXPECT_FALSE(fs::exists(out + "/compliance.html.tmp"));
}

TEST_F(ReportCliTest, RerunGivesByteIdenticalFiles) {
  const std::string a = dir_.file("a");
  const std::string b = dir_.file("b");
  ASSERT_EQ(report({"--journal", journal_, "--from", "2024-05-01T00:05:00Z"}, a).exit_code, 0);
  ASSERT_EQ(report({"--journal", journal_, "--from", "2024-05-01T00:05:00Z"}, b).exit_code, 0);
  EXPECT_EQ(read_file(a + "/compliance.html"), read_file(b + "/compliance.html"));
  EXPECT_EQ(read_file(a + "/compliance.json"), read_file(b + "/compliance.json"));
}

TEST_F(ReportCliTest, WindowTakesIsoTimesAndNanoseconds) {
  const std::string out = dir_.file("out");
  const std::int64_t to_ns = cst::test::compliance_time(45).ns;
  auto r = report({"--journal", journal_, "--from", "2024-05-01T00:15:00Z", "--to", std::to_string(to_ns)}, out);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json j = json::parse(read_file(out + "/compliance.json"));
  EXPECT_EQ(j["window"]["from"], "2024-05-01T00:15:00.000000000Z");
  EXPECT_EQ(j["window"]["to"], "2024-05-01T00:45:00.000000000Z");
  EXPECT_EQ(j["window"]["records"], 9);
  EXPECT_EQ(j["decisions"]["total"], 0);
}

TEST_F(ReportCliTest, TamperedJournalExitsOneAndTheReportSaysNotIntact) {
  cst::test::tamper_with_journal(journal_,
                                 R"(UPDATE records SET payload = replace(payload, '"level":"SEVERE"', '"level":"LOW"')
                   WHERE kind = 'threat_level')");
  const std::string out = dir_.file("out");
  auto r = report({"--journal", journal_}, out);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("NOT INTACT, broken at record 16"), std::string::npos) << r.out;
  const std::string html = read_file(out + "/compliance.html");
  const std::size_t banner = html.find("JOURNAL NOT INTACT");
  ASSERT_NE(banner, std::string::npos);
  EXPECT_LT(banner, html.find("<header>"));
  const json j = json::parse(read_file(out + "/compliance.json"));
  EXPECT_EQ(j["journal"]["intact"], false);
  EXPECT_EQ(j["journal"]["first_bad_seq"], 16);
}

struct BadInput {
  std::vector<std::string> args;  // after --out; "JOURNAL" is replaced by the sample journal
  std::string says;
};

TEST_F(ReportCliTest, BadInputExitsTwoNamingWhatIsWrongAndWritesNothing) {
  std::ofstream(dir_.file("notes.txt")) << "not a journal\n";
  const std::vector<BadInput> cases = {
      {{"--journal", dir_.file("missing.db")}, "--journal '" + dir_.file("missing.db") + "': no such file"},
      {{"--journal", dir_.file("notes.txt")}, "--journal '" + dir_.file("notes.txt") + "'"},
      {{"--journal", "JOURNAL", "--from", "yesterday"}, "--from 'yesterday': not a time"},
      {{"--journal", "JOURNAL", "--to", "2024-02-30"}, "--to '2024-02-30': not a calendar date"},
      {{"--journal", "JOURNAL", "--from", "2024-05-02", "--to", "2024-05-01"}, "is after --to"},
      {{"--journal", "JOURNAL", "--from", "99999999999999999999"}, "outside the years"},
      {{"--from", "2024-05-01"}, "--journal is required"},
  };
  for (const BadInput& c : cases) {
    std::vector<std::string> args = c.args;
    for (std::string& a : args) {
      if (a == "JOURNAL") a = journal_;
    }
    const std::string out = dir_.file("out");
    auto r = report(args, out);
    EXPECT_EQ(r.exit_code, 2) << c.says << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(out + "/compliance.html")) << c.says;
    EXPECT_FALSE(fs::exists(out + "/compliance.json")) << c.says;
  }
}

TEST_F(ReportCliTest, HelpShowsAnExample) {
  auto r = run_process({CST_BINARY, "report", "compliance", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example: cst report compliance --journal"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--from"), std::string::npos);
}

}  // namespace
