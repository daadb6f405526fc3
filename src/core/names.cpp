#include "scalesim/core/names.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace scalesim {
namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Levenshtein distance ignoring case (Wagner-Fischer, two rows).
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1);
  std::vector<std::size_t> cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub =
          prev[j - 1] + (Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::optional<std::size_t> FindIgnoringCase(
    std::string_view text, const std::vector<std::string>& candidates) {
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (EqualsIgnoringCase(text, candidates[i])) return i;
  }
  return std::nullopt;
}

std::string DidYouMean(std::string_view text,
                       const std::vector<std::string>& candidates) {
  // Names longer than this are not typos of a name (and would cost
  // quadratic time).
  constexpr std::size_t kMaxLength = 256;
  if (text.empty() || text.size() > kMaxLength) return "";
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    if (c.size() > kMaxLength) continue;
    const std::size_t d = EditDistance(text, c);
    if (best == nullptr || d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  if (best == nullptr) return "";
  const std::size_t longer = std::max(text.size(), best->size());
  const std::size_t allowed = std::clamp<std::size_t>(longer / 3, 1, 3);
  if (best_distance == 0 || best_distance > allowed) return "";
  return " (did you mean '" + *best + "'?)";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace scalesim
