// step, serve, plan, compare and synth: the workflows of
// scalesim/workflow/workflow.hpp the CLI's commands call, with the same
// options bound to keywords and the same report (tables, notes, exit code)
// turned into columns.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/fit/dataset.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/files.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "python/arch.hpp"
#include "python/bindings.hpp"

namespace scalesim::python {

py::dict FromWorkflow(const workflow::Outcome& o) {
  py::dict d = FromReport(o.report);
  d["exit_code"] = o.exit_code;
  return d;
}

namespace {

// A workflow run with the GIL released (a layout search or a plan touches
// no Python object: other threads run meanwhile).
template <typename Run>
py::dict WithoutGil(Run run) {
  workflow::Outcome o;
  {
    py::gil_scoped_release release;
    o = run();
  }
  return FromWorkflow(o);
}

py::dict Step(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  io::DeviceSelection devices;
  perf::StepOptions step;
  workflow::StepSearch search;
  io::ArchitectureSource source;
  k.Bind(devices).Bind(step).Bind(search).Bind(source);
  k.Finish();
  io::ResolvedArchitecture a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return WithoutGil(
        [&] { return workflow::Step(std::move(a), devices, step, search); });
  });
}

py::dict Serve(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  io::DeviceSelection devices;
  perf::ServeOptions serve;
  workflow::ServeSearch search;
  io::ArchitectureSource source;
  k.Bind(devices).Bind(serve, {"context"}).Bind(search).Bind(source);
  k.Finish();
  if (!search.search)
    k.RefuseGiven(workflow::kServeSearchOnly,
                  "applies to the search: add search=True");
  io::ResolvedArchitecture a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return WithoutGil(
        [&] { return workflow::Serve(std::move(a), devices, serve, search); });
  });
}

py::dict Plan(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  plan::PlanOptions options;
  io::DeviceSelection devices;
  plan::ServingCostOptions serving;
  io::ArchitectureSource source;
  k.Bind(options)
      .Bind(devices)
      .Bind(serving, plan::kNotServingCostOptions)
      .Bind(source, {"vocab"});
  const std::optional<py::object> law = k.Take("law");
  const std::optional<py::object> hparams_law = k.Take("hparams_law");
  k.Finish();
  if (!serving.serve_device)
    k.RefuseGiven(plan::kServingCostOnlyOptions, "applies with serve_device");
  return k.Run([&] {
    workflow::PlanLaws names;
    const laws::Law loss_law =
        law && py::isinstance<laws::Law>(*law)
            ? law->cast<laws::Law>()
            : io::LoadLaw(law ? Keywords::PathOrName(*law, "law") : names.law,
                          {"", 0, "law"});
    const laws::HyperparameterLaw hparams = io::LoadHyperparameterLaw(
        hparams_law ? Keywords::PathOrName(*hparams_law, "hparams_law")
                    : names.hparams_law,
        {"", 0, "hparams_law"});
    std::optional<io::ResolvedArchitecture> fixed;
    if (!arch.is_none()) {
      fixed = ResolveArgument(k, source, arch);
    } else {
      fixed = workflow::PlanArchitecture(source, options);
    }
    return WithoutGil([&] {
      return workflow::Plan(
          options, devices, std::move(fixed), loss_law, hparams, serving);
    });
  });
}

py::dict Synth(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  workflow::SynthLaw law;
  fit::SynthRequest request;
  k.Bind(law).Bind(request);
  const std::optional<py::object> out = k.Take("out");
  k.Finish();
  return k.Run([&] {
    const std::optional<std::string> path =
        out ? std::optional<std::string>(Keywords::PathOrName(*out, "out"))
            : std::nullopt;
    const workflow::Synthesis s = workflow::PlanSynthesis(law, request);
    if (path) io::CheckWritable(*path);
    fit::Dataset data;
    std::string csv;
    {
      py::gil_scoped_release release;
      data = fit::Synthesize(s.plan);
      fit::RequireUsableRuns(data);
      csv = io::DatasetToCsv(data);
      if (path) io::WriteFileAtomically(*path, csv);
    }
    py::dict d = FromReport(
        workflow::SynthReport(s,
                              static_cast<std::int64_t>(data.points.size()),
                              path ? *path : std::string("(in memory)")));
    d["exit_code"] = 0;
    d["dataset_csv"] = csv;
    return d;
  });
}

}  // namespace

void BindWorkflows(py::module_& m) {
  m.def("hardware", [](const py::kwargs& kwargs) {
    Keywords k(kwargs);
    io::CatalogOptions catalog;
    k.Bind(catalog);
    k.Finish();
    return k.Run([&] { return FromWorkflow(workflow::Hardware(catalog)); });
  });
  m.def("step", &Step, py::arg("arch") = py::none());
  m.def("serve", &Serve, py::arg("arch") = py::none());
  m.def("plan", &Plan, py::arg("arch") = py::none());
  m.def("synth", &Synth);
  m.def("compare", [](const std::string& name) {
    if (name != "chinchilla-gopher" && name != "chinchilla_gopher")
      FailKeyword("name",
                  "unknown comparison '" + Excerpt(name) +
                      "' (valid: chinchilla-gopher)");
    return FromWorkflow(workflow::CompareChinchillaGopher());
  });
}

}  // namespace scalesim::python
