// Law files: one JSON object per law (data/laws/*.json; docs/laws.md).
//
//   {
//     "name": "hoffmann2022_approach3",
//     "form": "chinchilla",    // a registered form (laws::LawForms())
//     "constants": {"E": 1.69, "A": 406.4, "B": 410.7,
//                   "alpha": 0.34, "beta": 0.28},
//     "param_count": "total",  // total | non_embedding
//     "loss_units": "nats per token",  // required unless the form has
//                                      // no loss (frontier)
//     "dataset": "MassiveText ...",
//     "citation": "Hoffmann et al. 2022, App. D.2",
//     "notes": "...",                                  // optional
//     "fitted_range": {"params": [7e7, 1.6e10],        // optional, any
//                      "tokens": [5e9, 5e11],          // subset
//                      "training_flops": [6e18, 3e21]},
//     "published_optima": [{"params": 1e9, "training_flops": 1.21e20,
//                           "tokens": 2.02e10}, ...],  // optional
//     "bootstrap": {"resamples": 100, "seed": 0,       // optional: fit
//                   "draws": {"E": [1.71, 1.68, ...],  // --bootstrap N
//                             "A": [...], ...}}
//   }
//
// "bootstrap" (laws::LawDraws): the constants refitted to each usable
// bootstrap resample, one array per constant of the law nested as in
// "constants", every array of one length (1 to laws::kMaxLawDraws), each draw
// checked by the form as the constants are; errors name the draw
// ("bootstrap.draws.alpha[3]"). "resamples" >= the number of draws.
//
// constants by form:
//   chinchilla: E (>= 0), A, B, alpha, beta (> 0) - Hoffmann et al. 2022 Eq. 2;
//   kaplan: "joint": {alpha_n, alpha_d, n_c, d_c} (required, Eq. 1.5) and
//           optionally "params_law": {alpha_n, n_c} (Eq. 1.1), "data_law":
//           {alpha_d, d_c} (Eq. 1.2), "compute_law": {alpha_c_min, c_c_pf_days}
//           (Eq. 1.3), "allocation": {params_coefficient, params_exponent,
//           tokens_coefficient, tokens_exponent} (Sec. 6.1, C_min in PF-days);
//   frontier: params_exponent a, tokens_exponent b (0 < a, b < 1, a + b = 1),
//           anchor_training_flops C0, anchor_params N0; D0 = C0 / (6 N0);
//   data_constrained: E (>= 0), A, B, alpha, beta, R_D_star, R_N_star (> 0)
//           - Muennighoff et al. 2023 Eqs. 5-6 (laws/data_constrained.hpp).
// Unknown keys are errors (a typo never silently drops a constant); every
// number must be finite and positive. Errors name the source, the line (JSON
// syntax) and the field ("constants.joint.alpha_n").
#ifndef SCALESIM_IO_LAW_IO_HPP_
#define SCALESIM_IO_LAW_IO_HPP_

#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/laws/hyperparameters.hpp"
#include "scalesim/laws/law.hpp"

namespace scalesim::io {

// Parses one law file. Throws InvalidInput naming `source` and the field.
laws::Law LawFromJson(std::string_view text, std::string_view source);

// The law as a law file (pretty-printed, numbers in shortest round-trip
// form): LawFromJson(LawToJson(law), ...) gives back the same constants.
std::string LawToJson(const laws::Law& law);

// The built-in laws (data/laws/, compiled in), parsed once, in data/ order.
const laws::LawRegistry& BuiltinLaws();

// A built-in law by name, else a law file at that path. Throws InvalidInput
// at `where` when it is neither, and naming the file and field when the file
// is malformed.
laws::Law LoadLaw(std::string_view name_or_path, const InputLocation& where);

// The laws a command uses: --law NAME|FILE, repeatable; every built-in law
// when none is named.
struct LawSelection {
  std::vector<std::string> law;

  bool given() const { return !law.empty(); }
  template <typename V>
  void VisitFields(V&& v) {
    v(law,
      {.name = "law",
       .help = "loss law: a built-in name (scalesim laws) or a law JSON "
               "file; repeatable",
       .unit = "NAME|FILE",
       .default_text = "every built-in law"});
  }
};
// The selected laws, in the order given (errors name the field "law");
// every built-in law when none is named.
std::vector<laws::Law> SelectLaws(const LawSelection& selection);
// As SelectLaws, but when none is named the default selection
// (LawRegistry::laws(): laws that model repeated data left out), and every
// built-in law when `repeated_data` (a unique-token budget is asked).
std::vector<laws::Law> SelectLossLaws(const LawSelection& selection,
                                      bool repeated_data);

// The table of `scalesim laws`: name, form, param_count, constants,
// fitted_range, loss_units, dataset, citation (one row per law).
Schema<laws::Law> LawsSchema(const std::string& title);
// Its notes: each law's own, the formula of every form, param_count.
std::vector<std::string> LawsNotes(const std::vector<laws::Law>& selected);

// Hyperparameter law files (data/hparams/*.json; docs/laws.md):
//
//   {
//     "name": "deepseek2024_hyperparameters",
//     "form": "compute_power_law",     // laws::HyperparameterForms()
//     "constants": {"lr_coefficient": 0.3118, "lr_exponent": -0.125, ...},
//     "param_count": "non_embedding",  // optional: the N it reads
//     "budget": "C = M D, M = ... (Eq. 2)",   // how C, N, D, L are counted
//     "units": "B in tokens; eta the peak learning rate of AdamW ...",
//     "dataset": "...", "citation": "... Eq. 1", "notes": "...",
//     "fitted_range": {"training_flops": [1e17, 2e19]},  // optional
//     "loss_law": "kaplan2020"  // required by critical_batch: its L
//   }
//
// Exponents may be negative; every other constant is finite and > 0.
laws::HyperparameterLaw HyperparameterLawFromJson(std::string_view text,
                                                  std::string_view source);
// The built-in hyperparameter laws (data/hparams/), parsed once.
const std::vector<laws::HyperparameterLaw>& BuiltinHyperparameterLaws();
// A built-in hyperparameter law by name (ignoring case), else a law file at
// that path; a loss law's name is bad input at `where` saying so.
laws::HyperparameterLaw LoadHyperparameterLaw(std::string_view name_or_path,
                                              const InputLocation& where);

// --law for `scalesim hparams`: the same flag, over hyperparameter laws.
struct HyperparameterLawSelection {
  std::vector<std::string> law;

  bool given() const { return !law.empty(); }
  template <typename V>
  void VisitFields(V&& v) {
    v(law,
      {.name = "law",
       .help = "hyperparameter law: a built-in name (data/hparams/, listed "
               "in the notes) or a law JSON file; repeatable",
       .unit = "NAME|FILE",
       .default_text = "every built-in hyperparameter law"});
  }
};
// The selected laws, in the order given (errors name the field "law");
// every built-in hyperparameter law when none is named.
std::vector<laws::HyperparameterLaw> SelectHyperparameterLaws(
    const HyperparameterLawSelection& selection);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_LAW_IO_HPP_
