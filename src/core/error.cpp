#include "scalesim/core/error.hpp"

#include <string>

namespace scalesim {
namespace {

// The length of the longest prefix of `text` of at most `max_bytes` bytes
// that does not end inside a UTF-8 sequence.
std::size_t Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  std::size_t cut = max_bytes;
  // A continuation byte (10xxxxxx) at the cut belongs to the character
  // before it: cut before that character's lead byte.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return cut;
}

std::string OneLine(std::string_view message) {
  std::string out = EscapeControl(message);
  if (out.size() > kMaxMessageBytes) {
    out.resize(Utf8Prefix(out, kMaxMessageBytes - 3));
    out += "...";
  }
  return out;
}

}  // namespace

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

std::string EscapeControl(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x20 && byte != 0x7f) {
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
    }
  }
  return out;
}

std::string Excerpt(std::string_view value, std::size_t max_bytes) {
  if (value.size() <= max_bytes) return std::string(value);
  return std::string(value.substr(0, Utf8Prefix(value, max_bytes))) + "...";
}

InvalidInput::InvalidInput(const std::string& message)
    : std::runtime_error(OneLine(message)), problem_(message) {}

InvalidInput::InvalidInput(const InputLocation& where, std::string_view problem)
    : std::runtime_error([&] {
        std::string prefix = FormatLocation(where);
        return OneLine(prefix.empty() ? std::string(problem)
                                      : prefix + ": " + std::string(problem));
      }()),
      where_(where),
      problem_(problem) {}

}  // namespace scalesim
