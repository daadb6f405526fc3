// Laws and the questions asked of them: laws, load_law, loss, optimal,
// hparams (the workflows of scalesim/workflow/workflow.hpp the commands
// call).
#include <optional>
#include <string>
#include <string_view>
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
#include "scalesim/workflow/workflow.hpp"

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

py::dict Laws(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  bool given = false;
  const std::vector<laws::Law> selected = LawArgument(k, false, given, false);
  k.Finish();
  return FromWorkflow(workflow::Laws(selected, given));
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
  query.tokens = *flags.tokens;
  query.params = flags.params;
  std::optional<io::ResolvedArchitecture> a;
  if (has_arch) a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return FromWorkflow(workflow::Loss(selected, given, query, std::move(a)));
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
  if (!serving.serve_device)
    k.RefuseGiven(plan::kServingCostOnlyOptions, "applies with serve_device");
  return k.Run([&] {
    const workflow::Outcome o =
        workflow::Optimal(selected, given, options, device, serving);
    py::dict d = FromWorkflow(o);
    d["failed"] = o.exit_code != 0;
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
  std::optional<io::ResolvedArchitecture> a;
  if (source.Given() || !arch.is_none()) a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return FromWorkflow(
        workflow::Hparams(io::SelectHyperparameterLaws(selection),
                          selection.given(),
                          query,
                          std::move(a)));
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
