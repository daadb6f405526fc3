// Helpers shared by the test suites.
#ifndef SCALESIM_TESTS_TEST_SUPPORT_HPP_
#define SCALESIM_TESTS_TEST_SUPPORT_HPP_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace scalesim::testing {

// A fresh directory under the test's build folder, removed on destruction.
// The process id keeps tests of one executable apart when ctest runs them in
// parallel.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::path(SCALESIM_TEST_TMPDIR) /
              (name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const {
    return (path_ / name).string();
  }
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string p = File(name);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // Number of entries in the directory (to check nothing was left behind).
  int Entries() const {
    int n = 0;
    for ([[maybe_unused]] const auto& e :
         std::filesystem::directory_iterator(path_))
      ++n;
    return n;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace scalesim::testing

#endif  // SCALESIM_TESTS_TEST_SUPPORT_HPP_
