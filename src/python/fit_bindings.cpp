// fit: the library call of src/cli/fit_command.cpp (fit::RunFit over the
// runs of a CSV file, or of a DataFrame's CSV text read the same way), with
// the GIL released while it runs.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/fit/dataset.hpp"
#include "scalesim/fit/fit_report.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/workflow/workflow.hpp"

#include "python/bindings.hpp"

namespace scalesim::python {
namespace {

py::dict Fit(const py::kwargs& kwargs) {
  Keywords k(kwargs);
  fit::FitRequest request;
  io::DatasetSource source;
  k.Bind(request).Bind(source);
  const std::optional<py::object> text = k.Take("csv_text");
  const std::optional<py::object> name = k.Take("data_name");
  k.Finish();
  return k.Run([&] {
    const fit::FitForm& form = fit::FindFitForm(request.form);
    if (!source.data && !text) FailKeyword("data", "missing: give data=");
    const std::string data_name =
        name ? name->cast<std::string>()
             : (source.data ? *source.data : std::string("DataFrame"));
    const std::string csv = text ? text->cast<std::string>() : std::string();
    fit::Dataset data;
    fit::FitReport f;
    {
      // Reading and fitting touch no Python object: other threads run.
      py::gil_scoped_release release;
      data = text ? io::ParseDatasetCsv(
                        csv,
                        data_name,
                        io::ReadOptionsOf(source, form.needs_unique_tokens))
                  : io::ReadDataset(source, form.needs_unique_tokens);
      f = fit::RunFit(data, request, data_name);
    }
    py::dict d = FromWorkflow(workflow::Fit(f));
    // The refits as a table too (the CLI writes them with
    // --bootstrap-samples FILE).
    if (f.summary.bootstrap) {
      const fit::BootstrapSummary& b = *f.summary.bootstrap;
      d["tables"].cast<py::list>().append(ToColumns(
          fit::BootstrapSampleSchema(b), fit::BootstrapSampleRows(b)));
    }
    d["status"] = std::string(fit::ToString(f.status()));
    d["settled"] = f.settled();
    d["law"] = f.law ? py::cast(*f.law) : py::none();
    d["no_law_reason"] = f.no_law_reason;
    d["residuals_csv"] =
        form.predicts_loss && f.status() != fit::FitStatus::kFailed
            ? py::object(py::str(io::ResidualsToCsv(data, f.predicted)))
            : py::object(py::none());
    return d;
  });
}

}  // namespace

void BindFit(py::module_& m) {
  m.def("fit", &Fit);
  m.def("fit_forms", [] {
    std::vector<std::string> out;
    for (const fit::FitForm& f : fit::FitForms()) out.emplace_back(f.name);
    return out;
  });
}

}  // namespace scalesim::python
