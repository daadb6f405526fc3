// Private to the CLI: a progress indicator for long work.
#ifndef SCALESIM_SRC_CLI_PROGRESS_HPP_
#define SCALESIM_SRC_CLI_PROGRESS_HPP_

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <ostream>
#include <string>
#include <utility>

namespace scalesim::cli {

// "scalesim <command>: <what> 1234/4500" on stderr, redrawn in place about
// every 0.1 s, only when `err` is the process's stderr, stderr is a terminal
// and the work has run for more than a second; the line is erased at the
// end. Nothing otherwise (pipes, files, tests) unless `always` (--progress):
// then one line every kSteadyInterval on any stream, for logs of long runs.
class Progress {
 public:
  static constexpr std::chrono::seconds kSteadyInterval{5};

  Progress(std::ostream& err,
           std::string command,
           std::string what,
           bool always = false)
      : enabled_(always ||
                 (&err == &std::cerr && ::isatty(STDERR_FILENO) == 1)),
        steady_(always &&
                !(&err == &std::cerr && ::isatty(STDERR_FILENO) == 1)),
        err_(err),
        prefix_("\rscalesim " + std::move(command) + ": " + std::move(what) +
                ' '),
        start_(std::chrono::steady_clock::now()),
        last_(start_) {}
  ~Progress() {
    if (drawn_) err_ << "\r\033[K" << std::flush;
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }

  // Cheap enough to call per row: the clock is read every 4096 calls.
  void Tick(std::int64_t done, std::int64_t total) {
    if (!enabled_ || (done & 4095) != 0) return;
    Report(done, total);
  }
  void Report(std::int64_t done, std::int64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (steady_) {
      // The first line after a second, then one every kSteadyInterval.
      if (now - start_ < std::chrono::seconds(1) ||
          (reported_ && now - last_ < kSteadyInterval))
        return;
      reported_ = true;
      last_ = now;
      err_ << prefix_.substr(1) << done;
      if (total > 0) err_ << '/' << total;
      err_ << std::endl;
      return;
    }
    if (now - start_ < std::chrono::seconds(1) ||
        now - last_ < std::chrono::milliseconds(100))
      return;
    last_ = now;
    err_ << prefix_ << done;
    if (total > 0) err_ << '/' << total;
    err_ << std::flush;
    drawn_ = true;
  }
  // For callbacks of the fit module (done, total); empty when disabled.
  std::function<void(std::int64_t, std::int64_t)> Callback() {
    if (!enabled_) return nullptr;
    return
        [this](std::int64_t done, std::int64_t total) { Report(done, total); };
  }

 private:
  bool enabled_;
  bool steady_;
  std::ostream& err_;
  std::string prefix_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool drawn_ = false;
  bool reported_ = false;
};

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_PROGRESS_HPP_
