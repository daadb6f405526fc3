// scalesim: parse the subcommand, dispatch, catch, return (STYLE.md rule 10).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.hpp"

namespace {

// A standard descriptor the caller closed (`scalesim laws >&-`) is taken by
// /dev/null opened read-only, so that no file scalesim opens (an output's
// temporary) becomes descriptor 1 and receives the report, and writes to
// stdout fail (EBADF) and are reported by FlushStdout.
void OccupyClosedStandardDescriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      ::open("/dev/null", O_RDONLY);  // the lowest free descriptor: fd
    }
  }
}

// The report on stdout is an output like --out: a failed write (a full disk,
// a closed stdout) is exit code 2 with one line, as a failed --out write is
// (docs/errors.md). A command that failed already said why on stderr.
int FlushStdout(int code) {
  std::cout.flush();
  if (std::cout || code >= 2) return code;
  // No reason is given: the failed write may have been long before, and
  // stdio keeps no errno for it.
  std::cerr << "scalesim: error: standard output: error while writing\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  OccupyClosedStandardDescriptors();
  const std::vector<std::string> args(argv + 1, argv + argc);
  return FlushStdout(scalesim::cli::RunCli(args, std::cout, std::cerr));
}
