// Reading inputs with size limits and writing outputs atomically
// (include/scalesim/io/files.hpp; docs/reliability.md, "Inputs" and
// "Outputs"). Each test checks the exception and its one-line message, that
// no temporary is left in the directory, and that existing files keep their
// content and mode. The process-level guarantees (signals, a planted
// symlink, stdout) are in tests/cli/reliability_process_test.cpp.
#include "scalesim/io/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "scalesim/core/error.hpp"

#include "test_support.hpp"

namespace scalesim::io {
namespace {

using testing::TempDir;

// The message of the InvalidInput thrown by `fn` ("" if none was thrown).
template <typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

std::vector<std::string> Names(const TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir.File("")))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Sets the umask for a scope.
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

constexpr const char* kOld = "previous content\n";
constexpr const char* kNew = "new content\n";

// --- Reading ---------------------------------------------------------------

TEST(ReadTextFileTest, ReadsAFileUpToTheLimit) {
  TempDir dir("read_limit");
  const std::string path = dir.Write("c.json", std::string(1000, 'x'));
  EXPECT_EQ(ReadTextFile(path, 1000).size(), 1000U);
  EXPECT_EQ(ReadTextFile(path).size(), 1000U);  // kMaxConfigBytes
}

TEST(ReadTextFileTest, RefusesARegularFileBeyondTheLimitNamingFileAndLimit) {
  TempDir dir("read_over");
  const std::string path = dir.Write("c.json", std::string(1025, 'x'));
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(path, 1024); }),
            path + ": larger than the size limit of 1 KiB");
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(path, 1000); }),
            path + ": larger than the size limit of 1000 bytes");
}

// /dev/zero never ends: it is read up to the limit and refused, quickly.
TEST(ReadTextFileTest, ReadsACharacterDeviceOnlyUpToTheLimit) {
  EXPECT_EQ(ErrorOf([] { ReadTextFile("/dev/zero", 1 << 20); }),
            "/dev/zero: larger than the size limit of 1 MiB");
  EXPECT_EQ(ErrorOf([] { ReadTextFile("/dev/zero"); }),
            "/dev/zero: larger than the size limit of 16 MiB");
  EXPECT_EQ(ReadTextFile("/dev/null"), "");
}

TEST(ReadTextFileTest, ReadsAFifoUpToTheLimit) {
  TempDir dir("read_fifo");
  const std::string fifo = dir.File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(fifo, std::ios::binary);
    out << std::string(5000, 'y');
  });
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(fifo, 4096); }),
            fifo + ": larger than the size limit of 4 KiB");
  writer.join();
  std::thread small([&] { std::ofstream(fifo, std::ios::binary) << "{}"; });
  EXPECT_EQ(ReadTextFile(fifo, 4096), "{}");
  small.join();
}

TEST(ReadTextFileTest, RefusesDirectoriesAndMissingFiles) {
  TempDir dir("read_dir");
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(dir.File("sub/..")); }),
            dir.File("sub/..") + ": cannot read file");
  std::filesystem::create_directory(dir.File("sub"));
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(dir.File("sub")); }),
            dir.File("sub") + ": is a directory, not a file");
  EXPECT_EQ(ErrorOf([&] { ReadTextFile(dir.File("none.json")); }),
            dir.File("none.json") + ": cannot read file");
}

// --- Writing: permissions, names, what is never touched --------------------

TEST(AtomicWriteTest, NewFileGetsTheUmaskModeAndNoTemporaryRemains) {
  TempDir dir("write_new");
  const Umask mask(027);
  WriteFileAtomically(dir.File("out.csv"), kNew);
  EXPECT_EQ(Slurp(dir.File("out.csv")), kNew);
  EXPECT_EQ(ModeOf(dir.File("out.csv")) & 07777, 0640U);  // 0666 & ~027
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
}

TEST(AtomicWriteTest, OverwritingKeepsTheExistingPermissionBits) {
  TempDir dir("write_mode");
  const std::string out = dir.Write("secret.json", kOld);
  ASSERT_EQ(::chmod(out.c_str(), 0600), 0);
  WriteFileAtomically(out, kNew);
  EXPECT_EQ(Slurp(out), kNew);
  EXPECT_EQ(ModeOf(out) & 07777, 0600U);
  ASSERT_EQ(::chmod(out.c_str(), 0754), 0);
  WriteFileAtomically(out, kOld);
  EXPECT_EQ(ModeOf(out) & 07777, 0754U);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"secret.json"});
}

// A 250-byte name is valid (NAME_MAX 255); "<out>.tmp.<pid>" would not be.
TEST(AtomicWriteTest, TemporaryNameFitsBesideA250ByteOutputName) {
  TempDir dir("write_long");
  const std::string name(250, 'n');
  WriteFileAtomically(dir.File(name), kNew);
  EXPECT_EQ(Slurp(dir.File(name)), kNew);
  CheckWritable(dir.File(name));
  AtomicFile file(dir.File(name));
  file.stream() << kOld;
  file.Commit();
  EXPECT_EQ(Slurp(dir.File(name)), kOld);
  EXPECT_EQ(Names(dir), std::vector<std::string>{name});
}

TEST(AtomicWriteTest, TemporaryIsExclusiveHiddenAndPrivateWhileWritten) {
  TempDir dir("write_tmp");
  const Umask mask(022);
  AtomicFile file(dir.File("out.csv"));
  file.stream() << kNew;
  const std::vector<std::string> names = Names(dir);
  ASSERT_EQ(names.size(), 1U);  // the temporary; out.csv not created yet
  const std::string& tmp = names[0];
  EXPECT_EQ(tmp.size(), 30U);
  EXPECT_EQ(tmp.rfind(".scalesim-", 0), 0U) << tmp;
  EXPECT_EQ(tmp.substr(26), ".tmp");
  EXPECT_EQ(tmp.find_first_not_of("0123456789abcdef", 10), 26U) << tmp;
  EXPECT_EQ(ModeOf(dir.File(tmp)) & 07777, 0600U);
  file.Commit();
  EXPECT_EQ(ModeOf(dir.File("out.csv")) & 07777, 0644U);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
}

TEST(AtomicWriteTest, WritesAfterCommitGoNowhere) {
  TempDir dir("write_after");
  AtomicFile file(dir.File("out.csv"));
  file.stream() << kNew;
  file.Commit();
  // The closed descriptor's number is reused by the next file opened.
  const std::string other = dir.Write("other.csv", kOld);
  std::ofstream reuse(other, std::ios::app);
  file.stream() << "late" << std::flush;
  EXPECT_TRUE(file.stream().bad());
  reuse.close();
  EXPECT_EQ(Slurp(other), kOld);
  EXPECT_EQ(Slurp(dir.File("out.csv")), kNew);
}

TEST(AtomicWriteTest, TwoTemporariesForOneOutputGetDistinctNames) {
  TempDir dir("write_two");
  AtomicFile a(dir.File("out.csv"));
  AtomicFile b(dir.File("out.csv"));
  EXPECT_EQ(Names(dir).size(), 2U);
}

TEST(AtomicWriteTest, UncommittedOutputLeavesTheOldFileAndNoTemporary) {
  TempDir dir("write_abandon");
  const std::string out = dir.Write("out.csv", kOld);
  {
    AtomicFile file(out);
    file.stream() << std::string(1 << 20, 'z');
    EXPECT_EQ(Slurp(out), kOld);  // nothing truncated before the rename
  }
  EXPECT_EQ(Slurp(out), kOld);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
}

TEST(AtomicWriteTest, SymlinkedOutputReplacesItsTargetAndKeepsTheLink) {
  TempDir dir("write_link");
  const std::string target = dir.Write("real.csv", kOld);
  ASSERT_EQ(::chmod(target.c_str(), 0600), 0);
  ASSERT_EQ(::symlink("real.csv", dir.File("link.csv").c_str()), 0);
  WriteFileAtomically(dir.File("link.csv"), kNew);
  EXPECT_TRUE(S_ISLNK(ModeOf(dir.File("link.csv"))));
  EXPECT_EQ(Slurp(target), kNew);
  EXPECT_EQ(ModeOf(target) & 07777, 0600U);
  EXPECT_EQ(Names(dir), (std::vector<std::string>{"link.csv", "real.csv"}));
}

// --- Writing: outputs that are not regular files ---------------------------

TEST(AtomicWriteTest, DevNullIsWrittenDirectlyNeverReplaced) {
  WriteFileAtomically("/dev/null", kNew);
  CheckWritable("/dev/null");
  AtomicFile file("/dev/null");
  file.stream() << std::string(1 << 20, 'z');
  file.Commit();
  EXPECT_TRUE(S_ISCHR(ModeOf("/dev/null")));
}

TEST(AtomicWriteTest, FailedWriteToDevFullThrowsNamingTheFile) {
  EXPECT_EQ(ErrorOf([] { WriteFileAtomically("/dev/full", kNew); }),
            "/dev/full: error while writing file: No space left on device");
  EXPECT_TRUE(S_ISCHR(ModeOf("/dev/full")));
}

TEST(AtomicWriteTest, FifoIsWrittenInPlaceAndStaysAFifo) {
  TempDir dir("write_fifo");
  const std::string fifo = dir.File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // CheckWritable must neither block (no reader yet) nor open the FIFO.
  CheckWritable(fifo);
  std::string received;
  std::thread reader([&] { received = Slurp(fifo); });
  WriteFileAtomically(fifo, kNew);
  reader.join();
  EXPECT_EQ(received, kNew);
  EXPECT_TRUE(S_ISFIFO(ModeOf(fifo)));
  EXPECT_EQ(Names(dir), std::vector<std::string>{"pipe"});
}

// A failed write to a regular file (here: beyond RLIMIT_FSIZE, with
// SIGXFSZ ignored so write(2) fails with EFBIG) leaves the old file whole
// and removes the temporary.
TEST(AtomicWriteTest, FailedWriteKeepsTheOldFileAndRemovesTheTemporary) {
  TempDir dir("write_fail");
  const std::string out = dir.Write("out.csv", kOld);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_action {};
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &old_action), 0);
  rlimit old_limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  rlimit small = old_limit;
  small.rlim_cur = 1 << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string error =
      ErrorOf([&] { WriteFileAtomically(out, std::string(2 << 20, 'z')); });
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::sigaction(SIGXFSZ, &old_action, nullptr);
  EXPECT_EQ(error, out + ": error while writing file: File too large");
  EXPECT_EQ(Slurp(out), kOld);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
}

// --- CheckWritable ---------------------------------------------------------

TEST(CheckWritableTest, NeverCreatesOrTruncatesTheTarget) {
  TempDir dir("check");
  const std::string out = dir.Write("out.csv", kOld);
  ASSERT_EQ(::chmod(out.c_str(), 0640), 0);
  CheckWritable(out);
  EXPECT_EQ(Slurp(out), kOld);
  EXPECT_EQ(ModeOf(out) & 07777, 0640U);
  CheckWritable(dir.File("new.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("new.csv")));
  EXPECT_EQ(Names(dir), std::vector<std::string>{"out.csv"});
}

TEST(CheckWritableTest, NamesTheBadPath) {
  TempDir dir("check_bad");
  EXPECT_EQ(ErrorOf([&] { CheckWritable(dir.File("no/such.csv")); }),
            dir.File("no/such.csv") + ": cannot write file");
  EXPECT_EQ(ErrorOf([&] { CheckWritable(dir.File("")); }),
            dir.File("") + ": is a directory, not a file");
  EXPECT_EQ(ErrorOf([&] { AtomicFile f(dir.File("no/such.csv")); }),
            dir.File("no/such.csv") + ": cannot write file");
  EXPECT_EQ(ErrorOf([] { WriteFileAtomically("", kNew); }),
            "an empty path cannot be written");
  EXPECT_TRUE(Names(dir).empty());
}

// A read-only file is not replaced although its directory is writable (the
// rename would succeed). Root may write anything, so as root the check runs
// in a child that has become nobody (uid 65534) and owns the directory.
TEST(CheckWritableTest, AReadOnlyFileIsNotReplaced) {
  TempDir dir("check_ro");
  const std::string out = dir.Write("ro.csv", kOld);
  ASSERT_EQ(::chmod(out.c_str(), 0444), 0);
  auto failures = [&] {
    int failed = 0;
    if (ErrorOf([&] { CheckWritable(out); }) != out + ": cannot write file")
      failed |= 1;
    if (ErrorOf([&] { WriteFileAtomically(out, kNew); }) !=
        out + ": cannot write file")
      failed |= 2;
    return failed;
  };
  if (::geteuid() != 0) {
    EXPECT_EQ(failures(), 0);
  } else {
    constexpr uid_t kNobody = 65534;
    ASSERT_EQ(::chown(dir.File("").c_str(), kNobody, kNobody), 0);
    ASSERT_EQ(::chown(out.c_str(), kNobody, kNobody), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(100);
      ::_exit(failures());
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1: CheckWritable, 2: write, 100: setuid";
  }
  EXPECT_EQ(Slurp(out), kOld);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"ro.csv"});
}

// --- Several outputs together ----------------------------------------------

TEST(OutputSetTest, CommitsEveryOutputTogether) {
  TempDir dir("set_ok");
  const std::string a = dir.Write("a.csv", kOld);
  OutputSet set;
  set.Add(a, kNew);
  set.Add(dir.File("b.json")) << "{}";
  EXPECT_EQ(Slurp(a), kOld);  // nothing replaced before Commit
  set.Commit();
  EXPECT_EQ(Slurp(a), kNew);
  EXPECT_EQ(Slurp(dir.File("b.json")), "{}");
  EXPECT_EQ(Names(dir), (std::vector<std::string>{"a.csv", "b.json"}));
}

// One output failing to write (/dev/full) renames none of them.
TEST(OutputSetTest, AFailedWriteRenamesNone) {
  TempDir dir("set_fail");
  const std::string a = dir.Write("a.csv", kOld);
  OutputSet set;
  set.Add(a, kNew);
  set.Add("/dev/full", kNew);
  set.Add(dir.File("c.csv"), kNew);
  EXPECT_EQ(ErrorOf([&] { set.Commit(); }),
            "/dev/full: error while writing file: No space left on device");
  EXPECT_EQ(Slurp(a), kOld);
  EXPECT_EQ(Names(dir).size(), 3U);  // a.csv and two live temporaries
}

TEST(OutputSetTest, DestroyedWithoutCommitTouchesNothing) {
  TempDir dir("set_abandon");
  const std::string a = dir.Write("a.csv", kOld);
  {
    OutputSet set;
    set.Add(a, kNew);
    set.Add(dir.File("b.csv"), kNew);
  }
  EXPECT_EQ(Slurp(a), kOld);
  EXPECT_EQ(Names(dir), std::vector<std::string>{"a.csv"});
}

TEST(OutputSetTest, RefusesTheSameFileTwice) {
  TempDir dir("set_twice");
  OutputSet set;
  set.Add(dir.File("a.csv"), kNew);
  EXPECT_EQ(ErrorOf([&] { set.Add(dir.File("./a.csv")); }),
            dir.File("./a.csv") + ": is the same file as the output '" +
                dir.File("a.csv") + "'");
}

// --- Outputs that are inputs -----------------------------------------------

TEST(RequireDistinctFilesTest, ComparesFilesNotSpellings) {
  TempDir dir("distinct");
  const std::string runs = dir.Write("runs.csv", kOld);
  ASSERT_EQ(::symlink("runs.csv", dir.File("alias.csv").c_str()), 0);
  ASSERT_EQ(::link(runs.c_str(), dir.File("hard.csv").c_str()), 0);
  RequireDistinctFiles({runs}, {dir.File("law.json"), dir.File("r.csv")});
  const std::string dir_name =
      std::filesystem::path(runs).parent_path().filename().string();
  for (const std::string& same : {runs,
                                  dir.File("./runs.csv"),
                                  dir.File("../" + dir_name + "/runs.csv"),
                                  dir.File("alias.csv"),
                                  dir.File("hard.csv")}) {
    SCOPED_TRACE(same);
    EXPECT_EQ(ErrorOf([&] { RequireDistinctFiles({runs}, {same}); }),
              same + ": is the same file as the input '" + runs + "'");
  }
  // Outputs that do not exist yet: the same canonical directory and name.
  EXPECT_EQ(ErrorOf([&] {
              RequireDistinctFiles(
                  {runs}, {dir.File("new.csv"), dir.File("./new.csv")});
            }),
            dir.File("./new.csv") + ": is the same file as the output '" +
                dir.File("new.csv") + "'");
  // Devices are not files to protect.
  RequireDistinctFiles({runs}, {"/dev/null", "/dev/null"});
  EXPECT_EQ(Slurp(runs), kOld);
}

}  // namespace
}  // namespace scalesim::io
