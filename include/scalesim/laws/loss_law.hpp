// The loss-law interface: L(N, D), the predicted loss of a model with N
// parameters trained on D tokens, in the units of the law's dataset (nats per
// token for every built-in law).
//
// Two real implementations (STYLE.md rule 5):
//   - ChinchillaLaw (chinchilla_form.hpp): L = E + A/N^alpha + B/D^beta,
//     Hoffmann et al. 2022 Eq. 2 (and every law fitted in that form);
//   - KaplanLaw (kaplan.hpp): L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D,
//     Kaplan et al. 2020 Eq. 1.5.
// The planning module (include/scalesim/plan/) minimises any LossLaw
// numerically, so a new functional form only has to implement this interface.
//
// Which N a law expects is part of the law (ParamCount): Hoffmann et al. count
// every parameter, Kaplan et al. count non-embedding parameters (Sec. 2.1).
//
// Repeated data. Decompose(N, D) assumes every one of the D tokens is
// unique. DecomposeRepeated(N, D, data) is the loss when the D tokens repeat
// data.unique_tokens = U unique ones (D/U epochs); a form that models
// repetition (ModelsRepetition(): Muennighoff et al. 2023's
// data-constrained form, data_constrained.hpp) overrides it, every other
// form keeps the default, which ignores U: it assumes unique data. The
// default DataBudget (U = infinity) is unlimited unique data, so
// DecomposeRepeated(N, D, {}) == Decompose(N, D) for every form.
#ifndef SCALESIM_LAWS_LOSS_LAW_HPP_
#define SCALESIM_LAWS_LOSS_LAW_HPP_

#include <cmath>
#include <limits>
#include <string_view>

#include "scalesim/model/params.hpp"

namespace scalesim::laws {

// Which parameter count a law's N is (include/scalesim/model/params.hpp):
//   kTotal: every parameter (Hoffmann et al. 2022 App. F: "we also count
//           embeddings matrices in the total parameter count");
//   kNonEmbedding: without token and position embeddings (Kaplan et al. 2020
//           Sec. 2.1).
enum class ParamCount { kTotal, kNonEmbedding };

// "total" / "non_embedding" (the spelling of law files and outputs).
std::string_view ToString(ParamCount count);
// Parses "total" or "non_embedding"; throws InvalidInput naming `field`
// (prefixed by `source`) otherwise.
ParamCount ParseParamCount(std::string_view text,
                           std::string_view source,
                           std::string_view field);

// The count a law with convention `count` is fed for an exact architecture:
// ParamBreakdown::total() or ::non_embedding(), as a double.
double ParamsFor(const model::ParamBreakdown& params, ParamCount count);

// The loss split into the three terms of Hoffmann et al. 2022 App. D.2
// (Eq. 9): the irreducible loss ("entropy of natural text"), the
// function-approximation term that depends on N, and the optimisation term
// that depends on D. All in the law's loss units.
struct LossTerms {
  double irreducible = 0.0;
  double parameter_term = 0.0;
  double data_term = 0.0;

  double total() const { return irreducible + parameter_term + data_term; }
};

// Partial derivatives of L with respect to ln N and ln D (elasticities in
// loss units). Along the iso-FLOP line C = 6ND, dL/dlnN = dL_dlnN - dL_dlnD;
// a compute-optimal (N, D) is where the two are equal.
struct LossGradient {
  double dloss_dlog_params = 0.0;
  double dloss_dlog_tokens = 0.0;
};

// The data a model is trained on: its D tokens drawn from `unique_tokens`
// unique ones (repeated D/U times when D > U). The default, +infinity, is
// unlimited unique data: every token seen once.
struct DataBudget {
  double unique_tokens = std::numeric_limits<double>::infinity();

  bool unlimited() const { return std::isinf(unique_tokens); }
};

// The N' and D' a form that models repetition trains as (Muennighoff et al.
// 2023 Eqs. 5-6: repeated tokens and excess parameters are worth less than
// fresh ones); N and D for a form without a repetition model.
struct EffectiveSize {
  double params = 0.0;
  double tokens = 0.0;
};

class LossLaw {
 public:
  virtual ~LossLaw() = default;

  // L(N, D) and its decomposition. N > 0 parameters (in the law's count),
  // D > 0 training tokens.
  virtual LossTerms Decompose(double params, double tokens) const = 0;
  double Loss(double params, double tokens) const {
    return Decompose(params, tokens).total();
  }
  virtual LossGradient LogGradient(double params, double tokens) const = 0;

  // L(N, D) when the D tokens repeat data.unique_tokens unique ones (> 0),
  // and the effective N', D' behind it. The defaults assume unique data
  // (Decompose(N, D); N and D): right for D <= U, and for D > U the answer
  // of a law that does not model repetition, which callers must say.
  virtual LossTerms DecomposeRepeated(double params,
                                      double tokens,
                                      const DataBudget& /*data*/) const {
    return Decompose(params, tokens);
  }
  double LossRepeated(double params,
                      double tokens,
                      const DataBudget& data) const {
    return DecomposeRepeated(params, tokens, data).total();
  }
  virtual EffectiveSize Effective(double params,
                                  double tokens,
                                  const DataBudget& /*data*/) const {
    return EffectiveSize{params, tokens};
  }
  // Whether DecomposeRepeated models repeated data (false: it assumes every
  // token is unique).
  virtual bool ModelsRepetition() const { return false; }

  // inf over N and D of L(N, D): E for the Chinchilla form, 0 for Kaplan's
  // joint law. A target loss at or below it is unreachable.
  virtual double IrreducibleLoss() const = 0;
  // L(N, infinite data).
  virtual double LossWithUnlimitedData(double params) const = 0;
  // The N with L(N, infinite data) = loss: the smallest model that can
  // reach `loss` at all. +infinity when loss <= IrreducibleLoss().
  virtual double ParamsForLossWithUnlimitedData(double loss) const = 0;
  // The D with L(N, D) = loss. +infinity when N cannot reach `loss`
  // (LossWithUnlimitedData(N) >= loss).
  virtual double TokensForLoss(double params, double loss) const = 0;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_LOSS_LAW_HPP_
