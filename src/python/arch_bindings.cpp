// Architectures and the model questions: params, flops, memory (the
// library calls of src/cli/{params,flops,memory}_command.cpp).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops_report.hpp"
#include "scalesim/model/memory_report.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/model/params_report.hpp"

#include "python/arch.hpp"
#include "python/bindings.hpp"

namespace scalesim::python {

PyArchitecture PyArchitecture::FromSource(const io::ArchitectureSource& s) {
  io::ResolvedArchitecture r = io::ResolveArchitecture(s);
  return PyArchitecture{std::move(r.arch), std::move(r.notes)};
}

const model::Architecture& ArchitectureArgument(
    const io::ArchitectureSource& given,
    const py::object& arch,
    std::optional<PyArchitecture>& keep,
    std::vector<std::string>& notes) {
  io::ArchitectureSource source = given;
  if (!arch.is_none()) {
    if (source.Given()) {
      FailKeyword("arch",
                  "give an Architecture or architecture keywords, not both");
    }
    if (py::isinstance<py::str>(arch)) {
      source.preset = arch.cast<std::string>();
    } else {
      const PyArchitecture& a = arch.cast<const PyArchitecture&>();
      notes.insert(notes.end(), a.notes.begin(), a.notes.end());
      return a.arch;
    }
  }
  keep = PyArchitecture::FromSource(source);
  notes.insert(notes.end(), keep->notes.begin(), keep->notes.end());
  return keep->arch;
}

namespace {

py::dict ArchDict(const model::Architecture& a) {
  py::dict d;
  d["name"] = a.name;
  d["vocab_size"] = a.vocab_size;
  d["d_model"] = a.d_model;
  d["n_layers"] = a.n_layers;
  d["n_heads"] = a.n_heads;
  d["n_kv_heads"] = a.n_kv_heads;
  d["head_dim"] = a.head_dim;
  d["d_ff"] = a.d_ff;
  d["context_length"] = a.context_length;
  d["max_positions"] = a.max_positions;
  d["mlp"] = std::string(model::ToString(a.mlp));
  d["norm"] = std::string(model::ToString(a.norm));
  d["position"] = std::string(model::ToString(a.position));
  d["tied_embeddings"] = a.tied_embeddings;
  d["num_experts"] = a.moe.num_experts;
  d["experts_per_token"] = a.moe.experts_per_token;
  d["shared_experts"] = a.moe.shared_experts;
  d["expert_d_ff"] = a.moe.expert_d_ff;
  d["first_dense_layers"] = a.moe.first_dense_layers;
  return d;
}

py::dict Params(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  io::ArchitectureSource source;
  k.Bind(source);
  k.Finish();
  std::optional<PyArchitecture> keep;
  Report r;
  const model::Architecture& a = k.Run([&]() -> const model::Architecture& {
    return ArchitectureArgument(source, arch, keep, r.notes);
  });
  const model::ParamBreakdown p = model::CountParameters(a);
  const model::ParamSummary summary = model::SummarizeParams(a, p);
  r.Table(model::ComponentSchema(p, a.name), model::ComponentRows(p));
  r.Record(model::SummarySchema(summary), summary);
  r.Notes(model::ParamsNotes(summary));
  return r.Finish();
}

py::dict Flops(const py::object& arch, const py::kwargs& kwargs) {
  Keywords k(kwargs);
  model::FlopsRunOptions run;
  io::DeviceSelection selection;
  model::DeviceRunOptions on_device;
  k.Bind(run).Bind(selection).Bind(on_device);
  io::ArchitectureSource source;
  k.Bind(source);
  k.Finish();
  std::optional<PyArchitecture> keep;
  Report r;
  const model::Architecture& a = k.Run([&]() -> const model::Architecture& {
    return ArchitectureArgument(source, arch, keep, r.notes);
  });
  for (const char* needs :
       {"devices", "usd_per_hour", "days", "tokens_per_second"}) {
    if (k.Given(needs) && !selection.device) {
      FailKeyword("device",
                  "missing: " + std::string(needs) + " needs a device");
    }
  }
  return k.Run([&] {
    const std::optional<model::Device> device = io::SelectedDevice(selection);
    const model::FlopsReport f = model::ReportFlops(a, run, device, on_device);
    r.Table(model::ConventionSchema(
                a.name, f.run.seq_len, f.run.tokens.has_value()),
            f.conventions);
    r.Table(model::OperationSchema(), f.operations);
    r.Record(model::InferenceFlopsSchema(f.inference.context), f.inference);
    if (f.device) {
      r.Record(model::DeviceRecordSchema(), *f.device);
      if (!f.times.empty())
        r.Table(model::TimeSchema("Training time"), f.times);
      if (!f.budgets.empty())
        r.Table(model::BudgetSchema("FLOP budget"), f.budgets);
      if (!f.utilizations.empty())
        r.Table(model::UtilizationSchema("Utilization"), f.utilizations);
    }
    r.Notes(f.notes);
    return r.Finish();
  });
}

py::dict Memory(const py::object& arch,
                bool inference,
                bool which_devices,
                const py::kwargs& kwargs) {
  Keywords k(kwargs);
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  io::DeviceSelection devices;
  // One mode's options: a keyword of the other is unexpected, never
  // silently ignored (as the CLI refuses the other mode's flags).
  if (inference) {
    k.Bind(serving);
  } else {
    k.Bind(training);
  }
  k.Bind(devices);
  io::ArchitectureSource source;
  k.Bind(source);
  k.Finish();
  std::optional<PyArchitecture> keep;
  Report r;
  const model::Architecture& a = k.Run([&]() -> const model::Architecture& {
    return ArchitectureArgument(source, arch, keep, r.notes);
  });
  return k.Run([&] {
    std::vector<model::Device> asked;
    if (which_devices) {
      asked = io::CatalogOf(devices);
    } else if (auto d = io::SelectedDevice(devices)) {
      asked = {*d};
    }
    const std::string fit_name = which_devices ? "devices" : "fit";
    if (inference) {
      const model::InferenceMemoryReport m =
          model::ReportInferenceMemory(a, serving, asked);
      r.Table(model::MemorySchema("Inference memory per device"), m.rows);
      r.Record(model::InferenceSetupSchema(m.setup), m.setup);
      if (!m.fits.empty()) {
        r.Table(model::DeviceFitSchema(fit_name, "Devices", "largest_batch"),
                m.fits);
      }
      r.Notes(m.notes);
    } else {
      const model::TrainingMemoryReport m =
          model::ReportTrainingMemory(a, training, asked);
      r.Table(model::MemorySchema("Training memory per device"), m.rows);
      r.Record(model::TrainingSetupSchema(m.setup), m.setup);
      if (!m.fits.empty()) {
        r.Table(
            model::DeviceFitSchema(fit_name, "Devices", "largest_micro_batch"),
            m.fits);
      }
      r.Notes(m.notes);
    }
    return r.Finish();
  });
}

}  // namespace

void BindArchitecture(py::module_& m) {
  py::class_<PyArchitecture>(m, "_Architecture")
      .def_static(
          "from_keywords",
          [](const py::kwargs& kwargs) {
            Keywords k(kwargs);
            io::ArchitectureSource source;
            k.Bind(source);
            k.Finish();
            return k.Run([&] { return PyArchitecture::FromSource(source); });
          })
      .def_static("from_hf_text",
                  [](const std::string& text, const std::string& source) {
                    model::Architecture a =
                        io::ArchitectureFromHfConfig(text, source);
                    std::string note = "Hugging Face config " + source +
                                       " (model_type " + a.name + ")";
                    return PyArchitecture{std::move(a), {std::move(note)}};
                  })
      .def_property_readonly(
          "name", [](const PyArchitecture& a) { return a.arch.name; })
      .def_readonly("notes", &PyArchitecture::notes)
      // The exact total alone (no tables): the cheap call for loops.
      .def("total_params",
           [](const PyArchitecture& a) {
             return model::SummarizeParams(a.arch,
                                           model::CountParameters(a.arch))
                 .total_params;
           })
      .def("to_dict", [](const PyArchitecture& a) { return ArchDict(a.arch); });
  m.def("presets", [] {
    py::list out;
    for (const io::PresetInfo& p : io::ListPresets()) {
      py::dict d;
      d["name"] = p.name;
      d["family"] = p.family;
      d["description"] = p.description;
      d["source"] = p.source;
      out.append(d);
    }
    return out;
  });
  m.def("hf_model_types", &io::SupportedHfModelTypes);
  m.def("params", &Params, py::arg("arch") = py::none());
  m.def("flops", &Flops, py::arg("arch") = py::none());
  m.def("memory",
        &Memory,
        py::arg("arch") = py::none(),
        py::arg("inference") = false,
        py::arg("which_devices") = false);
}

}  // namespace scalesim::python
