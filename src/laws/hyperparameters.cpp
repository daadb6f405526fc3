#include "scalesim/laws/hyperparameters.hpp"

#include <utility>

namespace scalesim::laws {

double DeepSeekFlopsPerToken(std::int64_t n_layers,
                             std::int64_t d_model,
                             std::int64_t seq_len) {
  const double l = static_cast<double>(n_layers);
  const double d = static_cast<double>(d_model);
  return 72.0 * l * d * d + 12.0 * l * d * static_cast<double>(seq_len);
}

double StepsOverMinimum(double batch_tokens, double critical_batch_tokens) {
  return 1.0 + critical_batch_tokens / batch_tokens;
}

double TokensOverMinimum(double batch_tokens, double critical_batch_tokens) {
  return 1.0 + batch_tokens / critical_batch_tokens;
}

std::string_view Describe(RunInput input) {
  switch (input) {
    case RunInput::kBudget:
      return "the budget C";
    case RunInput::kParamsAndTokens:
      return "N and D";
    case RunInput::kLoss:
      return "the loss L";
  }
  return "";
}

std::shared_ptr<const HyperparameterForm> MakeHyperparameterForm(
    std::string_view name, ConstantReader& constants) {
  std::shared_ptr<const HyperparameterForm> form =
      FindForm(HyperparameterForms(), name, constants.source()).make(constants);
  constants.RejectUnread();
  return form;
}

HyperparameterLaw::HyperparameterLaw(
    HyperparameterLawInfo info, std::shared_ptr<const HyperparameterForm> form)
    : info_(std::move(info)), form_(std::move(form)) {}

}  // namespace scalesim::laws
