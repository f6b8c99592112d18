// A fuzz input as an SQLite database file, and the file's bytes read back (to prove that reading
// a file did not change it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

// Writes the input to `path` with no -wal, -shm or -journal beside it: SQLite would read or
// replay those left over from the previous input together with the new bytes.
inline void write_sqlite_input(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
