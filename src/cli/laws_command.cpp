// scalesim laws: the built-in loss laws (or the given ones) with their
// form, constants, counting convention, dataset and citation.
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/format.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/law.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

std::string RangeText(const laws::FittedRange& r) {
  std::string s;
  const auto add = [&](const char* what, double lo, double hi, bool sci) {
    if (hi <= 0.0) return;
    s += (s.empty() ? "" : "; ") + std::string(what) + " " +
         (sci ? io::Scientific(lo) : io::ShortCount(lo)) + "-" +
         (sci ? io::Scientific(hi) : io::ShortCount(hi));
  };
  add("N", r.min_params, r.max_params, false);
  add("D", r.min_tokens, r.max_tokens, false);
  add("C", r.min_training_flops, r.max_training_flops, true);
  return s;
}

Schema<laws::Law> LawsSchema(const std::string& title) {
  using L = laws::Law;
  Schema<L> s{"laws", title, {}, nullptr};
  s.Add(
      "name", CellKind::kText, [](const L& l) { return CellValue{l.name()}; });
  s.Add("form", CellKind::kText, [](const L& l) {
    return CellValue{std::string(l.form_name())};
  });
  s.Add("param_count", CellKind::kText, [](const L& l) {
    return CellValue{std::string(laws::ToString(l.info().param_count))};
  });
  s.Add("constants", CellKind::kText, [](const L& l) {
    return CellValue{laws::ConstantsText(l)};
  });
  s.Add("fitted_range", CellKind::kText, [](const L& l) {
    return CellValue{RangeText(l.info().fitted_range)};
  });
  s.Add("loss_units", CellKind::kText, [](const L& l) {
    return CellValue{l.info().loss_units};
  });
  s.Add("dataset", CellKind::kText, [](const L& l) {
    return CellValue{l.info().dataset};
  });
  s.Add("citation", CellKind::kText, [](const L& l) {
    return CellValue{l.info().citation};
  });
  return s;
}

}  // namespace

int RunLaws(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"laws",
       "the loss laws and compute-optimal frontiers scalesim knows, "
       "with their sources",
       "scalesim laws [--law NAME|FILE ...] [--format "
       "table|csv|json|markdown] [--out FILE]",
       {"scalesim laws", "scalesim laws --law kaplan2020 --format json"}});
  io::LawSelection selection;
  OutputOptions output;
  cmd.Flags("Laws", selection).Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    const std::vector<laws::Law> selected = io::SelectLaws(selection);
    io::Report r;
    r.tables.push_back(io::ToTable(
        LawsSchema(selection.given() ? "Loss laws"
                                     : "Built-in loss laws (data/laws/)"),
        selected));
    for (const laws::Law& law : selected) {
      if (!law.info().notes.empty())
        r.notes.push_back(law.name() + ": " + law.info().notes);
    }
    std::string forms = "forms:";
    for (const laws::FormEntry& f : laws::LawForms())
      forms += " " + std::string(f.name) + " " + std::string(f.formula) + ";";
    forms.pop_back();
    r.notes.push_back(forms);
    r.notes.push_back(
        "param_count: total = every parameter (Hoffmann et al.); "
        "non_embedding = without token and position embeddings (Kaplan et "
        "al. Sec. 2.1)");
    Command::Emit(r, output, out);
    return 0;
  });
}

}  // namespace scalesim::cli
