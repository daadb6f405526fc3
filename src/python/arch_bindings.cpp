// Architectures and the model questions: params, flops, memory (the
// workflows of scalesim/workflow/workflow.hpp the commands call).
#include <optional>
#include <string>
#include <string_view>
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
#include "scalesim/workflow/workflow.hpp"

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

io::ResolvedArchitecture ResolveArgument(Keywords& k,
                                         const io::ArchitectureSource& source,
                                         const py::object& arch) {
  return k.Run([&] {
    std::optional<PyArchitecture> keep;
    std::vector<std::string> notes;
    const model::Architecture& a =
        ArchitectureArgument(source, arch, keep, notes);
    return io::ResolvedArchitecture{a, std::move(notes), std::nullopt};
  });
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
  // A checkpoint folder keeps its comparison (the CLI's checkpoint table).
  if (arch.is_none() && source.checkpoint) {
    return k.Run([&] {
      return FromWorkflow(workflow::Params(io::ResolveArchitecture(source)));
    });
  }
  const io::ResolvedArchitecture a = ResolveArgument(k, source, arch);
  return k.Run([&] { return FromWorkflow(workflow::Params(a)); });
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
  for (const char* needs :
       {"devices", "usd_per_hour", "days", "tokens_per_second"}) {
    if (k.Given(needs) && !selection.device) {
      FailKeyword("device",
                  "missing: " + std::string(needs) + " needs a device");
    }
  }
  const io::ResolvedArchitecture a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return FromWorkflow(workflow::Flops(a, run, selection, on_device));
  });
}

py::dict Memory(const py::object& arch,
                bool inference,
                bool which_devices,
                const py::kwargs& kwargs) {
  Keywords k(kwargs);
  const workflow::MemoryMode mode{inference, which_devices};
  model::TrainingMemoryOptions training;
  model::InferenceMemoryOptions serving;
  io::DeviceSelection devices;
  // The CLI's binding: training's fields (tp among them) and serving's
  // but tp; a keyword of the other mode is an error, never ignored.
  k.Bind(training).Bind(serving, {"tp"}).Bind(devices);
  io::ArchitectureSource source;
  k.Bind(source);
  k.Finish();
  if (inference) {
    k.RefuseGiven(workflow::kTrainingMemoryOnly,
                  "applies to training memory, not with inference=True");
  } else {
    k.RefuseGiven(workflow::kServingMemoryOnly,
                  "applies to inference memory: add inference=True");
  }
  const io::ResolvedArchitecture a = ResolveArgument(k, source, arch);
  return k.Run([&] {
    return FromWorkflow(workflow::Memory(a, mode, training, serving, devices));
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
