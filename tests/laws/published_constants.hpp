// Published constants several test suites evaluate, each with its source.
#ifndef SCALESIM_TESTS_LAWS_PUBLISHED_CONSTANTS_HPP_
#define SCALESIM_TESTS_LAWS_PUBLISHED_CONSTANTS_HPP_

#include <cmath>

#include "scalesim/laws/data_constrained.hpp"

namespace scalesim::testing {

// Muennighoff et al. 2023 App. B (text before Eq. 20): a = 6.255414,
// b = 7.3049974, e = 0.6254804 with A = e^a, B = e^b, E = e^e, alpha = beta
// = 0.3526596; App. A (text before Eq. 17): R_D* = 15.387756, R_N* =
// 5.309743.
inline laws::DataConstrainedConstants MuennighoffPublished() {
  laws::DataConstrainedConstants c;
  c.chinchilla = {std::exp(0.6254804),
                  std::exp(6.255414),
                  std::exp(7.3049974),
                  0.3526596,
                  0.3526596};
  c.r_d_star = 15.387756;
  c.r_n_star = 5.309743;
  return c;
}

}  // namespace scalesim::testing

#endif  // SCALESIM_TESTS_LAWS_PUBLISHED_CONSTANTS_HPP_
