#include "scalesim/laws/frontier_form.hpp"

#include <cmath>
#include <memory>

namespace scalesim::laws {
namespace {

// Frontier files tie tokens to parameters by C = 6 N D (frontier.hpp).
constexpr double kFlopsPerParamToken = 6.0;
// a + b = 1 up to rounding of the printed exponents' sum.
constexpr double kExponentSumTolerance = 1e-9;

}  // namespace

std::vector<Constant> FrontierLawForm::constants() const {
  return {{"params_exponent", frontier_.params_exponent},
          {"tokens_exponent", frontier_.tokens_exponent},
          {"anchor_training_flops", frontier_.anchor_flops},
          {"anchor_params", frontier_.params_at_anchor}};
}

std::shared_ptr<const LawForm> FrontierLawForm::Make(ConstantReader& c) {
  PowerLawFrontier f;
  f.params_exponent = c.Positive("params_exponent");
  f.tokens_exponent = c.Positive("tokens_exponent");
  if (f.params_exponent >= 1.0) c.Fail("params_exponent", "must be below 1");
  if (f.tokens_exponent >= 1.0) c.Fail("tokens_exponent", "must be below 1");
  if (std::fabs(f.params_exponent + f.tokens_exponent - 1.0) >
      kExponentSumTolerance) {
    c.Fail("tokens_exponent",
           "params_exponent + tokens_exponent must be 1 (C = 6ND)");
  }
  f.anchor_flops = c.Positive("anchor_training_flops");
  f.params_at_anchor = c.Positive("anchor_params");
  f.tokens_at_anchor =
      f.anchor_flops / (kFlopsPerParamToken * f.params_at_anchor);
  return std::make_shared<FrontierLawForm>(f);
}

}  // namespace scalesim::laws
