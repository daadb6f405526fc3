#include "scalesim/io/files.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "scalesim/core/error.hpp"

namespace scalesim::io {

std::string ReadTextFile(const std::string& path) {
  // An ifstream opens a directory on Linux and reads nothing; say what it is.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InvalidInput(InputLocation{path, 0, ""},
                       "is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInput(InputLocation{path, 0, ""}, "cannot read file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad())
    throw InvalidInput(InputLocation{path, 0, ""}, "error while reading file");
  return buf.str();
}

namespace {

// The temporary file of an atomic write to `path`; throws if `path` is a
// directory (the rename would fail only after the whole write).
std::string TemporaryPathFor(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw InvalidInput(InputLocation{path, 0, ""},
                       "is a directory, not a file");
  }
  return path + ".tmp." + std::to_string(::getpid());
}

}  // namespace

void CheckWritable(const std::string& path) {
  const std::string tmp = TemporaryPathFor(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw InvalidInput(InputLocation{path, 0, ""}, "cannot write file");
  }
  std::remove(tmp.c_str());
}

void WriteFileAtomically(const std::string& path, std::string_view content) {
  AtomicFile file(path);
  file.stream().write(content.data(),
                      static_cast<std::streamsize>(content.size()));
  file.Commit();
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), tmp_(TemporaryPathFor(path_)) {
  out_.open(tmp_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw InvalidInput(InputLocation{path_, 0, ""}, "cannot write file");
}

AtomicFile::~AtomicFile() {
  if (committed_) return;
  out_.close();
  std::remove(tmp_.c_str());
}

void AtomicFile::Commit() {
  out_.flush();
  const bool written = static_cast<bool>(out_);
  out_.close();
  // On failure the destructor removes the temporary file.
  if (!written) {
    throw InvalidInput(InputLocation{path_, 0, ""}, "error while writing file");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    throw InvalidInput(InputLocation{path_, 0, ""},
                       "cannot rename temporary file into place");
  }
  committed_ = true;
}

}  // namespace scalesim::io
