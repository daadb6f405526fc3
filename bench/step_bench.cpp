// The step-time model's cost: one prediction, and a layout search of more
// than 10,000 candidates (issue 15: under 100 ms). Figures in
// docs/performance.md.
#include <cstdint>

#include <benchmark/benchmark.h>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/search.hpp"
#include "scalesim/perf/step.hpp"

namespace {

using scalesim::perf::SearchLayouts;
using scalesim::perf::SearchOptions;
using scalesim::perf::StepOptions;

// Llama-2-70B on 1,024 H100 at 1,024 sequences of 4,096 tokens.
StepOptions Llama70bOptions() {
  StepOptions o;
  o.devices = 1024;
  o.global_batch = 1024;
  o.memory.seq_len = 4096;
  return o;
}

void BM_PredictStep(benchmark::State& state) {
  const auto arch = scalesim::io::LoadPreset("llama2-70b");
  const auto device =
      scalesim::io::FindDevice(scalesim::io::LoadCatalog(), "h100-sxm");
  StepOptions o = Llama70bOptions();
  o.memory.tensor_parallel = 8;
  o.memory.pipeline_parallel = 4;
  o.virtual_stages = 5;
  o.memory.sequence_parallel = true;
  o.memory.states.zero_stage = 1;
  const scalesim::perf::Layout l =
      scalesim::perf::ResolveLayout(arch, device, o);
  const scalesim::perf::StepModel model(arch, device, o);
  for (auto _ : state) benchmark::DoNotOptimize(model.Predict(l));
}
BENCHMARK(BM_PredictStep);

// Llama-2-70B at 128 sequences of 4,096 tokens on 64 (about 29,000
// candidates) or 1,024 H100 (about 66,000).
void BM_SearchLayouts(benchmark::State& state) {
  const auto arch = scalesim::io::LoadPreset("llama2-70b");
  const auto device =
      scalesim::io::FindDevice(scalesim::io::LoadCatalog(), "h100-sxm");
  StepOptions o = Llama70bOptions();
  o.devices = state.range(0);
  o.global_batch = state.range(0) == 64 ? 128 : 1024;
  std::int64_t candidates = 0;
  for (auto _ : state) {
    const auto r = SearchLayouts(arch, device, o, SearchOptions{});
    candidates = r.candidates;
    benchmark::DoNotOptimize(r);
  }
  state.counters["candidates"] = static_cast<double>(candidates);
  state.counters["candidates_per_second"] = benchmark::Counter(
      static_cast<double>(candidates) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SearchLayouts)->Arg(64)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
