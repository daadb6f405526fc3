// Sweeps: the library grids of src/cli/sweep_command.cpp, each row pushed
// straight into typed column buffers (no Python object per row; the GIL is
// released while the grid runs) and handed over as NumPy arrays.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/sweep/sweep.hpp"

#include "python/arch.hpp"
#include "python/bindings.hpp"
#include "python/laws.hpp"

namespace scalesim::python {
namespace {

// Runs one sweep kind into columns: `run(emit)` returns its summary.
template <typename Row, typename Run>
py::dict Collect(const Schema<Row>& schema,
                 double rows,
                 const sweep::SweepLimits& limits,
                 Run run,
                 const std::vector<std::string>& extra_notes = {}) {
  sweep::CheckRowCount(rows, limits);
  Columns<Row> columns(schema);
  columns.Reserve(static_cast<std::size_t>(rows));
  std::vector<std::string> notes;
  sweep::SweepSummary summary;
  {
    py::gil_scoped_release release;
    std::tie(summary, notes) = run([&](const Row& r) { columns.Add(r); });
  }
  Report report;
  report.tables.append(columns.Finish());
  report.Notes(notes).Notes(extra_notes);
  py::dict d = report.Finish();
  d["failed_rows"] = summary.failed_rows;
  return d;
}

template <typename Row>
using Emit = std::function<void(const Row&)>;

py::dict Overtraining(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  sweep::OvertrainingOptions o;
  sweep::SweepLimits limits;
  k.Bind(o).Bind(limits);
  bool given = false;
  const std::vector<laws::Law> selected =
      LawArgument(k, o.repeated.given(), given, true);
  k.Finish();
  return k.Run([&] {
    if (o.budgets_flops.empty() == o.target_losses.empty())
      FailKeyword("flops", "give exactly one of flops and target_loss");
    sweep::RequireLossLaws(selected, given, o.target_losses);
    const auto schema = sweep::OvertrainingSchema(o);
    return Collect(
        schema,
        sweep::OvertrainingRowCount(selected, o),
        limits,
        [&](const Emit<sweep::OvertrainingRow>& emit) {
          const auto s = sweep::Overtraining(selected, o, emit);
          return std::pair{s, sweep::OvertrainingNotes(selected, o, s)};
        });
  });
}

py::dict Budget(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  sweep::BudgetOptions o;
  sweep::SweepLimits limits;
  k.Bind(o).Bind(limits);
  bool given = false;
  const std::vector<laws::Law> selected = LawArgument(k, false, given, true);
  k.Finish();
  return k.Run([&] {
    sweep::LogSpace(o.budgets);  // validated before any work
    const auto schema = sweep::BudgetSchema();
    return Collect(schema,
                   sweep::BudgetRowCount(selected, o),
                   limits,
                   [&](const Emit<sweep::BudgetRow>& emit) {
                     const auto s = sweep::Budget(selected, o, emit);
                     return std::pair{s, sweep::BudgetNotes(selected, s)};
                   });
  });
}

py::dict Isoflop(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  sweep::IsoflopOptions o;
  sweep::SweepLimits limits;
  k.Bind(o).Bind(limits);
  bool given = false;
  const std::vector<laws::Law> selected = LawArgument(k, false, given, true);
  k.Finish();
  return k.Run([&] {
    if (o.budgets_flops.empty())
      o.budgets_flops = sweep::HoffmannIsoflopBudgets();
    sweep::RequireLossLaws(selected, given);
    sweep::Isoflop({}, o, [](const sweep::IsoflopRow&) {});  // validates
    const auto schema = sweep::IsoflopSchema();
    return Collect(schema,
                   sweep::IsoflopRowCount(selected, o),
                   limits,
                   [&](const Emit<sweep::IsoflopRow>& emit) {
                     const auto s = sweep::Isoflop(selected, o, emit);
                     return std::pair{s, sweep::CommonNotes(selected, s)};
                   });
  });
}

py::dict LossGrid(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  sweep::LossGridOptions o;
  sweep::SweepLimits limits;
  k.Bind(o).Bind(limits);
  bool given = false;
  const std::vector<laws::Law> selected = LawArgument(k, false, given, true);
  k.Finish();
  return k.Run([&] {
    sweep::RequireLossLaws(selected, given);
    sweep::LogSpace(o.params);
    sweep::LogSpace(o.tokens);
    const auto schema = sweep::LossGridSchema();
    return Collect(schema,
                   sweep::LossGridRowCount(selected, o),
                   limits,
                   [&](const Emit<sweep::LossGridRow>& emit) {
                     const auto s = sweep::LossGrid(selected, o, emit);
                     return std::pair{s, sweep::CommonNotes(selected, s)};
                   });
  });
}

// sweep arch: a depth x width (x KV heads) grid of a base architecture
// (an Architecture, a preset name or the architecture keywords; Llama 3
// 8B without one, as the CLI).
py::dict ArchSweep(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  io::ArchitectureSource base;
  sweep::ArchGridAxes axes;
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  sweep::SweepLimits limits;
  k.Bind(base, {"layers", "d_model", "heads", "kv_heads"})
      .Bind(axes)
      .Bind(training)
      .Bind(serving, {"tp"})
      .Bind(limits);
  k.Finish();
  return k.Run([&] {
    std::string base_name;
    std::optional<PyArchitecture> keep;
    std::vector<std::string> notes;
    if (arch.is_none() && !base.Given())
      base.preset = std::string(sweep::kDefaultArchBase);
    const model::Architecture& a =
        ArchitectureArgument(base, arch, keep, notes);
    base_name = base.preset      ? *base.preset
                : base.hf_config ? *base.hf_config
                : base.arch      ? *base.arch
                                 : a.name;
    const sweep::ArchGridOptions o =
        sweep::ArchGridOf(a, axes, training, serving);
    const auto schema = sweep::ArchGridSchema(base_name);
    return Collect(schema,
                   sweep::ArchGridRowCount(o),
                   limits,
                   [&](const Emit<sweep::ArchGridRow>& emit) {
                     const auto s = sweep::ArchGrid(o, emit);
                     return std::pair{s, sweep::ArchGridNotes(base_name, o, s)};
                   });
  });
}

}  // namespace

void BindSweeps(py::module_& m) {
  m.def("sweep_arch", &ArchSweep, py::arg("arch") = py::none());
  m.def("sweep_overtraining", &Overtraining);
  m.def("sweep_budget", &Budget);
  m.def("sweep_isoflop", &Isoflop);
  m.def("sweep_loss_grid", &LossGrid);
}

}  // namespace scalesim::python
