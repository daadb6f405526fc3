// Reading inputs and writing outputs safely (docs/reliability.md, "Inputs"
// and "Outputs").
//
// Reading: every input file goes through ReadTextFile with a size limit.
// Regular files larger than the limit are refused before reading; FIFOs and
// character devices (`<(cmd)`, /dev/stdin, /dev/zero) are read up to the
// limit and refused beyond it; directories are refused.
//
// Writing: an output is written to an exclusive temporary file in its
// directory and renamed over the output when complete, so the output holds
// either its previous content or the complete new one, never a part:
//   - the temporary is ".scalesim-<16 random hex digits>.tmp" (30 bytes:
//     fits NAME_MAX beside any valid output name), created with O_CREAT |
//     O_EXCL | O_NOFOLLOW, mode 0600 while written: a file or symlink
//     planted at that name is never opened, followed or overwritten;
//   - before the rename the temporary gets the output's permission bits (an
//     existing file's, e.g. 0600 stays 0600; a new file 0666 & ~umask);
//   - every write is checked; a failed write or close (a full disk,
//     /dev/full) throws InvalidInput naming the output, and the temporary is
//     removed;
//   - nothing is truncated or created at the output's path before the final
//     rename;
//   - an output path that is a symbolic link is followed: the file it points
//     to is replaced, the link kept (as the shell's `>` does);
//   - an output that is not a regular file (a FIFO, /dev/null, /dev/full, a
//     terminal) or that names an open descriptor (/dev/stdout, /dev/fd/N,
//     /proc/self/fd/N) is written directly, never replaced by a regular
//     file: there is nothing to rename over;
//   - SIGINT, SIGTERM and SIGHUP remove every live temporary and then end
//     the process by the same signal (default action), unless the signal was
//     ignored or handled by someone else when the first temporary was made.
// Not covered: SIGKILL (and other fatal signals such as SIGXFSZ) leave the
// temporary behind; the write is not fsync'ed (a power loss can lose the
// new content); a rename failing in the middle of OutputSet::Commit leaves
// the earlier outputs replaced.
#ifndef SCALESIM_IO_FILES_HPP_
#define SCALESIM_IO_FILES_HPP_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace scalesim::io {

// Size limits of inputs, in bytes. Configs (Hugging Face config.json,
// architecture JSON), law files and device catalogs: 16 MiB (the largest
// real config.json is a few kB; a 20,000-device catalog is 2 MB). Datasets
// (CSV runs): 1 GiB, and at most kMaxDatasetRows data rows (dataset_io.hpp).
inline constexpr std::int64_t kMaxConfigBytes = std::int64_t{16} << 20;
inline constexpr std::int64_t kMaxDatasetBytes = std::int64_t{1} << 30;

// The whole file at `path` as text, at most `max_bytes` bytes. Throws
// InvalidInput naming `path`: "cannot read file" (missing, unreadable), "is
// a directory, not a file", "larger than the size limit of 16 MiB" (the
// limit in binary units), "error while reading file".
std::string ReadTextFile(const std::string& path, std::int64_t max_bytes);
// ReadTextFile(path, kMaxConfigBytes).
std::string ReadTextFile(const std::string& path);

// Writes `content` to `path` through an AtomicFile (above): on any failure
// the temporary file is removed and InvalidInput thrown; `path` is never
// left half-written.
void WriteFileAtomically(const std::string& path, std::string_view content);

// Throws InvalidInput "<path>: cannot write file" (or "is a directory, not a
// file") unless an AtomicFile for `path` could be made: creates and removes
// its own exclusive temporary, never creating, opening or truncating `path`
// itself (a FIFO or device is checked for write permission only). A command
// with several outputs, or long work before its output, checks every path
// first so that a bad path costs no work and never leaves one output written
// without the others.
void CheckWritable(const std::string& path);

// Throws InvalidInput (exit code 2) when an output is the same file as an
// input or as another output: `fit --data runs.csv --out runs.csv`, or
// `--out a.csv --residuals ./a.csv`. Files are compared by device and inode
// after following symbolic links, not by spelling; an output that does not
// exist yet by its canonical directory and name. Outputs that are not
// regular files (/dev/null, a FIFO, /dev/stdout) are not compared: writing
// two outputs to /dev/null is fine. Inputs that do not exist are skipped
// (reading them reports the error).
void RequireDistinctFiles(const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs);

namespace internal {
class FdStreamBuf;
struct Temporary;
}  // namespace internal

// A streamed output written atomically (the rules above): stream() writes to
// the temporary file; Commit() flushes, checks and renames it over `path`.
// Destroyed without Commit() (an exception, a failed sweep), the temporary
// file is removed and `path` is untouched. The constructor throws
// InvalidInput when the temporary cannot be created ("cannot write file",
// "is a directory, not a file"); Commit() when a write failed ("error while
// writing file: <reason>") or the rename failed.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return *out_; }
  void Commit();

 private:
  friend class OutputSet;
  // Flushes, checks every write, sets the final mode and closes: after it
  // only the rename is left.
  void Finish();
  // Renames the finished temporary over the output.
  void Rename();

  std::string path_;
  std::unique_ptr<internal::Temporary> tmp_;
  std::unique_ptr<internal::FdStreamBuf> buf_;
  std::unique_ptr<std::ostream> out_;
  bool committed_ = false;
};

// Several outputs of one run committed together: Commit() first writes,
// flushes and closes every temporary, and renames them only when all of
// them succeeded, so a failed write (a full disk) leaves every output
// unchanged. Destroyed without Commit(), no output is touched. Add()
// creates the temporary at once (a bad path fails before any work) and
// refuses an output that is the same file as one already added
// (RequireDistinctFiles).
//
// Not atomic as a whole: the renames run one after another, so a rename
// failing midway (the directory removed or made read-only in between)
// leaves the outputs before it replaced and those after it unchanged; the
// error names the failed output and the ones already replaced.
class OutputSet {
 public:
  OutputSet();
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  // The stream of a new output at `path`.
  std::ostream& Add(const std::string& path);
  // A new output at `path` holding `content`.
  void Add(const std::string& path, std::string_view content);
  void Commit();

 private:
  std::vector<std::unique_ptr<AtomicFile>> files_;
};

}  // namespace scalesim::io

#endif  // SCALESIM_IO_FILES_HPP_
