// Laws and the questions asked of them: laws, load_law, loss, optimal,
// hparams (the library calls of src/cli/{laws,loss,optimal,hparams}_
// command.cpp).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/laws/hyperparameter_report.hpp"
#include "scalesim/laws/law.hpp"
#include "scalesim/laws/law_form.hpp"
#include "scalesim/laws/loss_report.hpp"
#include "scalesim/model/hardware.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/plan/optimal_report.hpp"
#include "scalesim/plan/serving_cost.hpp"

#include "python/arch.hpp"
#include "python/bindings.hpp"
#include "python/laws.hpp"

namespace scalesim::python {

std::vector<laws::Law> LawArgument(Keywords& k,
                                   bool repeated,
                                   bool& given,
                                   bool loss_laws) {
  std::optional<py::object> v = k.Take("law");
  given = v.has_value();
  if (!v) {
    return loss_laws ? io::SelectLossLaws({}, repeated) : io::SelectLaws({});
  }
  std::vector<py::object> items;
  if (py::isinstance<py::str>(*v) || py::isinstance<laws::Law>(*v) ||
      py::hasattr(*v, "__fspath__")) {
    items.push_back(*v);
  } else {
    for (py::handle h : *v)
      items.push_back(py::reinterpret_borrow<py::object>(h));
  }
  std::vector<laws::Law> out;
  for (const py::object& item : items) {
    if (py::isinstance<laws::Law>(item)) {
      out.push_back(item.cast<laws::Law>());
      continue;
    }
    std::string text;
    if (py::isinstance<py::str>(item)) {
      text = item.cast<std::string>();
    } else if (py::hasattr(item, "__fspath__")) {
      text = py::str(py::module_::import("os").attr("fspath")(item));
    } else {
      FailKeyword("law", "must be a law name, a law file or a Law");
    }
    out.push_back(io::LoadLaw(text, InputLocation{"", 0, "law"}));
  }
  if (out.empty()) given = false;
  return out.empty() ? (loss_laws ? io::SelectLossLaws({}, repeated)
                                  : io::SelectLaws({}))
                     : out;
}

namespace {

constexpr double kTflops = 1e12;

py::dict Laws(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  bool given = false;
  const std::vector<laws::Law> selected = LawArgument(k, false, given, false);
  k.Finish();
  Report r;
  r.Table(
      io::LawsSchema(given ? "Loss laws" : "Built-in loss laws (data/laws/)"),
      selected);
  r.Notes(io::LawsNotes(selected));
  return r.Finish();
}

py::dict Loss(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  laws::LossInputs flags;
  laws::LossQuery query;
  k.Bind(flags).Bind(query);
  bool given = false;
  const std::vector<laws::Law> selected =
      LawArgument(k, query.repeated.given(), given, true);
  io::ArchitectureSource source;
  k.Bind(source);
  k.Finish();
  const bool has_arch = source.Given() || !arch.is_none();
  if (has_arch && flags.params)
    FailKeyword("params", "give either params or an architecture, not both");
  if (!has_arch && !flags.params) {
    FailKeyword("params",
                "missing: give params=N or an architecture (arch=, preset=, "
                "hf_config=, layers= ...)");
  }
  if (!flags.tokens) FailKeyword("tokens", "missing: give tokens=D");
  return k.Run([&] {
    Report r;
    query.tokens = *flags.tokens;
    query.params = flags.params;
    if (has_arch) {
      std::optional<PyArchitecture> keep;
      const model::Architecture& a =
          ArchitectureArgument(source, arch, keep, r.notes);
      query.counts = model::CountParameters(a);
      query.model_name = a.name;
    }
    const bool repeated = query.repeated.given();
    const laws::LossReport l = laws::EvaluateLosses(selected, query, given);
    r.Table(laws::LossSchema(query.tokens, repeated), l.rows);
    if (!l.single_variable.empty())
      r.Table(laws::SingleVariableSchema(), l.single_variable);
    r.Notes(l.notes);
    return r.Finish();
  });
}

py::dict Optimal(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  plan::OptimalOptions options;
  io::DeviceSelection device;
  plan::ServingCostOptions serving;
  k.Bind(options).Bind(device).Bind(serving, plan::kNotServingCostOptions);
  bool given = false;
  const std::vector<laws::Law> selected =
      LawArgument(k, options.repeated.given(), given, true);
  k.Finish();
  if (device.device && options.peak_tflops)
    FailKeyword("device", "give device or peak_tflops, not both");
  return k.Run([&] {
    if (const auto d = io::SelectedDevice(device)) {
      options.peak_tflops =
          d->PeakFlopsPerSecond(model::Dtype::kBf16) / kTflops;
      if (!options.usd_per_hour) options.usd_per_hour = d->price_per_hour_usd;
    }
    const plan::OptimalReport o =
        serving.serve_device ? plan::OptimalWithServingCost(
                                   selected,
                                   options,
                                   given,
                                   io::FindDevice(io::CatalogOf(device),
                                                  *serving.serve_device,
                                                  {"", 0, "serve_device"}),
                                   serving)
                             : plan::Optimal(selected, options, given);
    Report r;
    if (!o.lifetimes.empty() || !o.ratios.empty()) {
      r.Table(plan::LifetimeSchema(o.inference_tokens, o.priced), o.lifetimes);
      r.Table(plan::InferenceRatioSchema(o.priced), o.ratios);
    } else {
      r.Table(plan::OptimalAllocationSchema(o), o.allocations);
      if (!o.exponents.empty()) r.Table(plan::ExponentSchema(), o.exponents);
    }
    r.Notes(o.notes);
    py::dict d = r.Finish();
    d["failed"] = o.failed;
    return d;
  });
}

py::dict Hparams(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  laws::HyperparameterQuery query;
  io::HyperparameterLawSelection selection;
  io::ArchitectureSource source;
  k.Bind(query).Bind(selection).Bind(source);
  k.Finish();
  return k.Run([&] {
    Report r;
    if (source.Given() || !arch.is_none()) {
      std::optional<PyArchitecture> keep;
      query.architecture = ArchitectureArgument(source, arch, keep, r.notes);
    }
    const std::vector<laws::HyperparameterLaw> selected =
        io::SelectHyperparameterLaws(selection);
    const laws::HyperparameterReport h =
        laws::Hyperparameters(selected, query, selection.given());
    r.Record(laws::RunSchema(), h.run);
    if (!h.batches.empty()) r.Table(laws::BatchSchema(), h.batches);
    if (!h.critical_batches.empty()) {
      r.Table(laws::CriticalBatchSchema(), h.critical_batches);
      r.Table(laws::BatchTradeoffSchema(), h.tradeoffs);
    }
    if (!h.allocations.empty())
      r.Table(laws::FlopsPerTokenAllocationSchema(), h.allocations);
    r.Notes(h.notes);
    return r.Finish();
  });
}

py::dict LawDict(const laws::Law& l) {
  py::dict d;
  d["name"] = l.name();
  d["form"] = std::string(l.form_name());
  py::dict constants;
  for (const laws::Constant& c : l.form().constants())
    constants[py::str(c.name)] = c.value;
  d["constants"] = constants;
  d["param_count"] = std::string(laws::ToString(l.info().param_count));
  d["citation"] = l.info().citation;
  d["dataset"] = l.info().dataset;
  d["loss_units"] = l.info().loss_units;
  d["notes"] = l.info().notes;
  return d;
}

}  // namespace

void BindLaws(py::module_& m) {
  py::class_<laws::Law>(m, "Law")
      .def_property_readonly("name", &laws::Law::name)
      .def_property_readonly(
          "form", [](const laws::Law& l) { return std::string(l.form_name()); })
      .def_property_readonly(
          "constants",
          [](const laws::Law& l) {
            py::dict c;
            for (const laws::Constant& x : l.form().constants())
              c[py::str(x.name)] = x.value;
            return c;
          })
      .def_property_readonly(
          "citation", [](const laws::Law& l) { return l.info().citation; })
      .def_property_readonly(
          "dataset", [](const laws::Law& l) { return l.info().dataset; })
      .def("to_dict", &LawDict)
      .def("to_json", &io::LawToJson)
      .def("__repr__", [](const laws::Law& l) {
        return "Law('" + l.name() + "', form='" + std::string(l.form_name()) +
               "', " + laws::ConstantsText(l) + ")";
      });
  m.def("load_law", [](const py::object& name_or_path) {
    const std::string text =
        py::str(py::module_::import("os").attr("fspath")(name_or_path));
    return io::LoadLaw(text, InputLocation{"", 0, "law"});
  });
  m.def("law_from_json",
        [](const std::string& text, const std::string& source) {
          return io::LawFromJson(text, source);
        });
  m.def("laws", &Laws);
  m.def("loss", &Loss, py::arg("arch") = py::none());
  m.def("optimal", &Optimal);
  m.def("hparams", &Hparams, py::arg("arch") = py::none());
}

}  // namespace scalesim::python
