// The law forms scalesim knows: one line per form (law_form.hpp). A new
// form is its own source file plus a line here.
#include "scalesim/laws/chinchilla_form.hpp"
#include "scalesim/laws/data_constrained.hpp"
#include "scalesim/laws/frontier_form.hpp"
#include "scalesim/laws/kaplan.hpp"
#include "scalesim/laws/law_form.hpp"

namespace scalesim::laws {

const std::vector<FormEntry>& LawForms() {
  static const std::vector<FormEntry> kForms = {
      {"chinchilla",
       "L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022 Eq. 2)",
       &ChinchillaLawForm::Make},
      {"kaplan",
       "L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020 "
       "Eq. 1.5)",
       &KaplanLawForm::Make},
      {"frontier",
       "N_opt ~ C^a, D_opt = C/(6 N_opt) (no loss)",
       &FrontierLawForm::Make},
      {"data_constrained",
       "L = E + A/N'^alpha + B/D'^beta, effective N', D' of repeated data "
       "(Muennighoff et al. 2023 Eqs. 5-6)",
       &DataConstrainedLawForm::Make},
  };
  return kForms;
}

}  // namespace scalesim::laws
