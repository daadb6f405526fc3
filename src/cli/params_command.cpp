// scalesim params: exact parameter counts by component.
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/model/params_report.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

struct ParamsOptions {
  bool list = false;
  template <typename V>
  void VisitFields(V&& v) {
    v(list,
      {.name = "list", .help = "list the built-in presets", .is_switch = true});
  }
};

io::Report ListReport() {
  Schema<io::PresetInfo> s{
      "presets", "Built-in presets (data/models/)", {}, {}};
  s.Add("name",
        CellKind::kText,
        [](const io::PresetInfo& p) { return CellValue{p.name}; })
      .Add("family",
           CellKind::kText,
           [](const io::PresetInfo& p) { return CellValue{p.family}; })
      .Add("description",
           CellKind::kText,
           [](const io::PresetInfo& p) { return CellValue{p.description}; })
      .Add("source", CellKind::kText, [](const io::PresetInfo& p) {
        return CellValue{p.source};
      });
  io::Report r;
  r.tables.push_back(io::ToTable(s, io::ListPresets()));
  return r;
}

}  // namespace

io::Report ParamsReport(const model::Architecture& a,
                        std::vector<std::string> notes) {
  const model::ParamBreakdown p = model::CountParameters(a);
  const model::ParamSummary summary = model::SummarizeParams(a, p);
  io::Report r;
  r.tables.push_back(
      io::ToTable(model::ComponentSchema(p, a.name), model::ComponentRows(p)));
  r.tables.push_back(io::ToRecord(model::SummarySchema(summary), summary));
  r.notes = std::move(notes);
  for (std::string& n : model::ParamsNotes(summary))
    r.notes.push_back(std::move(n));
  return r;
}

int RunParams(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd({"params",
               "exact parameter counts of a decoder-only transformer, by "
               "component",
               "scalesim params (--preset NAME | --hf-config FILE | --arch "
               "FILE | --checkpoint DIR | --layers L --d-model D --heads H "
               "--vocab V ...) "
               "[--format table|csv|json|markdown] [--out FILE]",
               {"scalesim params --preset llama2-7b",
                "scalesim params --preset mixtral-8x7b --format json",
                "scalesim params --layers 12 --d-model 768 --heads 12 --vocab "
                "50257 --position learned --max-positions 1024 --tied true "
                "--bias all",
                "scalesim params --list"}});
  ParamsOptions options;
  io::ArchitectureSource source;
  OutputOptions output;
  cmd.Flags("Listing", options).Flags("Model", source).Output(output);
  if (!cmd.Parse(args, out)) return 0;
  return cmd.Run([&] {
    if (options.list) {
      Command::Emit(ListReport(), output, out);
      return 0;
    }
    io::ResolvedArchitecture a = io::ResolveArchitecture(source);
    io::Report report = ParamsReport(a.arch, std::move(a.notes));
    if (a.checkpoint) {
      report.tables.push_back(
          io::ToTable(io::CheckpointSchema(), a.checkpoint->rows));
    }
    Command::Emit(report, output, out);
    // A checkpoint that differs from its config is an outcome in the
    // report (exit 1), as a fit that does not converge is.
    return a.checkpoint && !a.checkpoint->matches ? 1 : 0;
  });
}

}  // namespace scalesim::cli
