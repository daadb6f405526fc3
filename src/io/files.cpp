#include "scalesim/io/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <streambuf>
#include <string>
#include <utility>

#include <sys/random.h>
#include <sys/stat.h>

#include "scalesim/core/error.hpp"

namespace scalesim::io {
namespace internal {

// An output stream buffer on a file descriptor: std::ofstream cannot open
// with O_EXCL | O_NOFOLLOW, write to a descriptor it did not open, nor say
// why a write failed. Every write(2) is checked; the first failure is kept
// (errno) and every later write fails, so the stream goes bad at once.
class FdStreamBuf final : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd) : fd_(fd), buffer_(kBufferBytes) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }

  // errno of the first failed write, 0 when every write succeeded.
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const auto size = static_cast<std::size_t>(n);
    if (size <= static_cast<std::size_t>(epptr() - pptr())) {
      std::memcpy(pptr(), s, size);
      pbump(static_cast<int>(n));
      return n;
    }
    if (!Drain()) return 0;
    if (size < buffer_.size()) {
      std::memcpy(pptr(), s, size);
      pbump(static_cast<int>(n));
      return n;
    }
    return WriteAll(s, size) ? n : 0;
  }

  int sync() override { return Drain() ? 0 : -1; }

 private:
  static constexpr std::size_t kBufferBytes = std::size_t{1} << 16;

  bool Drain() {
    const bool ok =
        WriteAll(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return ok;
  }

  bool WriteAll(const char* p, std::size_t n) {
    if (error_ != 0) return false;
    while (n > 0) {
      const ssize_t written = ::write(fd_, p, n);
      if (written < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      p += written;
      n -= static_cast<std::size_t>(written);
    }
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

}  // namespace internal

namespace {

[[noreturn]] void Fail(const std::string& path, const std::string& problem) {
  throw InvalidInput(InputLocation{path, 0, ""}, problem);
}

// A file descriptor closed on scope exit.
class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() { Reset(); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }
  // Closes now; the close(2) error (0 if none).
  int Reset() {
    int err = 0;
    if (fd_ >= 0 && ::close(fd_) != 0) err = errno;
    fd_ = -1;
    return err;
  }
  void Set(int fd) {
    Reset();
    fd_ = fd;
  }

 private:
  int fd_;
};

// "16 MiB" for 16 << 20: a limit in the largest binary unit dividing it.
std::string LimitText(std::int64_t bytes) {
  static constexpr std::pair<std::int64_t, const char*> kUnits[] = {
      {std::int64_t{1} << 30, "GiB"},
      {std::int64_t{1} << 20, "MiB"},
      {std::int64_t{1} << 10, "KiB"}};
  for (const auto& [unit, name] : kUnits) {
    if (bytes >= unit && bytes % unit == 0)
      return std::to_string(bytes / unit) + " " + name;
  }
  return std::to_string(bytes) + " bytes";
}

// ---------------------------------------------------------------------------
// Live temporaries, removed by a signal handler. The handler may run at any
// moment on any thread, so the registry is a fixed array of slots holding a
// directory descriptor (published last, with release order) and a name,
// and the handler calls only async-signal-safe functions (unlinkat, raise).

constexpr int kTerminationSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kMaxLiveTemporaries = 64;
constexpr std::size_t kTemporaryNameBytes = 32;  // ".scalesim-<16 hex>.tmp"
constexpr int kFreeSlot = -1;
constexpr int kClaimedSlot = -2;

static_assert(std::atomic<int>::is_always_lock_free);

struct LiveSlot {
  std::atomic<int> dir_fd{kFreeSlot};
  std::array<char, kTemporaryNameBytes> name{};
};

LiveSlot g_live[kMaxLiveTemporaries];

void RemoveTemporariesAndReraise(int signo) {
  const int saved_errno = errno;
  for (LiveSlot& slot : g_live) {
    const int dir_fd = slot.dir_fd.load(std::memory_order_acquire);
    if (dir_fd >= 0) ::unlinkat(dir_fd, slot.name.data(), 0);
  }
  errno = saved_errno;
  // SA_RESETHAND restored the default action; the signal is blocked while
  // this handler runs, so it ends the process as soon as the handler
  // returns, and the exit status says which signal it was.
  ::raise(signo);
}

// Installs the handler for each termination signal whose disposition is
// still the default: an ignored signal (nohup) stays ignored, another
// handler stays in place.
void InstallSignalHandlersOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int signo : kTerminationSignals) {
      struct sigaction old {};
      if (::sigaction(signo, nullptr, &old) != 0) continue;
      if ((old.sa_flags & SA_SIGINFO) != 0 || old.sa_handler != SIG_DFL)
        continue;
      struct sigaction action {};
      action.sa_handler = RemoveTemporariesAndReraise;
      sigemptyset(&action.sa_mask);
      for (int other : kTerminationSignals) sigaddset(&action.sa_mask, other);
      action.sa_flags = static_cast<int>(SA_RESETHAND);
      ::sigaction(signo, &action, nullptr);
    }
  });
}

// Blocks the termination signals in this thread for its lifetime, so that
// creating or renaming a temporary and (un)registering it happen together.
class SignalBlock {
 public:
  SignalBlock() {
    sigset_t set;
    sigemptyset(&set);
    for (int signo : kTerminationSignals) sigaddset(&set, signo);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalBlock() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;

 private:
  sigset_t old_;
};

// The slot now holding (dir_fd, name), or -1 when every slot is taken (the
// temporary is then not removed on a signal; 64 outputs at once do not
// happen in scalesim).
int RegisterTemporary(int dir_fd, const std::string& name) {
  for (std::size_t i = 0; i < kMaxLiveTemporaries; ++i) {
    int expected = kFreeSlot;
    if (g_live[i].dir_fd.compare_exchange_strong(expected, kClaimedSlot)) {
      const std::size_t n = std::min(name.size(), kTemporaryNameBytes - 1);
      std::memcpy(g_live[i].name.data(), name.data(), n);
      g_live[i].name[n] = '\0';
      g_live[i].dir_fd.store(dir_fd, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void UnregisterTemporary(int slot) {
  if (slot >= 0)
    g_live[slot].dir_fd.store(kFreeSlot, std::memory_order_release);
}

// ".scalesim-<16 random hex digits>.tmp": 30 bytes, whatever the output's
// name, and not guessable from outside (getrandom; std::random_device when
// the kernel lacks it).
std::string RandomTemporaryName() {
  std::array<unsigned char, 8> bytes{};
  if (::getrandom(bytes.data(), bytes.size(), GRND_NONBLOCK) !=
      static_cast<ssize_t>(bytes.size())) {
    std::random_device device;
    for (unsigned char& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = ".scalesim-";
  for (unsigned char b : bytes) {
    name += kHex[b >> 4U];
    name += kHex[b & 0xFU];
  }
  return name + ".tmp";
}

// The process umask, without changing it even for a moment when the kernel
// reports it (/proc/self/status, Linux 4.7+).
mode_t CurrentUmask() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Umask:", 0) == 0)
      return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  }
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

// ---------------------------------------------------------------------------
// Where an output path leads.

struct Resolved {
  enum class Kind {
    kNew,         // nothing there yet: a new regular file
    kRegular,     // an existing regular file, replaced by rename
    kSpecial,     // a FIFO, device or socket, or a file in /proc: written
                  // in place
    kDescriptor,  // /proc/self/fd/N (/dev/stdout, /dev/fd/N): a dup of N
  };
  Kind kind = Kind::kNew;
  std::string target;  // the path, its final symbolic links followed
  std::string dir;     // target's directory
  std::string name;    // target's last component
  struct stat st {};   // target's, when it exists
  int descriptor = -1;
};

std::string DirectoryOf(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// realpath(3) of an existing directory; "" when it cannot be resolved.
std::string RealDirectory(const std::string& dir) {
  char* real = ::realpath(dir.c_str(), nullptr);
  if (real == nullptr) return "";
  std::string out(real);
  std::free(real);
  return out;
}

// The descriptor N when `real_dir`/`name` is this process's /proc/<pid>/fd/N
// (what /dev/stdout, /dev/fd/N and /proc/self/fd/N resolve to), else -1.
int OwnDescriptor(const std::string& real_dir, const std::string& name) {
  const std::string own = "/proc/" + std::to_string(::getpid()) + "/";
  const bool fd_dir =
      real_dir == own + "fd" ||
      (real_dir.rfind(own + "task/", 0) == 0 && real_dir.size() > 3 &&
       real_dir.compare(real_dir.size() - 3, 3, "/fd") == 0);
  if (!fd_dir || name.empty() ||
      name.find_first_not_of("0123456789") != std::string::npos ||
      name.size() > 9) {
    return -1;
  }
  return std::stoi(name);
}

Resolved Resolve(const std::string& path) {
  constexpr int kMaxLinks = 40;  // Linux's limit on a path's symbolic links
  Resolved r;
  r.target = path;
  if (path.empty()) throw InvalidInput("an empty path cannot be written");
  for (int links = 0;; ++links) {
    if (links > kMaxLinks) Fail(path, "cannot write file");
    r.dir = DirectoryOf(r.target);
    r.name = std::filesystem::path(r.target).filename().string();
    const std::string real_dir = RealDirectory(r.dir);
    if (real_dir == "/proc" || real_dir.rfind("/proc/", 0) == 0) {
      r.descriptor = OwnDescriptor(real_dir, r.name);
      r.kind = r.descriptor >= 0 ? Resolved::Kind::kDescriptor
                                 : Resolved::Kind::kSpecial;
      return r;
    }
    if (::lstat(r.target.c_str(), &r.st) != 0) {
      if (errno != ENOENT) Fail(path, "cannot write file");
      r.kind = Resolved::Kind::kNew;
      return r;
    }
    if (S_ISLNK(r.st.st_mode)) {
      std::array<char, PATH_MAX> link{};
      const ssize_t n = ::readlink(r.target.c_str(), link.data(), link.size());
      if (n < 0 || static_cast<std::size_t>(n) >= link.size())
        Fail(path, "cannot write file");
      std::string next(link.data(), static_cast<std::size_t>(n));
      if (next.empty()) Fail(path, "cannot write file");
      if (next.front() != '/') next = r.dir + "/" + next;
      r.target = next;
      continue;
    }
    if (S_ISDIR(r.st.st_mode)) Fail(path, "is a directory, not a file");
    r.kind = S_ISREG(r.st.st_mode) ? Resolved::Kind::kRegular
                                   : Resolved::Kind::kSpecial;
    return r;
  }
}

// An output's identity for RequireDistinctFiles.
struct Identity {
  bool compared = false;  // a regular file or a new one
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string canonical;  // new files: canonical directory + "/" + name
};

Identity OutputIdentity(const std::string& path) {
  const Resolved r = Resolve(path);
  Identity id;
  if (r.kind == Resolved::Kind::kRegular) {
    id = {true, true, r.st.st_dev, r.st.st_ino, ""};
  } else if (r.kind == Resolved::Kind::kNew) {
    std::string dir = RealDirectory(r.dir);
    if (dir.empty()) {
      dir = std::filesystem::absolute(r.dir).lexically_normal().string();
    }
    id = {true, false, 0, 0, dir + "/" + r.name};
  }
  return id;
}

Identity InputIdentity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return {true, true, st.st_dev, st.st_ino, ""};
}

bool SameFile(const Identity& a, const Identity& b) {
  if (!a.compared || !b.compared || a.exists != b.exists) return false;
  return a.exists ? a.dev == b.dev && a.ino == b.ino
                  : a.canonical == b.canonical;
}

}  // namespace

namespace internal {

// An output being written: the descriptor stream() writes to, and for a
// replaced file its temporary (removed on destruction unless renamed).
struct Temporary {
  std::string path;  // as given, for messages
  bool direct = false;
  Descriptor fd;
  Descriptor dir_fd;
  std::string name;      // the output's last component (after links)
  std::string tmp_name;  // "" until created
  mode_t final_mode = 0;
  int slot = -1;
  bool renamed = false;

  ~Temporary() {
    fd.Reset();
    if (!tmp_name.empty() && !renamed) {
      const SignalBlock block;
      ::unlinkat(dir_fd.get(), tmp_name.c_str(), 0);
      UnregisterTemporary(slot);
    }
  }
};

}  // namespace internal

namespace {

std::unique_ptr<internal::Temporary> OpenOutput(const std::string& path) {
  const Resolved r = Resolve(path);
  auto t = std::make_unique<internal::Temporary>();
  t->path = path;
  if (r.kind == Resolved::Kind::kDescriptor) {
    // A dup shares the descriptor's offset and flags (O_APPEND of `>>`), as
    // the shell's `>&N` does; reopening /proc/self/fd/N would write from
    // offset 0 over what the shell's file already holds.
    t->direct = true;
    t->fd.Set(::fcntl(r.descriptor, F_DUPFD_CLOEXEC, 0));
    if (t->fd.get() < 0) Fail(path, "cannot write file");
    return t;
  }
  if (r.kind == Resolved::Kind::kSpecial) {
    t->direct = true;
    t->fd.Set(::open(r.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY));
    if (t->fd.get() < 0) Fail(path, "cannot write file");
    return t;
  }
  // A read-only file stays read-only: the rename would replace it.
  if (r.kind == Resolved::Kind::kRegular &&
      ::faccessat(AT_FDCWD, r.target.c_str(), W_OK, AT_EACCESS) != 0) {
    Fail(path, "cannot write file");
  }
  t->dir_fd.Set(::open(r.dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (t->dir_fd.get() < 0) Fail(path, "cannot write file");
  t->name = r.name;
  t->final_mode = r.kind == Resolved::Kind::kRegular
                      ? static_cast<mode_t>(r.st.st_mode & 0777)
                      : static_cast<mode_t>(0666 & ~CurrentUmask());
  InstallSignalHandlersOnce();
  constexpr int kAttempts = 100;  // a collision of 64 random bits: never
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::string name = RandomTemporaryName();
    const SignalBlock block;
    const int slot = RegisterTemporary(t->dir_fd.get(), name);
    const int fd =
        ::openat(t->dir_fd.get(),
                 name.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                 0600);
    if (fd >= 0) {
      t->fd.Set(fd);
      t->tmp_name = name;
      t->slot = slot;
      return t;
    }
    const int err = errno;
    UnregisterTemporary(slot);
    if (err != EEXIST) break;
  }
  Fail(path, "cannot write file");
}

}  // namespace

std::string ReadTextFile(const std::string& path, std::int64_t max_bytes) {
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) Fail(path, "cannot read file");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) Fail(path, "cannot read file");
  if (S_ISDIR(st.st_mode)) Fail(path, "is a directory, not a file");
  const std::string too_large =
      "larger than the size limit of " + LimitText(max_bytes);
  if (S_ISREG(st.st_mode) && st.st_size > max_bytes) Fail(path, too_large);
  // A FIFO or device has no size: read up to the limit, then try one byte
  // more.
  const auto limit = static_cast<std::size_t>(max_bytes);
  std::string out;
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<std::size_t>(st.st_size));
  constexpr std::size_t kChunkBytes = std::size_t{1} << 16;
  auto read_some = [&](char* into, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd.get(), into, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR) Fail(path, "error while reading file");
    }
  };
  while (out.size() < limit) {
    const std::size_t have = out.size();
    const std::size_t want = std::min(kChunkBytes, limit - have);
    // Grow geometrically but never past the limit (a 1 GiB limit must not
    // make a 2 GiB string).
    if (out.capacity() < have + want) {
      out.reserve(std::min(std::max(2 * out.capacity(), have + want), limit));
    }
    out.resize(have + want);
    const std::size_t got = read_some(out.data() + have, want);
    out.resize(have + got);
    if (got == 0) return out;
  }
  char extra = 0;
  if (read_some(&extra, 1) > 0) Fail(path, too_large);
  return out;
}

std::string ReadTextFile(const std::string& path) {
  return ReadTextFile(path, kMaxConfigBytes);
}

void CheckWritable(const std::string& path) {
  const Resolved r = Resolve(path);
  if (r.kind == Resolved::Kind::kDescriptor) {
    const int flags = ::fcntl(r.descriptor, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
      Fail(path, "cannot write file");
    return;
  }
  if (r.kind == Resolved::Kind::kSpecial) {
    // Opening a FIFO would block until a reader comes, and closing it would
    // end the reader's input: check the permission only.
    if (::faccessat(AT_FDCWD, r.target.c_str(), W_OK, AT_EACCESS) != 0)
      Fail(path, "cannot write file");
    return;
  }
  const AtomicFile probe(path);  // its destructor removes the temporary
}

void RequireDistinctFiles(const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs) {
  std::vector<Identity> seen;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const Identity id = OutputIdentity(outputs[i]);
    for (const std::string& input : inputs) {
      if (SameFile(id, InputIdentity(input))) {
        Fail(outputs[i], "is the same file as the input '" + input + "'");
      }
    }
    for (std::size_t j = 0; j < seen.size(); ++j) {
      if (SameFile(id, seen[j])) {
        Fail(outputs[i], "is the same file as the output '" + outputs[j] + "'");
      }
    }
    seen.push_back(id);
  }
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.stream().write(content.data(),
                      static_cast<std::streamsize>(content.size()));
  file.Commit();
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)),
      tmp_(OpenOutput(path_)),
      buf_(std::make_unique<internal::FdStreamBuf>(tmp_->fd.get())),
      out_(std::make_unique<std::ostream>(buf_.get())) {}

// Members go in reverse order: the stream, its buffer (unflushed: an
// uncommitted output writes nothing more), then the temporary, which closes
// and removes its file.
AtomicFile::~AtomicFile() = default;

void AtomicFile::Finish() {
  if (tmp_->fd.get() < 0) return;  // finished already
  out_->flush();
  int err = buf_->error();
  if (err == 0 && out_->bad()) err = EIO;
  // The descriptor is closed below and its number may be reused: later
  // writes to stream() must go nowhere.
  out_->setstate(std::ios::badbit);
  if (err == 0 && !tmp_->direct &&
      ::fchmod(tmp_->fd.get(), tmp_->final_mode) != 0) {
    err = errno;
  }
  // close(2) reports delayed write errors (NFS, quotas).
  const int close_err = tmp_->fd.Reset();
  if (err == 0) err = close_err;
  if (err != 0) {
    Fail(path_, std::string("error while writing file: ") + std::strerror(err));
  }
}

void AtomicFile::Rename() {
  if (tmp_->direct || tmp_->renamed) {
    committed_ = true;
    return;
  }
  const SignalBlock block;
  if (::renameat(tmp_->dir_fd.get(),
                 tmp_->tmp_name.c_str(),
                 tmp_->dir_fd.get(),
                 tmp_->name.c_str()) != 0) {
    const int err = errno;
    Fail(path_,
         std::string("cannot rename temporary file into place: ") +
             std::strerror(err));
  }
  tmp_->renamed = true;
  UnregisterTemporary(tmp_->slot);
  committed_ = true;
}

void AtomicFile::Commit() {
  Finish();
  Rename();
}

OutputSet::OutputSet() = default;
OutputSet::~OutputSet() = default;

std::ostream& OutputSet::Add(const std::string& path) {
  std::vector<std::string> outputs;
  for (const auto& f : files_) outputs.push_back(f->path_);
  outputs.push_back(path);
  RequireDistinctFiles({}, outputs);
  files_.push_back(std::make_unique<AtomicFile>(path));
  return files_.back()->stream();
}

void OutputSet::Add(const std::string& path, std::string_view content) {
  Add(path).write(content.data(), static_cast<std::streamsize>(content.size()));
}

void OutputSet::Commit() {
  for (const auto& f : files_) f->Finish();
  std::string replaced;
  for (const auto& f : files_) {
    try {
      f->Rename();
    } catch (const InvalidInput& e) {
      if (replaced.empty()) throw;
      throw InvalidInput(e.where(),
                         e.problem() + " (already replaced: " + replaced + ")");
    }
    replaced += (replaced.empty() ? "" : ", ") + f->path_;
  }
}

}  // namespace scalesim::io
