// Law forms: the open extension point of the laws module.
//
// A law form is one class deriving from LawForm (its loss, decomposition,
// compute-optimal allocation where it has one, constants and formula) plus
// one registration line in src/laws/law_forms.cpp (its name and a factory
// that builds it from a law file's constants). Law files name their form
// ("form": "chinchilla") and the registry builds it; io::LawFromJson and
// LawToJson never switch on the form. ARCHITECTURE.md lists the files a new
// form touches.
//
// Built-in forms:
//   chinchilla  L = E + A/N^alpha + B/D^beta   (Hoffmann et al. 2022 Eq. 2)
//   kaplan      L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D
//                                               (Kaplan et al. 2020 Eq. 1.5)
//   frontier    N_opt = N_0 (C/C_0)^a, D_opt = C/(6 N_opt)  (no loss)
//   data_constrained  L = E + A/N'^alpha + B/D'^beta with the effective
//               N', D' of repeated data (Muennighoff et al. 2023 Eqs. 5-6)
#ifndef SCALESIM_LAWS_LAW_FORM_HPP_
#define SCALESIM_LAWS_LAW_FORM_HPP_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/laws/frontier.hpp"
#include "scalesim/laws/loss_law.hpp"

namespace scalesim::laws {

// One constant of a law as its file holds it: a dotted path inside
// "constants" ("E", "joint.alpha_n") and its value.
struct Constant {
  std::string name;
  double value = 0.0;
};

// Reads the constants of a law file (flattened to dotted paths) for a
// form's factory, naming "constants.<path>" of `source` in every error and
// remembering which paths the form asked about, so that a key no form reads
// (a typo) is an error rather than a silently dropped constant. The field
// of an error is `field_prefix` + path + `field_suffix`: a bootstrap draw
// names "bootstrap.draws.<path>[i]" (io/law_io.hpp).
class ConstantReader {
 public:
  ConstantReader(std::map<std::string, double, std::less<>> values,
                 std::string source,
                 std::string field_prefix = "constants.",
                 std::string field_suffix = "");

  // A required constant, finite and > 0 (>= 0 for NonNegative; any finite
  // number for Finite: an exponent of either sign).
  double Positive(std::string_view key);
  double NonNegative(std::string_view key);
  double Finite(std::string_view key);
  // An optional constant, finite and > 0 when present.
  std::optional<double> OptionalPositive(std::string_view key);
  // Whether any constant lies under "<group>." (an optional group of the
  // form: Kaplan's params_law); declares the group's keys valid.
  bool HasGroup(std::string_view group);
  [[noreturn]] void Fail(std::string_view key, std::string_view problem) const;
  // Throws InvalidInput for the first constant no call asked about,
  // listing the valid ones.
  void RejectUnread() const;
  const std::string& source() const { return source_; }

 private:
  enum class Sign { kPositive, kNonNegative, kAny };
  double Read(std::string_view key, Sign sign);

  std::map<std::string, double, std::less<>> values_;
  std::string source_;
  std::string field_prefix_;
  std::string field_suffix_;
  std::vector<std::string> asked_;
  std::set<std::string, std::less<>> groups_;
};

// The constants in one line, as a law file names them ("E=1.69 A=406.4").
std::string ConstantsText(const std::vector<Constant>& constants);

// Hoffmann et al. 2022 Eq. 4, for forms whose compute-optimal frontier has
// a closed form: N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b under C = 6 N D.
struct ClosedFormOptimum {
  double params = 0.0;
  double tokens = 0.0;
  double training_flops = 0.0;
};

// A form whose compute-optimal allocation has a closed form.
class ClosedFormAllocator {
 public:
  virtual ~ClosedFormAllocator() = default;
  // The optimum at `training_flops` (> 0) under C = 6 N D.
  virtual ClosedFormOptimum OptimumAt(double training_flops) const = 0;
  // The training FLOPs of the compute-optimal model reaching `loss`
  // (> the irreducible loss).
  virtual double ComputeForLoss(double loss) const = 0;
  // The budget at which `params` is the optimum, with its tokens.
  virtual ClosedFormOptimum OptimumForParams(double params) const = 0;
  // N_opt ~ C^a, D_opt ~ C^b.
  virtual double params_exponent() const = 0;
  virtual double tokens_exponent() const = 0;
};

// A loss predicted in addition to L(N, D) (Kaplan's single-variable laws).
struct NamedLoss {
  std::string quantity;  // "L(N)"
  double loss = 0.0;
  std::string source;  // "Eq. 1.1: converged, unlimited data"
};

class LawForm {
 public:
  virtual ~LawForm() = default;

  // The registry key and the spelling of law files: "chinchilla".
  virtual std::string_view name() const = 0;
  // The constants as the law file holds them (written back by LawToJson).
  virtual std::vector<Constant> constants() const = 0;

  // The loss law; nullptr for a form without one (a frontier).
  virtual const LossLaw* loss() const { return nullptr; }
  // Eq. 4 where the form has it; nullptr: solved numerically.
  virtual const ClosedFormAllocator* closed_form() const { return nullptr; }
  // The paper's own compute-optimal allocation, where the form has one
  // (a frontier; Kaplan's Sec. 6.1), as a frontier in FLOPs.
  virtual std::optional<PowerLawFrontier> published_allocation() const {
    return std::nullopt;
  }
  // Whether the published allocation is all the form has (no loss to
  // minimise): a frontier.
  bool frontier_only() const { return loss() == nullptr; }

  // Losses of single-variable laws the form also carries.
  virtual std::vector<NamedLoss> SingleVariableLosses(double /*params*/,
                                                      double /*tokens*/) const {
    return {};
  }
  // How Decompose splits a loss that is not additive; empty when additive.
  virtual std::string DecompositionNote() const { return ""; }
};

// The registered forms. A factory builds its form from a law file's
// constants (throwing InvalidInput through the reader for a bad one).
using FormFactory = std::shared_ptr<const LawForm> (*)(ConstantReader&);
struct FormEntry {
  std::string_view name;
  std::string_view formula;  // one line, with its source
  FormFactory make;
};
const std::vector<FormEntry>& LawForms();
// The registered form names, in registration order.
std::vector<std::string> LawFormNames();
// The registered form called `name`; unknown names throw InvalidInput
// naming `source`'s field "form" with the valid names.
const FormEntry& FindLawForm(std::string_view name, std::string_view source);

namespace internal {
// Throws the InvalidInput FindForm describes.
[[noreturn]] void UnknownForm(std::string_view name,
                              const std::vector<std::string>& names,
                              std::string_view source,
                              std::string_view hint);
}  // namespace internal

// The entry called `name` of a registry of forms (entries with a `name`):
// unknown names throw InvalidInput naming `source`'s field "form", with
// the valid names, a "did you mean" and `hint` (where else the name is a
// form).
template <typename Entry>
const Entry& FindForm(const std::vector<Entry>& entries,
                      std::string_view name,
                      std::string_view source,
                      std::string_view hint = {}) {
  std::vector<std::string> names;
  for (const Entry& e : entries) {
    if (e.name == name) return e;
    names.emplace_back(e.name);
  }
  internal::UnknownForm(name, names, source, hint);
}

// Builds the form called `name` from `constants` (FindLawForm's errors,
// then the factory's, then any constant it did not read).
std::shared_ptr<const LawForm> MakeLawForm(std::string_view name,
                                           ConstantReader& constants);

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_LAW_FORM_HPP_
