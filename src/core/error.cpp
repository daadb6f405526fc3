#include "scalesim/core/error.hpp"

#include <string>

namespace scalesim {

std::string FormatLocation(const InputLocation& where) {
  std::string out = where.source;
  if (where.line > 0) {
    out += ":" + std::to_string(where.line);
  }
  if (!where.field.empty()) {
    if (!out.empty()) out += ": ";
    out += "field '" + where.field + "'";
  }
  return out;
}

InvalidInput::InvalidInput(const std::string& message)
    : std::runtime_error(message), problem_(message) {}

InvalidInput::InvalidInput(const InputLocation& where, std::string_view problem)
    : std::runtime_error([&] {
        std::string prefix = FormatLocation(where);
        return prefix.empty() ? std::string(problem)
                              : prefix + ": " + std::string(problem);
      }()),
      where_(where),
      problem_(problem) {}

}  // namespace scalesim
