// Looking up names the user typed: case-insensitive matching and a
// "did you mean" for near misses (presets, laws, devices, model_types,
// columns, flags, enum values).
#ifndef SCALESIM_CORE_NAMES_HPP_
#define SCALESIM_CORE_NAMES_HPP_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalesim {

// Whether a and b are equal ignoring ASCII case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// The index of the candidate equal to `text` ignoring ASCII case.
std::optional<std::size_t> FindIgnoringCase(
    std::string_view text, const std::vector<std::string>& candidates);
// " (did you mean 'llama2-7b'?)" for the closest candidate by edit distance
// (ignoring case) when it is close enough to be a typo (at most a third of
// the longer name, at least 1 and at most 3 edits), else "".
std::string DidYouMean(std::string_view text,
                       const std::vector<std::string>& candidates);
// "a, b, c" (lists of names in notes and messages).
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace scalesim

#endif  // SCALESIM_CORE_NAMES_HPP_
