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

}  // namespace scalesim

#endif  // SCALESIM_CORE_ERROR_HPP_
