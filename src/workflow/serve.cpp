// scalesim serve's workflow (workflow/workflow.hpp): one serving layout,
// or the cheapest layouts that meet a latency target.
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/workflow/workflow.hpp"

namespace scalesim::workflow {
namespace {

std::vector<std::string> ContextNotes(const model::Architecture& a,
                                      const perf::ServeOptions& o) {
  const std::int64_t context = o.prompt_tokens + o.output_tokens;
  std::vector<std::string> notes = {
      "context " + std::to_string(context) + " tokens per sequence (" +
      std::to_string(o.prompt_tokens) + " prompt + " +
      std::to_string(o.output_tokens) +
      " output; --prompt-tokens, --output-tokens)"};
  if (a.context_length > 0 && context > a.context_length)
    notes.push_back("the context exceeds the model's " +
                    std::to_string(a.context_length) +
                    "-token maximum (predicted as if it could)");
  return notes;
}

io::Report ServeReport(const perf::ServeResult& r,
                       const model::Device& device,
                       const perf::ServeOptions& o,
                       std::vector<std::string> notes) {
  io::Report out;
  io::Table t = io::ToTable(perf::ServeSchema(), r.rows);
  t.record = true;  // one column per scenario on the screen
  out.tables.push_back(std::move(t));
  out.notes = std::move(notes);
  if (r.rows.size() == 1 && r.rows[0].largest_batch == 0)
    out.notes.push_back(
        "not even one sequence fits: more devices (--tp, "
        "--pp) or narrower weights (--weight-dtype)");
  for (std::string& n : perf::ServeNotes(device, o))
    out.notes.push_back(std::move(n));
  return out;
}

io::Report SearchReport(const perf::ServeSearchResult& s,
                        const model::Device& shown,
                        const perf::ServeOptions& o,
                        std::vector<std::string> notes) {
  io::Report out;
  out.tables.push_back(io::ToTable(perf::ServeSearchSchema(), s.best));
  out.notes = std::move(notes);
  std::string kinds;
  for (const std::string& d : s.devices)
    kinds += (kinds.empty() ? "" : ", ") + d;
  out.notes.push_back(
      "searched " + std::to_string(s.candidates) + " layouts on " + kinds +
      " (tp, pp, batch; the layout flags --tp, --pp and --batch are "
      "searched, not taken); " +
      std::to_string(s.fitting) + " fit, " + std::to_string(s.meeting) +
      " meet the target; ranked by deployment_usd_per_hour with "
      "--load-tokens-per-second, else by usd_per_million_tokens");
  if (!s.skipped.empty()) {
    std::string skipped;
    for (const std::string& d : s.skipped)
      skipped += (skipped.empty() ? "" : ", ") + d;
    out.notes.push_back("skipped: " + skipped +
                        " (--prices NAME=USD,... adds a kind)");
  }
  if (!s.message.empty())
    out.notes.push_back(
        "status " +
        std::string(EnumName(s.status, perf::kServeSearchStatusNames)) + ": " +
        s.message);
  for (std::string& n : perf::ServeNotes(shown, o))
    out.notes.push_back(std::move(n));
  return out;
}

}  // namespace

Outcome Serve(io::ResolvedArchitecture a,
              const io::DeviceSelection& devices,
              const perf::ServeOptions& serve,
              const ServeSearch& search) {
  std::vector<std::string> notes = std::move(a.notes);
  for (std::string& n : ContextNotes(a.arch, serve))
    notes.push_back(std::move(n));
  if (search.search) {
    std::vector<model::Device> kinds = io::CatalogOf(devices);
    if (const auto d = io::SelectedDevice(devices)) kinds = {*d};
    const perf::ServeSearchResult s =
        perf::SearchServing(a.arch, kinds, serve, search.options);
    // The notes describe the device of the best layout.
    const model::Device& shown =
        s.best.empty() ? kinds.front()
                       : io::FindDevice(kinds, s.best[0].prediction.device);
    return {SearchReport(s, shown, serve, std::move(notes)),
            s.status == perf::ServeSearchStatus::kOk ? 0 : 1};
  }
  const model::Device device = io::ResolveDevice(devices);
  const perf::ServeResult r = perf::PredictServing(a.arch, device, serve);
  return {ServeReport(r, device, serve, std::move(notes)), 0};
}

}  // namespace scalesim::workflow
