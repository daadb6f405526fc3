// scalesim laws: the built-in loss laws (or the given ones) with their
// constants, counting convention, dataset and citation.
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/format.hpp"
#include "scalesim/laws/law.hpp"

#include "cli/cli.hpp"
#include "cli/law_options.hpp"

namespace scalesim::cli {
namespace {

std::string RangeText(const laws::FittedRange& r) {
  if (r.empty()) return "";
  std::string s;
  const auto add = [&](const char* what, double lo, double hi) {
    if (hi <= 0.0) return;
    s += (s.empty() ? "" : "; ") + std::string(what) + " " +
         io::ShortCount(lo) + "-" + io::ShortCount(hi);
  };
  add("N", r.min_params, r.max_params);
  add("D", r.min_tokens, r.max_tokens);
  if (r.max_training_flops > 0.0) {
    s += (s.empty() ? "" : "; ") + std::string("C ") +
         io::Scientific(r.min_training_flops) + "-" +
         io::Scientific(r.max_training_flops);
  }
  return s;
}

}  // namespace

int RunLaws(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  AddLawOption(options);
  AddOutputOptions(options);
  const CommandHelp help{"laws",
                         "the loss laws and compute-optimal frontiers scalesim "
                         "knows, with their sources",
                         "scalesim laws [--law NAME|FILE ...] [--format "
                         "table|csv|json] [--out FILE]",
                         {"scalesim laws",
                          "scalesim laws --law kaplan2020 --format json",
                          "scalesim laws --law my_fit.json"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;

  io::Report r;
  io::Table t{"laws",
              LawsChosen(vm) ? "Loss laws" : "Built-in loss laws (data/laws/)",
              {"name",
               "form",
               "param_count",
               "constants",
               "fitted_range",
               "loss_units",
               "dataset",
               "citation"},
              {}};
  for (const laws::Law& law : SelectedLaws(vm)) {
    const laws::LawInfo& i = law.info();
    t.AddRow({io::Text(i.name),
              io::Text(std::string(law.form_name())),
              io::Text(std::string(laws::ToString(i.param_count))),
              io::Text(laws::ConstantsText(law)),
              io::Text(RangeText(i.fitted_range)),
              io::Text(i.loss_units),
              io::Text(i.dataset),
              io::Text(i.citation)});
    if (!i.notes.empty()) r.notes.push_back(i.name + ": " + i.notes);
  }
  r.tables.push_back(std::move(t));
  r.notes.push_back(
      "forms: chinchilla L = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022 "
      "Eq. 2); "
      "kaplan L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. "
      "2020 "
      "Eq. 1.5); frontier N_opt ~ C^a, D_opt = C/(6 N_opt)");
  r.notes.push_back(
      "param_count: total = every parameter (Hoffmann et al.); non_embedding = "
      "without token and position embeddings (Kaplan et al. Sec. 2.1)");
  EmitReport(r, vm, out);
  return 0;
}

}  // namespace scalesim::cli
