// Hostile inputs and hostile output paths through the real binary, one
// class at a time (docs/errors.md, "Reliability"; docs/reliability.md).
// Every bad input must exit with code 2, print nothing on stdout and exactly
// one line on stderr, and leave the output directory as it was: the
// existing output file keeps its content and mode, and no temporary
// remains. Signals are sent to a running sweep; a symlink is planted at the
// temporary's name (made predictable by an LD_PRELOAD shim).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "test_support.hpp"

extern char** environ;

namespace scalesim::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 0;
  return st.st_mode;
}

int Lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// How the child's stdout is set up.
enum class Stdout { kFile, kAppendFile, kDevFull, kClosed };

struct Launch {
  explicit Launch(std::vector<std::string> a) : args(std::move(a)) {}
  std::vector<std::string> args;  // after the binary
  Stdout out = Stdout::kFile;
  std::vector<std::string> env;  // extra NAME=VALUE entries
  bool ignore_sighup = false;
};

// A started child: its pid and where its stdout and stderr go.
class Child {
 public:
  Child(const Launch& launch, const std::string& work)
      : out_(work + "/stdout"), err_(work + "/stderr") {
    std::vector<std::string> argv_text = {SCALESIM_BINARY};
    argv_text.insert(argv_text.end(), launch.args.begin(), launch.args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The environment with launch.env's entries replacing those of the same
    // name (getenv would find the first of two).
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('=') + 1);
      const bool replaced = std::any_of(
          launch.env.begin(), launch.env.end(), [&](const std::string& x) {
            return x.rfind(name, 0) == 0;
          });
      if (!replaced) env_text.push_back(entry);
    }
    env_text.insert(env_text.end(), launch.env.begin(), launch.env.end());
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    switch (launch.out) {
      case Stdout::kFile:
        posix_spawn_file_actions_addopen(&files,
                                         STDOUT_FILENO,
                                         out_.c_str(),
                                         O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        break;
      case Stdout::kAppendFile:
        posix_spawn_file_actions_addopen(&files,
                                         STDOUT_FILENO,
                                         out_.c_str(),
                                         O_WRONLY | O_CREAT | O_APPEND,
                                         0644);
        break;
      case Stdout::kDevFull:
        posix_spawn_file_actions_addopen(
            &files, STDOUT_FILENO, "/dev/full", O_WRONLY, 0);
        break;
      case Stdout::kClosed:
        posix_spawn_file_actions_addclose(&files, STDOUT_FILENO);
        break;
    }
    posix_spawn_file_actions_addopen(&files,
                                     STDERR_FILENO,
                                     err_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    // The signals the test sends start with their default action in the
    // child, whatever the test runner set, except where the test says.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    if (!launch.ignore_sighup) sigaddset(&defaults, SIGHUP);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    struct sigaction old_hup {};
    if (launch.ignore_sighup) {
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      ::sigaction(SIGHUP, &ignore, &old_hup);
    }
    const int rc = posix_spawn(
        &pid_, SCALESIM_BINARY, &files, &attr, argv.data(), envp.data());
    if (launch.ignore_sighup) ::sigaction(SIGHUP, &old_hup, nullptr);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&files);
    EXPECT_EQ(rc, 0) << "cannot start " << SCALESIM_BINARY;
    if (rc != 0) pid_ = -1;
  }

  pid_t pid() const { return pid_; }
  // Waits for the exit; the raw wait status.
  int Wait() {
    int status = -1;
    if (pid_ > 0) ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  std::string out() const { return Slurp(out_); }
  std::string err() const { return Slurp(err_); }

 private:
  pid_t pid_ = -1;
  std::string out_;
  std::string err_;
};

struct Result {
  int status = -1;
  std::string out;
  std::string err;
  int code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

// A test's directories: in/ (inputs), out/ (holding an existing output
// out/keep.csv, mode 0600, whose content and mode must survive every bad
// input) and the child's stdout and stderr beside them.
class ReliabilityProcessTest : public ::testing::Test {
 protected:
  ReliabilityProcessTest()
      : root_(::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    std::filesystem::create_directory(root_.File("in"));
    std::filesystem::create_directory(root_.File("out"));
    keep_ = root_.Write("out/keep.csv", kKeepContent);
    ::chmod(keep_.c_str(), 0600);
  }

  static constexpr const char* kKeepContent = "N,D,loss\nprevious,file,1\n";

  std::string In(const std::string& name) const {
    return root_.File("in/" + name);
  }
  std::string Out(const std::string& name) const {
    return root_.File("out/" + name);
  }
  std::string WriteInput(const std::string& name,
                         const std::string& content) const {
    return root_.Write("in/" + name, content);
  }

  Result RunWith(const Launch& launch) const {
    Child child(launch, root_.File(""));
    Result r;
    r.status = child.Wait();
    r.out = child.out();
    r.err = child.err();
    return r;
  }
  Result Run(std::initializer_list<std::string> args) const {
    return RunWith(Launch(args));
  }

  // Bad input: exit code 2, nothing on stdout, exactly one stderr line
  // "scalesim: error: " containing `expect`, and out/ exactly as before.
  void ExpectRejected(const Result& r, const std::string& expect) const {
    EXPECT_EQ(r.code(), 2) << "status " << r.status << ", stderr: " << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(Lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("scalesim: error: ", 0), 0U) << r.err;
    EXPECT_NE(r.err.find(expect), std::string::npos)
        << "stderr lacks '" << expect << "': " << r.err;
    ExpectOutputsUnchanged();
  }

  void ExpectOutputsUnchanged() const {
    EXPECT_EQ(Names(root_.File("out")), std::vector<std::string>{"keep.csv"});
    EXPECT_EQ(Slurp(keep_), kKeepContent);
    EXPECT_EQ(ModeOf(keep_) & 07777, 0600U);
  }

  TempDir root_;
  std::string keep_;
};

std::string Deep(const std::string& open, const std::string& close) {
  std::string s;
  constexpr int kLevels = 100'000;
  s.reserve((open.size() + close.size()) * kLevels);
  for (int i = 0; i < kLevels; ++i) s += open;
  for (int i = 0; i < kLevels; ++i) s += close;
  return s;
}

// Opens `fifo` without blocking at the other end and closes it, so a test
// thread still waiting in open(2) (the binary failed before opening it)
// ends instead of hanging the test (a writer then gets EPIPE: the test
// process ignores SIGPIPE, its children do not).
void ReleaseFifo(const std::string& fifo, int mode) {
  ::signal(SIGPIPE, SIG_IGN);
  const int fd = ::open(fifo.c_str(), mode | O_NONBLOCK);
  if (fd >= 0) ::close(fd);
}

// --- 1. Deep nesting --------------------------------------------------------

// 100,000 nested [ or { in a type-checked field used to crash the process
// (SIGSEGV) through every JSON flag.
TEST_F(ReliabilityProcessTest, DeepNestingThroughEveryJsonFlagExitsTwo) {
  const std::string arrays = WriteInput(
      "arrays.json",
      "{\"model_type\": \"llama\",\n\"vocab_size\": " + Deep("[", "]") + "}");
  const std::string objects = WriteInput(
      "objects.json",
      "{\"name\": \"x\",\n\"devices\": " + Deep("{\"a\": ", "}") + "}");
  const std::string keep = Out("keep.csv");
  const std::string nested = ":2: JSON nested deeper than 64 levels";
  for (const std::string& file : {arrays, objects}) {
    SCOPED_TRACE(file);
    ExpectRejected(Run({"params", "--hf-config", file, "--out", keep}),
                   file + nested);
    ExpectRejected(Run({"params", "--arch", file, "--out", keep}),
                   file + nested);
    ExpectRejected(Run({"hardware", "--catalog", file, "--out", keep}),
                   file + nested);
    ExpectRejected(Run({"flops",
                        "--preset",
                        "gpt2-small",
                        "--device",
                        "x",
                        "--catalog",
                        file,
                        "--out",
                        keep}),
                   file + nested);
    ExpectRejected(Run({"loss",
                        "--params",
                        "7e9",
                        "--tokens",
                        "1e12",
                        "--law",
                        file,
                        "--out",
                        keep}),
                   file + nested);
  }
}

// --- 2. Unbounded input -----------------------------------------------------

TEST_F(ReliabilityProcessTest, EndlessDevicesAreReadOnlyUpToTheLimit) {
  const std::string keep = Out("keep.csv");
  const std::string config_limit =
      "/dev/zero: larger than the size limit of 16 MiB";
  ExpectRejected(Run({"params", "--hf-config", "/dev/zero", "--out", keep}),
                 config_limit);
  ExpectRejected(Run({"params", "--arch", "/dev/zero", "--out", keep}),
                 config_limit);
  ExpectRejected(Run({"hardware", "--catalog", "/dev/zero", "--out", keep}),
                 config_limit);
  ExpectRejected(Run({"loss",
                      "--params",
                      "7e9",
                      "--tokens",
                      "1e12",
                      "--law",
                      "/dev/zero",
                      "--out",
                      keep}),
                 config_limit);
  ExpectRejected(Run({"fit",
                      "--form",
                      "chinchilla",
                      "--data",
                      "/dev/zero",
                      "--out",
                      keep}),
                 "/dev/zero: larger than the size limit of 1 GiB");
}

// A FIFO (what `--arch <(cmd)` passes) is read like a file.
TEST_F(ReliabilityProcessTest, SmallFifoInputIsRead) {
  const std::string fifo = In("arch.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream(fifo)
        << R"({"name": "a", "n_layers": 2, "d_model": 64, "n_heads": 4, "vocab_size": 100, "d_ff": 256})";
  });
  const Result r = Run({"params", "--arch", fifo, "--format", "csv"});
  ReleaseFifo(fifo, O_RDONLY);
  writer.join();
  EXPECT_EQ(r.code(), 0) << r.err;
  EXPECT_NE(r.out.find("total"), std::string::npos) << r.out;
}

// --- 3. Catalog size --------------------------------------------------------

TEST_F(ReliabilityProcessTest, CatalogOfTwentyThousandDevicesLoadsQuickly) {
  std::string text = "{\"devices\": [";
  for (int i = 0; i < 20'000; ++i) {
    text += (i == 0 ? "" : ",") + std::string("{\"name\": \"dev-") +
            std::to_string(i) + "\", \"memory_gib\": 80, \"source\": \"s\"}";
  }
  const std::string catalog = WriteInput("catalog.json", text + "]}");
  const auto start = std::chrono::steady_clock::now();
  const Result r = Run({"hardware",
                        "--catalog",
                        catalog,
                        "--format",
                        "csv",
                        "--out",
                        Out("h.csv")});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  RecordProperty("seconds", std::to_string(seconds));
  EXPECT_EQ(r.code(), 0) << r.err;
  const std::string csv = Slurp(Out("h.csv"));
  EXPECT_NE(csv.find("\ndev-0,"), std::string::npos);
  EXPECT_NE(csv.find("\ndev-19999,"), std::string::npos);
  EXPECT_LT(seconds, 10.0);  // about 0.15 s; the quadratic check took 15 s
}

// --- 4. The write path ------------------------------------------------------

// The temporary's name, once it exists and holds data.
std::string WaitForWrittenTemporary(const std::string& dir, pid_t pid) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const std::string& name : Names(dir)) {
      std::error_code ec;  // the file may vanish between listing and size
      if (name.rfind(".scalesim-", 0) == 0 &&
          std::filesystem::file_size(dir + "/" + name, ec) > 0 && !ec) {
        return name;
      }
    }
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return "";  // it ended
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return "";
}

// SIGINT, SIGTERM and SIGHUP while a sweep streams rows into its temporary:
// the temporary is removed, the process still dies by that signal (the
// exit status says so), and the previous file is untouched.
TEST_F(ReliabilityProcessTest, TerminationSignalsRemoveTheTemporary) {
  const std::string keep = Out("keep.csv");
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(strsignal(signo));
    Child child(Launch{{"sweep",
                        "loss-grid",
                        "--params-points",
                        "10000",
                        "--tokens-points",
                        "10000",
                        "--max-rows",
                        "1e9",
                        "--format",
                        "csv",
                        "--out",
                        keep}},
                root_.File(""));
    const std::string tmp =
        WaitForWrittenTemporary(root_.File("out"), child.pid());
    ASSERT_NE(tmp, "") << "the sweep never started writing: " << child.err();
    ASSERT_EQ(::kill(child.pid(), signo), 0);
    const int status = child.Wait();
    EXPECT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), signo);
    EXPECT_FALSE(std::filesystem::exists(Out(tmp)));
    ExpectOutputsUnchanged();
  }
}

// An ignored SIGHUP (nohup) stays ignored; SIGTERM still cleans up.
TEST_F(ReliabilityProcessTest, IgnoredHangupStaysIgnored) {
  Launch launch{{"sweep",
                 "loss-grid",
                 "--params-points",
                 "10000",
                 "--tokens-points",
                 "10000",
                 "--max-rows",
                 "1e9",
                 "--format",
                 "csv",
                 "--out",
                 Out("keep.csv")}};
  launch.ignore_sighup = true;
  Child child(launch, root_.File(""));
  ASSERT_NE(WaitForWrittenTemporary(root_.File("out"), child.pid()), "");
  ASSERT_EQ(::kill(child.pid(), SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int status = 0;
  EXPECT_EQ(::waitpid(child.pid(), &status, WNOHANG), 0) << "SIGHUP ended it";
  ASSERT_EQ(::kill(child.pid(), SIGTERM), 0);
  status = child.Wait();
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  ExpectOutputsUnchanged();
}

constexpr const char* kPredictableTemporary = ".scalesim-0000000000000000.tmp";

std::vector<std::string> PreloadEnv(int fixed_calls) {
  return {std::string("LD_PRELOAD=") + SCALESIM_FIXED_RANDOM_PRELOAD,
          "SCALESIM_TEST_FIXED_RANDOM_CALLS=" + std::to_string(fixed_calls),
          // The sanitizer runtime must otherwise come first.
          std::string("ASAN_OPTIONS=") +
              (std::getenv("ASAN_OPTIONS") != nullptr
                   ? std::string(std::getenv("ASAN_OPTIONS")) + ":"
                   : "") +
              "verify_asan_link_order=0"};
}

// A symlink planted at the temporary's name (made predictable by the
// preload shim) is never followed: the write takes another name, the
// symlink and the file it points to stay as they were.
TEST_F(ReliabilityProcessTest, PlantedSymlinkAtTheTemporaryIsNeverFollowed) {
  const std::string victim = WriteInput("victim.txt", "do not touch\n");
  const std::string planted = Out(kPredictableTemporary);
  ASSERT_EQ(::symlink(victim.c_str(), planted.c_str()), 0);
  Launch once{{"params", "--preset", "gpt2-small", "--out", Out("keep.csv")}};
  once.env = PreloadEnv(1);  // only the first name is the planted one
  const Result r = RunWith(once);
  EXPECT_EQ(r.code(), 0) << r.err;
  EXPECT_NE(Slurp(Out("keep.csv")).find("gpt2-small"), std::string::npos);
  EXPECT_EQ(ModeOf(Out("keep.csv")) & 07777, 0600U);
  EXPECT_EQ(Slurp(victim), "do not touch\n");
  EXPECT_TRUE(S_ISLNK(ModeOf(planted)));
  EXPECT_EQ(Names(root_.File("out")),
            (std::vector<std::string>{kPredictableTemporary, "keep.csv"}));

  // Every name planted: the write is refused, nothing is followed.
  ASSERT_EQ(::unlink(Out("keep.csv").c_str()), 0);
  root_.Write("out/keep.csv", kKeepContent);
  ::chmod(Out("keep.csv").c_str(), 0600);
  Launch always = once;
  always.env = PreloadEnv(1'000'000);
  const Result refused = RunWith(always);
  EXPECT_EQ(refused.code(), 2) << refused.err;
  EXPECT_EQ(Lines(refused.err), 1) << refused.err;
  EXPECT_NE(refused.err.find(Out("keep.csv") + ": cannot write file"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(Slurp(victim), "do not touch\n");
  EXPECT_EQ(Slurp(Out("keep.csv")), kKeepContent);
  EXPECT_TRUE(S_ISLNK(ModeOf(planted)));
}

TEST_F(ReliabilityProcessTest, FailedWritesExitTwoWithOneLine) {
  ExpectRejected(
      Run({"params", "--preset", "gpt2-small", "--out", "/dev/full"}),
      "/dev/full: error while writing file: No space left on device");
  EXPECT_TRUE(S_ISCHR(ModeOf("/dev/full")));
  // stdout is an output too: a full disk or a closed stdout is exit code 2
  // (src/cli/main.cpp), never a silent success.
  for (Stdout out : {Stdout::kDevFull, Stdout::kClosed}) {
    Launch launch{{"laws"}};
    launch.out = out;
    const Result r = RunWith(launch);
    EXPECT_EQ(r.code(), 2);
    EXPECT_EQ(r.err, "scalesim: error: standard output: error while writing\n");
  }
}

// With stdout closed, the output's temporary must not become descriptor 1.
TEST_F(ReliabilityProcessTest, ClosedStdoutDoesNotCaptureAnOutputFile) {
  Launch launch{{"params",
                 "--preset",
                 "gpt2-small",
                 "--format",
                 "csv",
                 "--out",
                 Out("keep.csv")}};
  launch.out = Stdout::kClosed;
  const Result r = RunWith(launch);
  EXPECT_EQ(r.code(), 0) << r.err;
  const Result reference =
      Run({"params", "--preset", "gpt2-small", "--format", "csv"});
  EXPECT_EQ(Slurp(Out("keep.csv")), reference.out);
}

// Non-regular outputs are written in place, never replaced by a file.
TEST_F(ReliabilityProcessTest, DevicesFifosAndStdoutAreWrittenInPlace) {
  const std::vector<std::string> params = {
      "params", "--preset", "gpt2-small", "--format", "csv"};
  const std::string report =
      Run({"params", "--preset", "gpt2-small", "--format", "csv"}).out;
  ASSERT_FALSE(report.empty());

  Launch null{params};
  null.args.insert(null.args.end(), {"--out", "/dev/null"});
  EXPECT_EQ(RunWith(null).code(), 0);
  EXPECT_TRUE(S_ISCHR(ModeOf("/dev/null")));

  // --out /dev/stdout shares the shell's descriptor: appended after what
  // `>>` found there, not written over it from offset 0.
  root_.Write("stdout", "before\n");
  Launch to_stdout{params};
  to_stdout.args.insert(to_stdout.args.end(), {"--out", "/dev/stdout"});
  to_stdout.out = Stdout::kAppendFile;
  const Result appended = RunWith(to_stdout);
  EXPECT_EQ(appended.code(), 0) << appended.err;
  EXPECT_EQ(appended.out, "before\n" + report);
  EXPECT_TRUE(S_ISREG(ModeOf(root_.File("stdout"))));

  const std::string fifo = Out("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = Slurp(fifo); });
  Launch to_fifo{params};
  to_fifo.args.insert(to_fifo.args.end(), {"--out", fifo});
  EXPECT_EQ(RunWith(to_fifo).code(), 0);
  ReleaseFifo(fifo, O_WRONLY);
  reader.join();
  EXPECT_EQ(received, report);
  EXPECT_TRUE(S_ISFIFO(ModeOf(fifo)));
  EXPECT_EQ(Names(root_.File("out")),
            (std::vector<std::string>{"keep.csv", "pipe"}));
}

// A valid 250-byte file name (NAME_MAX 255) is writable: the temporary's
// name does not grow with it.
TEST_F(ReliabilityProcessTest, LongOutputNameIsWritable) {
  const std::string name(250, 'o');
  const Result r =
      Run({"params", "--preset", "gpt2-small", "--out", Out(name)});
  EXPECT_EQ(r.code(), 0) << r.err;
  EXPECT_EQ(Names(root_.File("out")),
            (std::vector<std::string>{"keep.csv", name}));
}

// Overwriting keeps the existing mode (0600 stays 0600).
TEST_F(ReliabilityProcessTest, OverwriteKeepsTheMode) {
  const Result r =
      Run({"params", "--preset", "gpt2-small", "--out", Out("keep.csv")});
  EXPECT_EQ(r.code(), 0) << r.err;
  EXPECT_NE(Slurp(Out("keep.csv")), kKeepContent);
  EXPECT_EQ(ModeOf(Out("keep.csv")) & 07777, 0600U);
}

// --- 5. Messages ------------------------------------------------------------

TEST_F(ReliabilityProcessTest, ValuesWithNewlinesStayOnOneLine) {
  ExpectRejected(
      Run({"params", "--preset", "gpt\n2\r", "--out", Out("keep.csv")}),
      "unknown preset 'gpt\\n2\\r'");
  const std::string odd =
      WriteInput("odd.json", "{\"model_type\": \"t\\n5\\u0007\"}");
  ExpectRejected(Run({"params", "--hf-config", odd, "--out", Out("keep.csv")}),
                 "unsupported model_type 't\\n5\\x07'");
  ExpectRejected(Run({"params",
                      "--hf-config",
                      In("no\nsuch.json"),
                      "--out",
                      Out("keep.csv")}),
                 "no\\nsuch.json: cannot read file");
}

// --- 6. CSV -----------------------------------------------------------------

TEST_F(ReliabilityProcessTest, DatasetNulAndDerivedOverflowExitTwo) {
  using namespace std::string_literals;
  const std::string keep = Out("keep.csv");
  const std::string nul = WriteInput(
      "nul.csv", "N,D,loss\n1e9,2e10,2.5\n2e9,4e10,3.35\0garbage\n"s);
  ExpectRejected(
      Run({"fit", "--form", "chinchilla", "--data", nul, "--out", keep}),
      nul + ":3: field 'loss': NUL byte in column 3");
  const std::string huge =
      WriteInput("huge.csv", "N,D,loss\n1e9,2e10,2.5\n1e200,1e200,2.5\n");
  ExpectRejected(
      Run({"fit", "--form", "chinchilla", "--data", huge, "--out", keep}),
      huge + ":3: field 'D': training FLOPs C = 6ND");
  const std::string tiny =
      WriteInput("tiny.csv", "N,C,loss\n1e9,1.2e20,2.5\n1e300,1e-300,2.5\n");
  ExpectRejected(
      Run({"fit", "--form", "chinchilla", "--data", tiny, "--out", keep}),
      tiny + ":3: field 'C': tokens D = C/(6N)");
}

// --- 7. HF import blame -----------------------------------------------------

TEST_F(ReliabilityProcessTest, HfConfigBlameNamesTheFieldGiven) {
  const std::string keep = Out("keep.csv");
  const std::string kv0 = WriteInput(
      "kv0.json",
      R"({"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 0})");
  ExpectRejected(
      Run({"params", "--hf-config", kv0, "--out", keep}),
      kv0 + ": field 'num_key_value_heads': must be a positive integer, got 0");
  const std::string wide = WriteInput(
      "wide.json",
      R"({"model_type": "gpt2", "vocab_size": 50257, "n_embd": 3e18, "n_layer": 12, "n_head": 12, "n_positions": 1024})");
  ExpectRejected(Run({"params", "--hf-config", wide, "--out", keep}),
                 wide +
                     ": field 'n_embd': d_ff (n_inner unset) = 4 * "
                     "3000000000000000000 overflows a 64-bit integer");
  const std::string vocab = WriteInput(
      "vocab.json",
      R"({"model_type": "llama", "vocab_size": 18446744073709551615, "hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32})");
  ExpectRejected(Run({"params", "--hf-config", vocab, "--out", keep}),
                 vocab +
                     ": field 'vocab_size': must be an integer below 2^63, got "
                     "18446744073709551615");
}

}  // namespace
}  // namespace scalesim::testing
