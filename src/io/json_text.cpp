#include "io/json_text.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

#include "scalesim/core/error.hpp"

namespace scalesim::io::internal {
namespace {

// Refuses nesting deeper than kMaxJsonDepth, counting brackets outside
// strings in one pass: cheaper than a parser callback on every value, and
// done before nlohmann builds anything. Malformed text is left to the
// parser.
void CheckNesting(std::string_view text, std::string_view source) {
  int depth = 0;
  std::int64_t line = 1;
  bool in_string = false;
  bool escaped = false;
  for (char ch : text) {
    if (ch == '\n') ++line;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) {
        throw InvalidInput(InputLocation{std::string(source), line, ""},
                           "JSON nested deeper than " +
                               std::to_string(kMaxJsonDepth) + " levels");
      }
    } else if ((ch == ']' || ch == '}') && depth > 0) {
      --depth;
    }
  }
}

}  // namespace

nlohmann::json ParseJsonText(std::string_view text, std::string_view source) {
  CheckNesting(text, source);
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t byte = std::min(e.byte, text.size());
    const auto line =
        1 + std::count(text.begin(),
                       text.begin() +
                           static_cast<std::ptrdiff_t>(byte > 0 ? byte - 1 : 0),
                       '\n');
    throw InvalidInput(InputLocation{std::string(source), line, ""},
                       "invalid JSON");
  } catch (const nlohmann::json::exception& e) {
    throw InvalidInput(InputLocation{std::string(source), 0, ""},
                       std::string("invalid JSON: ") + e.what());
  }
}

std::string ShowJson(const nlohmann::json& value) {
  return Excerpt(
      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace scalesim::io::internal
