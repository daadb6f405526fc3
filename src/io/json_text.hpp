// Private to io: parsing JSON text with errors that name the file and line,
// and showing JSON values in messages.
#ifndef SCALESIM_SRC_IO_JSON_TEXT_HPP_
#define SCALESIM_SRC_IO_JSON_TEXT_HPP_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace scalesim::io::internal {

// The deepest nesting of arrays and objects any JSON input may have. Real
// inputs nest a few levels (a Hugging Face config.json at most 4, a catalog
// 3, a law file 3); the bound keeps every recursive walk of a value
// (nlohmann's serializer, comparison, copy, merge_patch) far from the stack
// limit, whatever the input.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; every JSON input (architecture files, HF configs, law
// files, catalogs, the embedded data) goes through here. Nesting beyond
// kMaxJsonDepth throws InvalidInput "<source>:<line>: JSON nested deeper
// than 64 levels" before parsing; a syntax error "<source>:<line>: invalid
// JSON"; any other parser error (a number beyond double, found by fuzzing)
// "<source>: invalid JSON: ...".
nlohmann::json ParseJsonText(std::string_view text, std::string_view source);

// A value as JSON text for a message, bounded by Excerpt() (at most 60
// bytes and "..."); invalid UTF-8 is replaced, not thrown on.
std::string ShowJson(const nlohmann::json& value);

}  // namespace scalesim::io::internal

#endif  // SCALESIM_SRC_IO_JSON_TEXT_HPP_
