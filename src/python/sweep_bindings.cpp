// Sweeps: the prepared grids of sweep/sweep.hpp (sweep::Prepare*, which the
// CLI streams), each row pushed straight into typed column buffers (no
// Python object per row; the GIL is released while the grid runs) and
// handed over as NumPy arrays.
#include <optional>
#include <string>
#include <type_traits>
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

// Runs one prepared sweep into columns: the row count checked first, the
// GIL released while the rows are computed.
template <typename Row>
py::dict Collect(const sweep::Prepared<Row>& prepared,
                 const sweep::SweepLimits& limits) {
  sweep::CheckRowCount(prepared.rows, limits);
  Columns<Row> columns(prepared.schema);
  columns.Reserve(static_cast<std::size_t>(prepared.rows));
  std::vector<std::string> notes;
  sweep::SweepSummary summary;
  {
    py::gil_scoped_release release;
    std::tie(summary, notes) =
        prepared.run([&](const Row& r) { columns.Add(r); });
  }
  Report report;
  report.tables.append(columns.Finish());
  report.Notes(notes);
  py::dict d = report.Finish();
  d["failed_rows"] = summary.failed_rows;
  return d;
}

// One law sweep: its options and the limits bound, the laws of `law=`.
template <typename Options, typename Prepare>
py::dict LawSweep(const py::kwargs& kwargs,
                  bool loss_laws_only,
                  Prepare prepare) {
  Keywords k(kwargs);
  Options o;
  sweep::SweepLimits limits;
  k.Bind(o).Bind(limits);
  bool given = false;
  bool repeated = false;
  if constexpr (std::is_same_v<Options, sweep::OvertrainingOptions>)
    repeated = o.repeated.given();
  std::vector<laws::Law> selected =
      LawArgument(k, repeated, given, loss_laws_only);
  k.Finish();
  return k.Run([&] {
    if constexpr (std::is_same_v<Options, sweep::OvertrainingOptions>) {
      // The check the CLI makes with its flags' names.
      if (o.budgets_flops.empty() == o.target_losses.empty())
        FailKeyword("flops", "give exactly one of flops and target_loss");
    }
    return Collect(prepare(std::move(selected), given, std::move(o)), limits);
  });
}

py::dict Overtraining(const py::kwargs& kwargs) {
  return LawSweep<sweep::OvertrainingOptions>(
      kwargs, true, [](auto laws, bool given, auto o) {
        return sweep::PrepareOvertraining(std::move(laws), given, std::move(o));
      });
}

py::dict Budget(const py::kwargs& kwargs) {
  return LawSweep<sweep::BudgetOptions>(
      kwargs, true, [](auto laws, bool, auto o) {
        return sweep::PrepareBudget(std::move(laws), std::move(o));
      });
}

py::dict Isoflop(const py::kwargs& kwargs) {
  return LawSweep<sweep::IsoflopOptions>(
      kwargs, true, [](auto laws, bool given, auto o) {
        return sweep::PrepareIsoflop(std::move(laws), given, std::move(o));
      });
}

py::dict LossGrid(const py::kwargs& kwargs) {
  return LawSweep<sweep::LossGridOptions>(
      kwargs, true, [](auto laws, bool given, auto o) {
        return sweep::PrepareLossGrid(std::move(laws), given, std::move(o));
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
    std::optional<PyArchitecture> keep;
    std::vector<std::string> notes;
    if (arch.is_none() && !base.Given())
      base.preset = std::string(sweep::kDefaultArchBase);
    const model::Architecture& a =
        ArchitectureArgument(base, arch, keep, notes);
    const std::string base_name = base.preset      ? *base.preset
                                  : base.hf_config ? *base.hf_config
                                  : base.arch      ? *base.arch
                                                   : a.name;
    return Collect(
        sweep::PrepareArchGrid(a, base_name, axes, training, serving), limits);
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
