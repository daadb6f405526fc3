// Running scalesim in memory and as a process.
#ifndef SCALESIM_TESTS_CLI_CLI_TEST_SUPPORT_HPP_
#define SCALESIM_TESTS_CLI_CLI_TEST_SUPPORT_HPP_

#include <array>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "cli/cli.hpp"

namespace scalesim::testing {

struct CliResult {
  int code = 0;
  std::string out;
  std::string err;
};

inline CliResult RunInMemory(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::RunCli(args, out, err);
  return {code, out.str(), err.str()};
}

// Runs the real binary through the shell; stdout captured, stderr to a file.
inline CliResult RunBinary(const std::string& args,
                           const std::string& err_file) {
  const std::string cmd =
      std::string(SCALESIM_BINARY) + " " + args + " 2>" + err_file;
  CliResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (pipe != nullptr &&
         fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
    r.out += buf.data();
  }
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ostringstream e;
  FILE* f = fopen(err_file.c_str(), "r");
  while (f != nullptr &&
         fgets(buf.data(), static_cast<int>(buf.size()), f) != nullptr) {
    r.err += buf.data();
  }
  if (f != nullptr) fclose(f);
  return r;
}

// The value of `column` in the one-row table `table` of a CSV report
// ("# table" line, header, row); "" if absent.
inline std::string CsvRecordValue(const std::string& csv,
                                  const std::string& table,
                                  const std::string& column) {
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line) && line != "# " + table) {
  }
  std::string header;
  std::string row;
  if (!std::getline(in, header) || !std::getline(in, row)) return "";
  auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream s(text);
    while (std::getline(s, cell, ',')) cells.push_back(cell);
    return cells;
  };
  const std::vector<std::string> names = split(header);
  const std::vector<std::string> values = split(row);
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (names[i] == column) return values[i];
  }
  return "";
}

inline int CountLines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

// Bad input through the real binary: exit code 2, nothing on stdout, exactly
// one line on stderr containing `expect`, and none of `outputs` exists.
inline void ExpectRejected(const std::string& args,
                           const std::string& expect,
                           const std::string& err_file,
                           std::initializer_list<std::string> outputs) {
  SCOPED_TRACE(args);
  const CliResult r = RunBinary(args, err_file);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(CountLines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(expect), std::string::npos) << r.err;
  for (const std::string& path : outputs)
    EXPECT_FALSE(std::filesystem::exists(path)) << path;
}

}  // namespace scalesim::testing

#endif  // SCALESIM_TESTS_CLI_CLI_TEST_SUPPORT_HPP_
