// Reading inputs and writing outputs safely.
#ifndef SCALESIM_IO_FILES_HPP_
#define SCALESIM_IO_FILES_HPP_

#include <fstream>
#include <string>
#include <string_view>

namespace scalesim::io {

// Whole file as text; throws InvalidInput "<path>: cannot read file" if it
// cannot be opened ("<path>: is a directory, not a file" for a directory).
std::string ReadTextFile(const std::string& path);

// Writes `content` to `path` atomically: to "<path>.tmp.<pid>" in the same
// directory, flushed, then renamed over `path`. On any failure the temporary
// file is removed and InvalidInput thrown; `path` is never left half-written.
void WriteFileAtomically(const std::string& path, std::string_view content);

// Throws InvalidInput "<path>: cannot write file" (or "is a directory") unless
// WriteFileAtomically(path, ...) could create its temporary file: creates and
// removes "<path>.tmp.<pid>", leaving `path` untouched. A command with several
// outputs, or long work before its output, checks every path first so that a
// bad path costs no work and never leaves one output written without the
// others.
void CheckWritable(const std::string& path);

// A streamed output written atomically: the stream writes to
// "<path>.tmp.<pid>"; Commit() flushes and renames it over `path`. Destroyed
// without Commit() (an exception, a failed sweep), the temporary file is
// removed and `path` is untouched. Throws InvalidInput as
// WriteFileAtomically does.
class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  void Commit();

 private:
  std::string path_;
  std::string tmp_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace scalesim::io

#endif  // SCALESIM_IO_FILES_HPP_
