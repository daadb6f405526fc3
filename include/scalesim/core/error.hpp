// Errors: the one exception type for bad user input.
//
// scalesim has three error channels (STYLE.md):
//   - programmer bugs: assert;
//   - bad user input (a malformed file, an impossible flag): throw
//   InvalidInput,
//     which main() turns into one line on stderr and exit code 2;
//   - numerical outcomes (a fit that does not converge): a status in a result
//     struct, never an exception.
#ifndef SCALESIM_CORE_ERROR_HPP_
#define SCALESIM_CORE_ERROR_HPP_

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace scalesim {

// Where a bad value came from: a file (or "--flag" / "preset NAME"), an
// optional 1-based line and the field or column name.
struct InputLocation {
  std::string source;     // file path, "command line", "preset gpt2-small", ...
  std::int64_t line = 0;  // 0: no line (JSON field, flag)
  std::string field;      // JSON key, CSV column or flag name
};

// Bad user input. what() is the full one-line message:
//   "<source>:<line>: field '<field>': <problem>"  (parts present only if set).
// what() never contains a control character, whatever the parts echo (a
// file name or a value with a newline stays on one line): EscapeControl()
// is applied to the whole message, and a message longer than
// kMaxMessageBytes is cut there with "...". where() and problem() keep the
// parts as given.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(const std::string& message);
  InvalidInput(const InputLocation& where, std::string_view problem);

  const InputLocation& where() const { return where_; }
  // The problem without the location prefix (what() for the one-argument
  // constructor), for re-addressing an error to another location.
  const std::string& problem() const { return problem_; }

 private:
  InputLocation where_;
  std::string problem_;
};

// Formats the location prefix used by InvalidInput ("" when empty).
std::string FormatLocation(const InputLocation& where);

// `text` with every control character written out: "\n", "\r" and "\t" as
// those two-character escapes, any other byte below 0x20 and 0x7f as
// "\xHH". Other bytes (UTF-8 included) are kept.
std::string EscapeControl(std::string_view text);

// At most this many bytes of one echoed value in a message.
inline constexpr std::size_t kMaxExcerptBytes = 60;
// At most this many bytes in InvalidInput::what() (a backstop: messages
// echo values through Excerpt()).
inline constexpr std::size_t kMaxMessageBytes = 2000;

// `value` for a message: unchanged when it has at most `max_bytes` bytes,
// else its first `max_bytes` bytes (never cutting a UTF-8 sequence) and
// "...". A 10 MB string in a config is echoed as 60 bytes, not 10 MB.
std::string Excerpt(std::string_view value,
                    std::size_t max_bytes = kMaxExcerptBytes);

}  // namespace scalesim

#endif  // SCALESIM_CORE_ERROR_HPP_
