// The serving model's cost: one prediction (prefill and 16 decode contexts),
// the largest batch that fits, and the cheapest-layout search of `scalesim
// serve --search` over four priced device kinds. Figures in
// docs/performance.md.
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/perf/serve.hpp"

namespace {

using scalesim::perf::ServeOptions;
using scalesim::perf::ServeSearchOptions;

// Llama-2-70B chat traffic: 512 tokens in, 128 out.
ServeOptions Chat() {
  ServeOptions o;
  o.prompt_tokens = 512;
  o.output_tokens = 128;
  o.memory.tensor_parallel = 4;
  o.memory.batch = 64;
  return o;
}

void BM_PredictServing(benchmark::State& state) {
  const auto arch = scalesim::io::LoadPreset("llama2-70b");
  const auto device =
      scalesim::io::FindDevice(scalesim::io::LoadCatalog(), "h100-sxm");
  const ServeOptions o = Chat();
  const scalesim::perf::ServeModel model(arch, device, o);
  const scalesim::perf::ServeLayout l =
      scalesim::perf::ResolveServeLayout(arch, device, o);
  for (auto _ : state) benchmark::DoNotOptimize(model.Predict(l));
}
BENCHMARK(BM_PredictServing)->Unit(benchmark::kMicrosecond);

// The model prepared once per device kind (FLOPs, KV per tp), as the
// search does.
void BM_ServeModel(benchmark::State& state) {
  const auto arch = scalesim::io::LoadPreset("llama2-70b");
  const auto device =
      scalesim::io::FindDevice(scalesim::io::LoadCatalog(), "h100-sxm");
  const ServeOptions o = Chat();
  for (auto _ : state)
    benchmark::DoNotOptimize(scalesim::perf::ServeModel(arch, device, o));
}
BENCHMARK(BM_ServeModel)->Unit(benchmark::kMicrosecond);

// The search of the CLI example: four priced kinds (AWS on-demand), a 50 ms
// TPOT target, a load of 20,000 output tokens/s.
void BM_SearchServing(benchmark::State& state) {
  const auto arch = scalesim::io::LoadPreset("llama2-70b");
  const auto catalog = scalesim::io::LoadCatalog();
  ServeSearchOptions s;
  s.target_tpot_ms = 50.0;
  s.load_tokens_per_second = 20000.0;
  s.prices = {
      "h100-sxm=6.88,h200-sxm=7.91,a100-sxm4-80gb=3.43,"
      "a100-sxm4-40gb=2.74"};
  std::int64_t candidates = 0;
  for (auto _ : state) {
    const auto r = scalesim::perf::SearchServing(arch, catalog, Chat(), s);
    candidates = r.candidates;
    benchmark::DoNotOptimize(r);
  }
  state.counters["candidates"] = static_cast<double>(candidates);
  state.counters["candidates_per_second"] = benchmark::Counter(
      static_cast<double>(candidates) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SearchServing)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
