// scalesim serve: prefill and decode speed, latency, the largest batch and
// the cost per million tokens of a serving layout, or with --search the
// cheapest layout that meets a latency target (perf/serve.hpp).
#include <ostream>
#include <string_view>

#include "scalesim/workflow/workflow.hpp"

#include "cli/cli.hpp"
#include "cli/command.hpp"

namespace scalesim::cli {

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
  workflow::ServeSearch search;
  OutputOptions output;
  cmd.Flags("Model", source)
      .Flags("Hardware", device_options)
      .Flags("Serving layout and load", serve, {"context"})
      .Flags("Search", search)
      .Output(output);
  if (!cmd.Parse(args, out)) return 0;
  if (!search.search)
    cmd.RefuseGiven(workflow::kServeSearchOnly,
                    "applies to the search: add --search");
  return cmd.Run([&] {
    const workflow::Outcome o = workflow::Serve(
        io::ResolveArchitecture(source), device_options, serve, search);
    Command::Emit(o.report, output, out);
    return o.exit_code;
  });
}

}  // namespace scalesim::cli
