// scalesim step's workflow (workflow/workflow.hpp): one optimizer step, or
// the fastest layouts that fit.
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

io::Report StepReport(const perf::StepPrediction& p,
                      const model::Device& device,
                      const perf::StepOptions& o,
                      std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToRecord(perf::StepSchema(), p));
  r.tables.push_back(io::ToTable(perf::StageSchema(), perf::StageRows(p)));
  r.notes = std::move(notes);
  for (std::string& n : perf::StepNotes(device, o))
    r.notes.push_back(std::move(n));
  r.notes.push_back(p.memory.activation_formula);
  return r;
}

io::Report SearchReport(const perf::SearchResult& s,
                        const model::Device& device,
                        const perf::StepOptions& o,
                        std::vector<std::string> notes) {
  io::Report r;
  r.tables.push_back(io::ToTable(perf::SearchSchema(), s.best));
  r.notes = std::move(notes);
  r.notes.push_back(
      "searched " + std::to_string(s.candidates) + " layouts of " +
      std::to_string(o.devices) + " devices; " + std::to_string(s.fitting) +
      " fit in the usable memory; ranked by predicted time per token "
      "(the layout flags --tp, --pp, --vp, --cp, --ep, --zero, "
      "--sequence-parallel, --micro-batch and --recompute are "
      "searched, not taken)");
  if (!s.message.empty())
    r.notes.push_back(
        "status " + std::string(EnumName(s.status, perf::kSearchStatusNames)) +
        ": " + s.message);
  for (std::string& n : perf::StepNotes(device, o))
    r.notes.push_back(std::move(n));
  return r;
}

}  // namespace

Outcome Step(io::ResolvedArchitecture a,
             const io::DeviceSelection& devices,
             const perf::StepOptions& step,
             const StepSearch& search) {
  const model::Device device = io::ResolveDevice(devices);
  if (search.search) {
    const perf::SearchResult s =
        perf::SearchLayouts(a.arch, device, step, search.options);
    return {SearchReport(s, device, step, std::move(a.notes)),
            s.status == perf::SearchStatus::kOk ? 0 : 1};
  }
  const perf::StepPrediction p = perf::PredictStep(a.arch, device, step);
  return {StepReport(p, device, step, std::move(a.notes)), 0};
}

}  // namespace scalesim::workflow
