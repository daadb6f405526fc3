// scalesim serve: prefill and decode speed, latency, the largest batch and
// the cost per million tokens of a serving layout, or with --search the
// cheapest layout that meets a latency target (perf/serve.hpp).
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/serve.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

struct SearchSwitch {
  bool search = false;
  perf::ServeSearchOptions options;

  template <typename V>
  void VisitFields(V&& v) {
    v(search,
      {.name = "search",
       .help = "search the catalog's device kinds, device counts, tp, pp "
               "and batches for the cheapest layout that meets "
               "--target-tpot-ms / --target-ttft-ms",
       .is_switch = true});
    options.VisitFields(v);
  }
};

// The search's fields, an error without --search.
constexpr const char* kSearchOnly[] = {"target_tpot_ms",
                                       "target_ttft_ms",
                                       "load_tokens_per_second",
                                       "prices",
                                       "max_devices",
                                       "top"};

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

int RunServe(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  Command cmd(
      {"serve",
       "predict serving: time to first token, time per output token, "
       "throughput, MBU, the largest batch and the cost per million tokens; "
       "or search for the cheapest layout that meets a latency target",
       "scalesim serve (--preset NAME | --hf-config FILE | --arch FILE | "
       "...) --device NAME [--catalog FILE] [--tp T] [--pp P] [--ep E] "
       "[--batch B] [--prompt-tokens P] [--output-tokens O] [--weight-dtype "
       "D [--group-size G]] [--kv-dtype D] [--no-embeddings-16bit] "
       "[--usd-per-hour P] [--search [--target-tpot-ms T] [--target-ttft-ms "
       "T] [--load-tokens-per-second R] [--prices NAME=USD,...]] [--format "
       "table|csv|json|markdown] [--out FILE]",
       {"scalesim serve --preset llama3-70b --device h100-sxm --tp 2 --batch "
        "8 --prompt-tokens 32000 --output-tokens 512 --weight-dtype fp8 "
        "--kv-dtype fp8",
        "scalesim serve --preset llama2-7b --device a100-sxm4-80gb "
        "--weight-dtype int4 --group-size 128 --usd-per-hour 3.43",
        "scalesim serve --preset llama2-70b --search --target-tpot-ms 50 "
        "--load-tokens-per-second 20000 --prices "
        "h100-sxm=6.88,h200-sxm=7.91,a100-sxm4-80gb=3.43 --format csv"}});
  io::ArchitectureSource source;
  io::DeviceSelection device_options;
  perf::ServeOptions serve;
  SearchSwitch search;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Hardware", device_options)
      .Flags("Serving layout and load", serve, {"context"})
      .Flags("Search", search)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  if (!search.search) {
    for (const char* f : kSearchOnly)
      if (cmd.Given(f)) cmd.Fail(f, "applies to the search: add --search");
  }
  return cmd.Run([&] {
    io::ResolvedArchitecture a = io::ResolveArchitecture(source);
    std::vector<std::string> notes = std::move(a.notes);
    for (std::string& n : ContextNotes(a.arch, serve))
      notes.push_back(std::move(n));
    if (search.search) {
      std::vector<model::Device> devices = io::CatalogOf(device_options);
      if (const auto d = io::SelectedDevice(device_options)) devices = {*d};
      const perf::ServeSearchResult s =
          perf::SearchServing(a.arch, devices, serve, search.options);
      // The notes describe the device of the best layout.
      const model::Device& shown =
          s.best.empty() ? devices.front()
                         : io::FindDevice(devices, s.best[0].prediction.device);
      Command::Emit(
          SearchReport(s, shown, serve, std::move(notes)), output, out);
      return s.status == perf::ServeSearchStatus::kOk ? 0 : 1;
    }
    const model::Device device = io::ResolveDevice(device_options);
    const perf::ServeResult r = perf::PredictServing(a.arch, device, serve);
    Command::Emit(ServeReport(r, device, serve, std::move(notes)), output, out);
    return 0;
  });
}

}  // namespace scalesim::cli
