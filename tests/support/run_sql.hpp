// Runs SQL on a closed SQLite file (a journal, a state file) as a second program with access
// to the file would: the tamper, corruption and forgery tests' way in.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

namespace cst::test {

inline void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg;
}

}  // namespace cst::test
