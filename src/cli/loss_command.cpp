// scalesim loss: predicted loss of (N, D) under every law, with its
// decomposition into irreducible, parameter and data terms.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/model/params.hpp"

#include "cli/cli.hpp"
#include "cli/law_options.hpp"

namespace scalesim::cli {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// A count flag: finite and >= 1 (below one parameter or token the laws'
// power terms overflow to inf and NaN).
double AtLeastOne(const po::variables_map& vm, const char* flag) {
  const double v = PositiveFlag(vm, flag);
  if (v < 1.0) {
    throw InvalidInput(
        InputLocation{"command line", 0, std::string("--") + flag},
        "must be at least 1, got " + io::Exact(v));
  }
  return v;
}

}  // namespace

int RunLoss(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  options.add_options()(
      "params",
      po::value<double>(),
      "parameter count N (fed as is to every law; see the notes)")(
      "tokens", po::value<double>(), "training tokens D");
  AddLawOption(options);
  AddArchitectureOptions(options);
  AddOutputOptions(options);
  const CommandHelp help{
      "loss",
      "predicted loss of N parameters trained on D tokens under each loss law, "
      "decomposed into "
      "irreducible, parameter and data terms",
      "scalesim loss (--params N | --preset NAME | --hf-config FILE | --arch "
      "FILE | --layers L "
      "...) --tokens D [--law NAME|FILE ...] [--format table|csv|json] [--out "
      "FILE]",
      {"scalesim loss --params 70e9 --tokens 1.4e12",
       "scalesim loss --preset chinchilla-70b --tokens 1.4e12 --law "
       "hoffmann2022_approach3",
       "scalesim loss --preset gpt2-small --tokens 3e11 --law kaplan2020 "
       "--format json",
       "scalesim loss --params 1e9 --tokens 2e10 --law my_fit.json"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  const bool has_arch = HasArchitecture(vm);
  if (has_arch && vm.count("params") != 0U) {
    throw InvalidInput(InputLocation{"command line", 0, "--params"},
                       "give either --params or an architecture, not both");
  }
  if (!has_arch && vm.count("params") == 0U) {
    throw InvalidInput(
        InputLocation{"command line", 0, "--params"},
        "missing: give --params N or an architecture (--preset, --hf-config, "
        "--arch or --layers ...)");
  }
  if (vm.count("tokens") == 0U) {
    throw InvalidInput(InputLocation{"command line", 0, "--tokens"},
                       "missing: give --tokens D");
  }
  const double tokens = AtLeastOne(vm, "tokens");
  const double given_params = has_arch ? 0.0 : AtLeastOne(vm, "params");

  std::vector<std::string> notes;
  model::Architecture arch;
  model::ParamBreakdown counts;
  if (has_arch) {
    arch = ArchitectureFromOptions(vm, notes);
    counts = model::CountParameters(arch);
  }

  const std::vector<laws::Law> selected = SelectedLaws(vm);
  io::Report r;
  io::Table table{
      "loss",
      "Predicted loss for D = " + io::Scientific(tokens) + " tokens",
      {"law",
       "form",
       "param_count",
       "params",
       "tokens",
       "tokens_per_param",
       "loss_nats",
       "irreducible_nats",
       "parameter_term_nats",
       "data_term_nats",
       "in_fitted_range"},
      {}};
  io::Table kaplan{"kaplan_single_variable",
                   "Kaplan et al. 2020 single-variable laws",
                   {"law", "quantity", "loss_nats", "source"},
                   {}};
  std::vector<std::string> skipped;
  std::vector<std::string> total_laws;
  std::vector<std::string> non_embedding_laws;
  for (const laws::Law& law : selected) {
    const laws::LossLaw* loss = law.loss_law();
    if (loss == nullptr) {
      if (LawsChosen(vm)) {
        throw InvalidInput(
            InputLocation{"command line", 0, "--law"},
            "law '" + law.name() +
                "' is a compute-optimal frontier and predicts no loss (use "
                "scalesim optimal)");
      }
      skipped.push_back(law.name());
      continue;
    }
    const laws::ParamCount count = law.info().param_count;
    (count == laws::ParamCount::kTotal ? total_laws : non_embedding_laws)
        .push_back(law.name());
    const double params =
        has_arch ? laws::ParamsFor(counts, count) : given_params;
    const laws::LossTerms t = loss->Decompose(params, tokens);
    const io::Cell params_cell =
        has_arch ? io::Count(count == laws::ParamCount::kTotal
                                 ? counts.total()
                                 : counts.non_embedding())
                 : io::ShortCountCell(params);
    table.AddRow({io::Text(law.name()),
                  io::Text(std::string(law.form_name())),
                  io::Text(std::string(laws::ToString(count))),
                  params_cell,
                  io::ShortCountCell(tokens),
                  io::Real(tokens / params),
                  io::Real(t.total()),
                  io::Real(t.irreducible),
                  io::Real(t.parameter_term),
                  io::Real(t.data_term),
                  io::Text(laws::InFittedRange(law, params, tokens))});
    notes.push_back(laws::Describe(law));
    if (const laws::KaplanLaw* k = law.kaplan()) {
      if (const auto l = k->LossFromParams(params)) {
        kaplan.AddRow({io::Text(law.name()),
                       io::Text("L(N)"),
                       io::Real(*l),
                       io::Text("Eq. 1.1: converged, unlimited data")});
      }
      if (const auto l = k->LossFromTokens(tokens)) {
        kaplan.AddRow({io::Text(law.name()),
                       io::Text("L(D)"),
                       io::Real(*l),
                       io::Text("Eq. 1.2: large model, early stopping")});
      }
      notes.push_back(
          law.name() +
          ": the joint law (Eq. 1.5) is not additive; irreducible = 0, "
          "parameter_term = L(N, infinite data) = (N_c/N)^alpha_N, data_term = "
          "L(N, D) - L(N, infinite data)");
    }
  }
  if (table.rows.empty()) {
    throw InvalidInput(InputLocation{"command line", 0, "--law"},
                       "no selected law predicts a loss");
  }
  r.tables.push_back(std::move(table));
  if (!kaplan.rows.empty()) r.tables.push_back(std::move(kaplan));

  if (has_arch && arch.moe.enabled()) {
    notes.push_back(
        "mixture of experts: every expert is counted (total and non-embedding "
        "include all experts); the laws were fitted on dense models");
  }
  if (has_arch) {
    notes.push_back(
        "architecture " + arch.name + ": " +
        io::WithSeparators(counts.total()) + " total parameters, " +
        io::WithSeparators(counts.non_embedding()) +
        " non-embedding; each law is fed the count it was fitted with");
  } else {
    std::string n = "--params " + io::Exact(given_params) + " is fed as given";
    if (!total_laws.empty())
      n += ", as total parameters to " + JoinNames(total_laws);
    if (!non_embedding_laws.empty()) {
      n += std::string(total_laws.empty() ? "," : " and") +
           " as non-embedding parameters to " + JoinNames(non_embedding_laws);
    }
    notes.push_back(n +
                    " (give an architecture to feed each law its own count)");
  }
  notes.push_back(
      "in_fitted_range: whether N and D lie within the runs the law was fitted "
      "on; "
      "outside it the law extrapolates");
  if (!non_embedding_laws.empty() && !total_laws.empty()) {
    notes.push_back(
        "losses measured on different datasets and tokenizers (WebText2 vs "
        "MassiveText) are not comparable with each other");
  }
  if (!skipped.empty()) {
    notes.push_back("skipped compute-optimal frontiers (no loss prediction): " +
                    JoinNames(skipped));
  }
  r.notes = std::move(notes);
  EmitReport(r, vm, out);
  return 0;
}

}  // namespace scalesim::cli
