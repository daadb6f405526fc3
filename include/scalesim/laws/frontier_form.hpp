// The published compute-optimal frontier as a law form (law_form.hpp).
#ifndef SCALESIM_LAWS_FRONTIER_FORM_HPP_
#define SCALESIM_LAWS_FRONTIER_FORM_HPP_

#include <memory>
#include <string_view>
#include <vector>

#include "scalesim/laws/frontier.hpp"
#include "scalesim/laws/law_form.hpp"

namespace scalesim::laws {

// The form in the law registry ("frontier"): a published frontier and no
// loss.
class FrontierLawForm final : public LawForm {
 public:
  explicit FrontierLawForm(const PowerLawFrontier& frontier)
      : frontier_(frontier) {}

  const PowerLawFrontier& frontier() const { return frontier_; }

  std::string_view name() const override { return "frontier"; }
  std::vector<Constant> constants() const override;
  std::optional<PowerLawFrontier> published_allocation() const override {
    return frontier_;
  }

  // The registry's factory: params_exponent a, tokens_exponent b (0 < a,
  // b < 1, a + b = 1), anchor_training_flops C0, anchor_params N0; the
  // anchor's tokens are D0 = C0 / (6 N0).
  static std::shared_ptr<const LawForm> Make(ConstantReader& constants);

 private:
  PowerLawFrontier frontier_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_FRONTIER_FORM_HPP_
