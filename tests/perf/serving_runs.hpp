// Published serving measurements (/work/notes/serving.md: the research
// notes behind docs/validation-serving.md), each with the conditions its
// source states: model, device, tensor parallel degree, batch, prompt and
// output lengths, weight and KV formats, and the figure as published. The
// conversion of each figure (tokens/s to a time per token, ...) is the
// one its source implies; docs/validation-serving.md shows every row.
#ifndef SCALESIM_TESTS_PERF_SERVING_RUNS_HPP_
#define SCALESIM_TESTS_PERF_SERVING_RUNS_HPP_

#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/perf/serve.hpp"

namespace scalesim::perf::testing {

// What a row publishes.
enum class Metric {
  kTpot,        // seconds per output token (ITL, p50 token latency, 1 / tok/s)
  kTtft,        // seconds to the first token (batch-1 first-token latency)
  kE2e,         // seconds for the whole batch (prefill + decode)
  kThroughput,  // output tokens/s per device over the whole batch
  kMbu,         // model-bandwidth utilisation, a fraction
};

inline const char* MetricName(Metric m) {
  switch (m) {
    case Metric::kTpot:
      return "tpot";
    case Metric::kTtft:
      return "ttft";
    case Metric::kE2e:
      return "e2e";
    case Metric::kThroughput:
      return "tok/s/device";
    case Metric::kMbu:
      return "mbu";
  }
  return "";
}

struct ServingRun {
  std::string id;
  std::string family;  // the framework and source: the unit of the summary
  std::string preset;
  std::string device;  // catalog name
  ServeOptions options;
  Metric metric = Metric::kTpot;
  double published = 0.0;  // seconds, tokens/s per device or a fraction
  std::string figure;      // as published, and its conversion
};

struct Conditions {
  std::int64_t tp = 1;
  std::int64_t batch = 1;
  std::int64_t prompt = 1;
  std::int64_t output = 1;
  model::WeightDtype weights = model::WeightDtype::kBf16;
  model::WeightDtype kv = model::WeightDtype::kBf16;
  std::int64_t group_size = 0;
  std::int64_t scale_bits = 16;
  bool head_16bit = true;  // the LM head left unquantized
};

inline ServeOptions OptionsOf(const Conditions& c) {
  ServeOptions o;
  o.memory.tensor_parallel = c.tp;
  o.memory.batch = c.batch;
  o.memory.weights.dtype = c.weights;
  o.memory.weights.group_size = c.group_size;
  o.memory.weights.scale_bits = c.scale_bits;
  o.memory.weights.embeddings_16bit = c.head_16bit;
  o.memory.kv_dtype = c.kv;
  o.prompt_tokens = c.prompt;
  o.output_tokens = c.output;
  return o;
}

inline std::vector<ServingRun> ServingRuns() {
  using model::WeightDtype;
  constexpr WeightDtype kFp8 = WeightDtype::kFp8;
  constexpr WeightDtype kInt8 = WeightDtype::kInt8;
  constexpr WeightDtype kInt4 = WeightDtype::kInt4;
  std::vector<ServingRun> runs;
  auto add = [&](std::string id,
                 std::string family,
                 std::string preset,
                 std::string device,
                 const Conditions& c,
                 Metric metric,
                 double published,
                 std::string figure) {
    runs.push_back({std::move(id),
                    std::move(family),
                    std::move(preset),
                    std::move(device),
                    OptionsOf(c),
                    metric,
                    published,
                    std::move(figure)});
  };
  const std::string a100 = "a100-sxm4-80gb";
  const std::string a100_40 = "a100-sxm4-40gb";
  const std::string h100 = "h100-sxm";
  const std::string h200 = "h200-sxm";

  // gpt-fast README @0f925b5 (pytorch-labs/gpt-fast), "Benchmarks": batch
  // 1, a 5-token prompt, 200 new tokens (generate.py's default), A100-80GB
  // power-limited to 330 W; int8 and int4 quantize every linear layer (the
  // output head too). tokens/s -> 1 / tokens/s per token.
  const std::string gf = "gpt-fast";
  auto gpt_fast = [&](std::string id,
                      std::string preset,
                      std::int64_t tp,
                      WeightDtype w,
                      double tokens_per_second) {
    Conditions c{tp, 1, 5, 200, w};
    if (w == kInt4) {
      c.group_size = 32;
      c.scale_bits = 32;  // a bf16 scale and a bf16 zero per group
    }
    c.head_16bit = w == WeightDtype::kBf16;
    add(std::move(id),
        gf,
        std::move(preset),
        a100,
        c,
        Metric::kTpot,
        1.0 / tokens_per_second,
        std::to_string(tokens_per_second).substr(0, 6) + " tok/s");
  };
  gpt_fast("D1", "llama2-7b", 1, WeightDtype::kBf16, 104.9);
  gpt_fast("D2", "llama2-7b", 1, kInt8, 155.58);
  gpt_fast("D3", "llama2-7b", 1, kInt4, 196.80);
  gpt_fast("D4", "llama2-7b", 2, WeightDtype::kBf16, 168.84);
  gpt_fast("D5", "llama2-7b", 4, WeightDtype::kBf16, 254.02);
  gpt_fast("D6", "llama2-7b", 8, WeightDtype::kBf16, 328.43);
  gpt_fast("D7", "llama2-70b", 2, WeightDtype::kBf16, 21.32);
  gpt_fast("D8", "llama2-70b", 4, WeightDtype::kBf16, 38.01);
  gpt_fast("D9", "llama2-70b", 8, WeightDtype::kBf16, 62.50);
  gpt_fast("D10a", "llama2-70b", 1, kInt8, 19.13);
  gpt_fast("D10b", "llama2-70b", 8, kInt8, 80.44);

  // LMDeploy (TurboMind) docs/en/benchmark/a100_fp16.md @3e391df, static
  // inference, A100-80G, FP16: output tokens/s of the batch -> the batch's
  // e2e = batch x output / tok/s; FTL -> TTFT.
  const std::string lm = "LMDeploy";
  add("D11",
      lm,
      "llama2-7b",
      a100,
      {1, 1, 1, 128},
      Metric::kE2e,
      128.0 / 100.02,
      "100.02 tok/s, 1 in / 128 out");
  add("D12",
      lm,
      "llama2-7b",
      a100,
      {1, 1, 2048, 2048},
      Metric::kE2e,
      2048.0 / 93.78,
      "93.78 tok/s, 2048 / 2048");
  add("D13",
      lm,
      "llama2-70b",
      a100,
      {4, 1, 1, 128},
      Metric::kE2e,
      128.0 / 33.94,
      "33.94 tok/s, 1 / 128");
  add("D14",
      lm,
      "llama2-70b",
      a100,
      {4, 1, 2048, 2048},
      Metric::kE2e,
      2048.0 / 31.9,
      "31.9 tok/s, 2048 / 2048");
  add("T10a",
      lm,
      "llama2-7b",
      a100,
      {1, 1, 2048, 2048},
      Metric::kTtft,
      0.140,
      "FTL 0.140 s");
  add("T10b",
      lm,
      "llama2-70b",
      a100,
      {4, 1, 2048, 2048},
      Metric::kTtft,
      0.405,
      "FTL 0.405 s");

  // NVIDIA NIM 1.8.0 (TensorRT-LLM), Llama-3.3-70B-Instruct on 2 x H100,
  // FP8 (weights and KV), TP 2, concurrency 1: ITL and TTFT.
  const std::string nim = "NIM";
  const Conditions nim_a{2, 1, 500, 2000, kFp8, kFp8};
  const Conditions nim_b{2, 1, 5000, 500, kFp8, kFp8};
  add("D15",
      nim,
      "llama3-70b",
      h100,
      nim_a,
      Metric::kTpot,
      18.91e-3,
      "ITL 18.91 ms, 500 / 2000");
  add("D15t",
      nim,
      "llama3-70b",
      h100,
      nim_a,
      Metric::kTtft,
      47.77e-3,
      "TTFT 47.77 ms, 500 in");
  add("D16",
      nim,
      "llama3-70b",
      h100,
      nim_b,
      Metric::kTpot,
      18.58e-3,
      "ITL 18.58 ms, 5000 / 500");
  add("D16t",
      nim,
      "llama3-70b",
      h100,
      nim_b,
      Metric::kTtft,
      406.77e-3,
      "TTFT 406.77 ms, 5000 in");

  // vLLM nightly latency tests (buildkite build 9515;
  // .buildkite/nightly-benchmarks/tests/latency-tests.json @d5ce924):
  // batch 8, 32 in / 128 out, bf16, mean end-to-end latency.
  const std::string vllm = "vLLM";
  add("D17",
      vllm,
      "llama3-8b",
      h200,
      {1, 8, 32, 128},
      Metric::kE2e,
      833.42e-3,
      "e2e 833.42 ms");
  add("D18",
      vllm,
      "llama3-70b",
      h200,
      {4, 8, 32, 128},
      Metric::kE2e,
      2077.53e-3,
      "e2e 2,077.53 ms");
  // vLLM PR 2192 (custom all-reduce): Llama 70B, A100-80G, TP 4, batch
  // 64, 256 in / 256 out, fp16: 14.57 s after the change.
  add("B13",
      vllm,
      "llama2-70b",
      a100,
      {4, 64, 256, 256},
      Metric::kE2e,
      14.57,
      "e2e 14.57 s");

  // Databricks, "LLM Inference Performance Engineering: Best Practices"
  // (2023), TensorRT-LLM, Llama2-70B fp16, batch 1, 512-token inputs: MBU
  // 60% on 2 x H100-80GB and 55% on 4 x A100-40GB (the model is inferred
  // in the notes); Table 1 TTFT on A100-40GB at TP 4 and 8.
  const std::string db = "Databricks";
  add("D20",
      db,
      "llama2-70b",
      h100,
      {2, 1, 512, 64},
      Metric::kMbu,
      0.60,
      "MBU 60%");
  add("D21",
      db,
      "llama2-70b",
      a100_40,
      {4, 1, 512, 64},
      Metric::kMbu,
      0.55,
      "MBU 55%");
  add("T9a",
      db,
      "llama2-70b",
      a100_40,
      {4, 1, 512, 1},
      Metric::kTtft,
      154e-3,
      "TTFT 154 ms");
  add("T9b",
      db,
      "llama2-70b",
      a100_40,
      {8, 1, 512, 1},
      Metric::kTtft,
      114e-3,
      "TTFT 114 ms");

  // TensorRT-LLM v0.9 perf-overview ("1st Token Latency", batch 1, output
  // 1; FP8 weights, activations and KV on H100/H200, FP16 on A100) and,
  // where v0.9 gives none, v0.5 (docs/source/performance.md @138f96d).
  const std::string trt = "TensorRT-LLM";
  auto ttft = [&](std::string id,
                  std::string preset,
                  std::string device,
                  std::int64_t tp,
                  std::int64_t prompt,
                  double ms,
                  std::string version) {
    const bool fp8 = device != a100;
    Conditions c{tp, 1, prompt, 1};
    if (fp8) c.weights = c.kv = kFp8;
    add(std::move(id),
        trt,
        std::move(preset),
        std::move(device),
        c,
        Metric::kTtft,
        ms * 1e-3,
        std::to_string(ms).substr(0, 5) + " ms (" + version + ")");
  };
  ttft("T1", "llama2-7b", h100, 1, 128, 6.3, "v0.9");
  ttft("T2", "llama2-7b", h100, 1, 2048, 30.8, "v0.9");
  ttft("T3a", "llama2-7b", h200, 1, 128, 5.7, "v0.9");
  ttft("T3b", "llama2-7b", h200, 1, 2048, 30.2, "v0.9");
  ttft("T4a", "llama2-7b", a100, 1, 128, 16.2, "v0.9");
  ttft("T4b", "llama2-7b", a100, 1, 2048, 132.4, "v0.9");
  ttft("T5a", "llama2-70b", h100, 4, 128, 19.6, "v0.9");
  ttft("T5b", "llama2-70b", h100, 4, 2048, 109, "v0.5");
  ttft("T6", "llama2-70b", h100, 8, 2048, 85.1, "v0.9");
  ttft("T7a", "llama2-70b", h200, 4, 128, 17.8, "v0.9");
  ttft("T7b", "llama2-70b", h200, 4, 2048, 103.0, "v0.9");
  ttft("T8a", "llama2-70b", a100, 4, 128, 45.6, "v0.9");
  ttft("T8b", "llama2-70b", a100, 4, 2048, 377, "v0.5");
  ttft("T8c", "llama2-70b", a100, 8, 2048, 249.2, "v0.9");

  // TensorRT-LLM v0.9 "Peak Throughput" (static batching; output tokens/s
  // per GPU over the batch, out_tps = output x batch / latency / tp).
  auto peak = [&](std::string id,
                  std::string preset,
                  std::string device,
                  std::int64_t tp,
                  std::int64_t batch,
                  std::int64_t prompt,
                  std::int64_t output,
                  double per_gpu) {
    const bool fp8 = device != a100;
    Conditions c{tp, batch, prompt, output};
    if (fp8) c.weights = c.kv = kFp8;
    add(std::move(id),
        trt,
        std::move(preset),
        std::move(device),
        c,
        Metric::kThroughput,
        per_gpu,
        std::to_string(static_cast<int>(per_gpu)) + " tok/s/GPU, batch " +
            std::to_string(batch));
  };
  peak("B1", "llama2-7b", a100, 1, 256, 128, 128, 5390);
  peak("B2", "llama2-7b", h100, 1, 896, 128, 128, 19854);
  peak("B3", "llama2-70b", h200, 1, 1024, 128, 128, 3989);
  peak("B4", "llama2-70b", h100, 2, 1024, 128, 128, 3214);
  peak("B5", "llama2-70b", a100, 4, 1024, 128, 128, 686);
  peak("B5b", "llama2-70b", h100, 4, 512, 128, 2048, 2725);
  peak("B5c", "llama2-70b", h100, 2, 64, 2048, 2048, 1011);
  peak("B5d", "llama2-70b", h200, 2, 512, 128, 2048, 3963);
  peak("B5e", "llama2-70b", h200, 1, 64, 2048, 2048, 1458);
  peak("B5f", "llama2-70b", a100, 4, 64, 2048, 2048, 289);
  return runs;
}

}  // namespace scalesim::perf::testing

#endif  // SCALESIM_TESTS_PERF_SERVING_RUNS_HPP_
