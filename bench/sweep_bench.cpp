// Sweep throughput (issue 6 / 7 target: >= 1 million rows per second to
// CSV): each benchmark runs a whole `scalesim sweep ...` command in process,
// its CSV streamed into a stream that discards the bytes, so the figure
// covers computing, formatting and writing every row but not the disk.
// items_per_second = rows per second. Run with `make bench`.
#include <cstdint>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "cli/cli.hpp"

namespace {

namespace cli = scalesim::cli;

// Counts and discards what is written.
class CountingBuf final : public std::streambuf {
 public:
  std::int64_t bytes = 0;
  std::int64_t lines = 0;

 protected:
  int overflow(int c) override {
    ++bytes;
    lines += c == '\n' ? 1 : 0;
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    bytes += n;
    for (std::streamsize i = 0; i < n; ++i) lines += s[i] == '\n' ? 1 : 0;
    return n;
  }
};

void RunSweep(benchmark::State& state,
              const std::vector<std::string>& args,
              std::int64_t rows) {
  std::int64_t bytes = 0;
  for (auto _ : state) {
    CountingBuf buf;
    std::ostream out(&buf);
    std::ostringstream err;
    const int code = cli::RunCli(args, out, err);
    if (code != 0) {
      state.SkipWithError(err.str().c_str());
      return;
    }
    bytes = buf.bytes;
  }
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_SweepLossGrid(benchmark::State& state) {
  const std::string n = std::to_string(state.range(0));
  RunSweep(state,
           {"sweep",
            "loss-grid",
            "--law",
            "hoffmann2022_approach3",
            "--params-points",
            n,
            "--tokens-points",
            n},
           state.range(0) * state.range(0));
}
BENCHMARK(BM_SweepLossGrid)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_SweepBudget(benchmark::State& state) {
  RunSweep(state,
           {"sweep",
            "budget",
            "--law",
            "hoffmann2022_approach3",
            "--points",
            std::to_string(state.range(0))},
           state.range(0));
}
BENCHMARK(BM_SweepBudget)
    ->Arg(10000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

void BM_SweepBudgetKaplan(benchmark::State& state) {
  // Brent's method per row plus the published allocation: 2 rows per budget.
  RunSweep(state,
           {"sweep",
            "budget",
            "--law",
            "kaplan2020",
            "--points",
            std::to_string(state.range(0))},
           2 * state.range(0));
}
BENCHMARK(BM_SweepBudgetKaplan)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_SweepIsoflop(benchmark::State& state) {
  // 100 budgets x points model sizes (+ the optimum of each).
  std::vector<std::string> args = {"sweep",
                                   "isoflop",
                                   "--law",
                                   "hoffmann2022_approach3",
                                   "--points",
                                   std::to_string(state.range(0)),
                                   "--flops"};
  for (int i = 0; i < 100; ++i)
    args.push_back(std::to_string(1e18 * (1.0 + i)));
  RunSweep(state, args, 100 * (state.range(0) + 1));
}
BENCHMARK(BM_SweepIsoflop)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_SweepOvertraining(benchmark::State& state) {
  // Per row: the loss, the minimum compute for it (closed form) and, with
  // serving memory, plan::ProposeArchitecture (a search over ~500 widths).
  std::vector<std::string> args = {"sweep",
                                   "overtraining",
                                   "--flops",
                                   "1e23",
                                   "--law",
                                   "hoffmann2022_approach3",
                                   "--points",
                                   std::to_string(state.range(0))};
  if (state.range(1) == 0) args.push_back("--no-serving-memory");
  RunSweep(state, args, state.range(0) + 2);
}
BENCHMARK(BM_SweepOvertraining)
    ->Args({1000000, 0})
    ->Args({1000, 1})
    ->Unit(benchmark::kMillisecond);

void BM_SweepArch(benchmark::State& state) {
  // 100 depths x 1,000 widths: exact parameters, FLOPs, training and
  // inference memory per row.
  RunSweep(
      state,
      {"sweep", "arch", "--layers", "1:100", "--d-model", "128:128000:128"},
      100 * 1000);
}
BENCHMARK(BM_SweepArch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
