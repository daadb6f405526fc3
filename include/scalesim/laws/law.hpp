// A named law: its form and constants (law_form.hpp) plus what it was
// measured on, and the registry of named laws.
//
// Every law knows its citation, its loss units, the dataset its loss was
// measured on (losses on different datasets and tokenizers are not
// comparable) and which parameter count its N is (ParamCount). Law files
// (data/laws/*.json, docs/laws.md) are parsed and written by
// include/scalesim/io/law_io.hpp.
#ifndef SCALESIM_LAWS_LAW_HPP_
#define SCALESIM_LAWS_LAW_HPP_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/chinchilla_form.hpp"
#include "scalesim/laws/data_constrained.hpp"
#include "scalesim/laws/frontier.hpp"
#include "scalesim/laws/frontier_form.hpp"
#include "scalesim/laws/kaplan.hpp"
#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

// The range of the runs a law was fitted on (0: not known). Outside it the law
// is an extrapolation.
struct FittedRange {
  double min_params = 0.0;
  double max_params = 0.0;
  double min_tokens = 0.0;
  double max_tokens = 0.0;
  double min_training_flops = 0.0;
  double max_training_flops = 0.0;

  bool empty() const;
};

struct LawInfo {
  std::string name;  // registry key: kaplan2020, hoffmann2022_approach3, ...
  std::string citation;    // paper, table, equation
  std::string dataset;     // what the loss was measured on
  std::string loss_units;  // "nats per token"; empty for frontiers
  ParamCount param_count = ParamCount::kTotal;
  std::string notes;  // conventions specific to this law
  FittedRange fitted_range;
  // The paper's own table of compute-optimal models, as printed (may be empty).
  std::vector<PublishedOptimum> published_optima;
};

// The most bootstrap draws a law holds (fit keeps the first this many usable
// refits): ~1.7 MB of a 7-constant law file, within the 16 MiB limit of
// input files (io/files.hpp).
inline constexpr std::size_t kMaxLawDraws = 10'000;

// The bootstrap draws of a fitted law (law files written by `scalesim fit
// --bootstrap N`, io/law_io.hpp): the constants refitted to each usable
// resample of the runs (fit/bootstrap.hpp), each a form of the law's own
// form built through the registry (MakeLawForm), in resample order.
// Intervals of any quantity of the law come from them (uncertainty.hpp).
struct LawDraws {
  std::vector<std::shared_ptr<const LawForm>> forms;
  std::int64_t resamples = 0;  // drawn; >= forms.size() (unusable dropped)
  std::uint64_t seed = 0;      // of the resamples

  bool empty() const { return forms.empty(); }
  std::size_t size() const { return forms.size(); }
};

// A law: what it was measured on (LawInfo) and its form with constants
// (law_form.hpp), and the bootstrap draws of a fitted law (empty for a
// published law). Copies share the form and the draws.
class Law {
 public:
  Law(LawInfo info, std::shared_ptr<const LawForm> form);
  // With draws, each of the same form as `form` (asserted).
  Law(LawInfo info, std::shared_ptr<const LawForm> form, LawDraws draws);
  // Conveniences for the built-in forms.
  Law(LawInfo info, const ChinchillaForm& constants);
  Law(LawInfo info, const KaplanConstants& constants);
  Law(LawInfo info, const PowerLawFrontier& frontier);

  const LawInfo& info() const { return info_; }
  const std::string& name() const { return info_.name; }
  const LawForm& form() const { return *form_; }
  std::string_view form_name() const { return form_->name(); }

  // The loss law; nullptr for a form without one (a frontier).
  const LossLaw* loss_law() const { return form_->loss(); }
  // Eq. 4 where the form has a closed form; nullptr otherwise.
  const ClosedFormAllocator* closed_form() const {
    return form_->closed_form();
  }
  // The published compute-optimal allocation, where the law has one: the
  // frontier itself, or Kaplan's Sec. 6.1 allocation as a PowerLawFrontier in
  // FLOPs (C = 2 C_min). nullopt for the Chinchilla form (its frontier is
  // derived: include/scalesim/plan/compute_optimal.hpp).
  std::optional<PowerLawFrontier> published_allocation() const {
    return form_->published_allocation();
  }

  // The constants of a built-in form; nullptr when the law has another
  // form (for code specific to one form: fitting it, synthesizing from it).
  const ChinchillaForm* chinchilla() const;
  const KaplanLaw* kaplan() const;
  const PowerLawFrontier* frontier() const;
  const DataConstrainedConstants* data_constrained() const;

  // The bootstrap draws (empty: the law is a point value).
  const LawDraws& draws() const { return *draws_; }
  bool has_draws() const { return !draws_->empty(); }
  // Draw i as a law of its own: the same LawInfo, the draw's constants, no
  // draws (i < draws().size()).
  Law Draw(std::size_t i) const;

 private:
  LawInfo info_;
  std::shared_ptr<const LawForm> form_;
  std::shared_ptr<const LawDraws> draws_;
};

// "kaplan2020: Kaplan et al. 2020 ...; loss in nats per token on WebText2 ...;
// N = non-embedding parameters" - the note every report prints per law.
std::string Describe(const Law& law);
// The constants in one line, as the law file names them
// ("E=1.69 A=406.4 ...").
std::string ConstantsText(const Law& law);
// Whether (params, tokens) - and training_flops when > 0 - lies inside the
// law's fitted range, each bound the law file gives: "yes", "no" or
// "unknown" (the law file gives no range for these).
std::string InFittedRange(const Law& law,
                          double params,
                          double tokens,
                          double training_flops = 0.0);
std::string InFittedRange(const FittedRange& range,
                          double params,
                          double tokens,
                          double training_flops = 0.0);
// The note explaining an in_fitted_range column.
std::string InFittedRangeNote();

// Whether the law's loss models repeated data (LossLaw::ModelsRepetition:
// the data_constrained form).
bool ModelsRepetition(const Law& law);

// Named laws in insertion order.
class LawRegistry {
 public:
  // Throws InvalidInput naming `source` if a law of that name exists already.
  void Add(Law law, std::string_view source);
  // nullptr when no law has that name.
  const Law* Find(std::string_view name) const;
  // The default selection: every law but those that model repeated data.
  // Those answer questions with a unique-token budget (--unique-tokens
  // adds them, io::SelectLaws); without one they would restate a
  // Chinchilla-form fit in every default output.
  const std::vector<Law>& laws() const { return defaults_; }
  // Every law.
  const std::vector<Law>& all() const { return laws_; }
  // The names of every law.
  std::vector<std::string> Names() const;

 private:
  std::vector<Law> laws_;
  std::vector<Law> defaults_;
};

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_LAW_HPP_
