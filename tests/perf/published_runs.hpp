// The 26 published training measurements of ../shared/reference/step-time.csv
// (30 step times: Korthikanti et al. 2022's four rows each give two), each
// with its architecture, layout and published figure completed from its
// source (/work/notes/step-time.md Sec. 2 lists where each value was
// checked). The published figure becomes a step time by the conversion its
// source implies (`published_step_seconds`); docs/validation-step-time.md
// shows every row.
#ifndef SCALESIM_TESTS_PERF_PUBLISHED_RUNS_HPP_
#define SCALESIM_TESTS_PERF_PUBLISHED_RUNS_HPP_

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "scalesim/model/architecture.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/perf/step.hpp"

namespace scalesim::perf::testing {

using model::Architecture;
using model::Recompute;

// A GPT-3-style block (Brown et al. 2020; Megatron-LM, NeMo GPT, MPT):
// LayerNorm, biases, GeLU 4h MLP, learned positions, tied head.
inline Architecture GptBlock(const char* name,
                             std::int64_t layers,
                             std::int64_t d_model,
                             std::int64_t heads,
                             std::int64_t vocab,
                             std::int64_t seq_len) {
  Architecture a;
  a.name = name;
  a.n_layers = layers;
  a.d_model = d_model;
  a.n_heads = heads;
  a.d_ff = 4 * d_model;
  a.vocab_size = vocab;
  a.mlp = model::MlpKind::kStandard;
  a.norm = model::NormKind::kLayerNorm;
  a.q_bias = a.k_bias = a.v_bias = a.o_bias = a.mlp_bias = true;
  a.position = model::PositionKind::kLearned;
  a.max_positions = seq_len;
  a.tied_embeddings = true;
  a.context_length = seq_len;
  return a;
}

// A Llama-style block: RMSNorm, no biases, rotary, untied; gated (SwiGLU)
// unless `gated` is false.
inline Architecture LlamaBlock(const char* name,
                               std::int64_t layers,
                               std::int64_t d_model,
                               std::int64_t heads,
                               std::int64_t d_ff,
                               std::int64_t vocab,
                               std::int64_t seq_len,
                               bool gated = true) {
  Architecture a;
  a.name = name;
  a.n_layers = layers;
  a.d_model = d_model;
  a.n_heads = heads;
  a.d_ff = d_ff;
  a.vocab_size = vocab;
  a.mlp = gated ? model::MlpKind::kGated : model::MlpKind::kStandard;
  a.norm = model::NormKind::kRmsNorm;
  a.position = model::PositionKind::kRotary;
  a.tied_embeddings = false;
  a.context_length = seq_len;
  return a;
}

// Megatron-LM's GPT models pad the vocabulary to 51,200 (Narayanan et al.
// 2021 Sec. 5.1; Korthikanti et al. 2022 Sec. 6).
constexpr std::int64_t kMegatronVocab = 51200;

// One published measurement.
struct PublishedRun {
  std::string id;
  std::string family;  // leave-one-family-out unit
  std::string device;  // catalog name
  Architecture arch;
  StepOptions options;
  double published_step_seconds = 0.0;
  std::string published;  // the figure as published and its conversion
  std::string source;
};

// Narayanan et al. 2021 Eq. 3: FLOPs per iteration with full recompute,
// 96 B s L h^2 (1 + s/(6h) + V/(16 L h)); a published TFLOP/s per GPU
// gives the step time.
inline double Eq3StepSeconds(const Architecture& a,
                             std::int64_t batch,
                             std::int64_t gpus,
                             double tflops) {
  const double l = static_cast<double>(a.n_layers);
  const double h = static_cast<double>(a.d_model);
  const double s = static_cast<double>(a.context_length);
  const double flops = 96.0 * static_cast<double>(batch) * s * l * h * h *
                       (1.0 + s / (6.0 * h) +
                        static_cast<double>(kMegatronVocab) / (16.0 * l * h));
  return flops / (static_cast<double>(gpus) * tflops * 1e12);
}

// Tokens per second per GPU to a step time.
inline double StepFromTokensPerGpu(std::int64_t batch,
                                   std::int64_t seq_len,
                                   std::int64_t gpus,
                                   double tokens_per_second_per_gpu) {
  return static_cast<double>(batch) * static_cast<double>(seq_len) /
         (static_cast<double>(gpus) * tokens_per_second_per_gpu);
}

struct Layout3 {
  std::int64_t tp = 1, pp = 1, vp = 1, cp = 1, devices = 1, micro_batch = 1,
               global_batch = 1, zero = 0;
  bool sp = false;
  Recompute recompute = Recompute::kNone;
  model::Dtype dtype = model::Dtype::kBf16;
  bool tp_overlap = false;
};

inline StepOptions OptionsOf(const Architecture& a, const Layout3& l) {
  StepOptions o;
  o.memory.tensor_parallel = l.tp;
  o.memory.pipeline_parallel = l.pp;
  o.memory.sequence_parallel = l.sp;
  o.memory.recompute = l.recompute;
  o.memory.micro_batch = l.micro_batch;
  o.memory.seq_len = a.context_length;
  o.memory.states.zero_stage = l.zero;
  o.virtual_stages = l.vp;
  o.context_parallel = l.cp;
  o.devices = l.devices;
  o.global_batch = l.global_batch;
  o.dtype = l.dtype;
  o.tp_comm_overlap = l.tp_overlap;
  return o;
}

inline void Add(std::vector<PublishedRun>& runs,
                std::string id,
                std::string family,
                std::string device,
                const Architecture& a,
                const Layout3& l,
                double step,
                std::string published,
                std::string source) {
  runs.push_back({std::move(id),
                  std::move(family),
                  std::move(device),
                  a,
                  OptionsOf(a, l),
                  step,
                  std::move(published),
                  std::move(source)});
}

// A NeMo performance-summary row: tokens/s per GPU on H100 SXM.
struct NeMoRow {
  const char* id;
  Architecture arch;
  Layout3 layout;
  double tokens_per_gpu;
};
inline void AddNeMo(std::vector<PublishedRun>& runs,
                    const std::vector<NeMoRow>& rows,
                    const std::string& family,
                    const std::string& source) {
  for (const NeMoRow& r : rows) {
    Add(runs,
        r.id,
        family,
        "h100-sxm",
        r.arch,
        r.layout,
        StepFromTokensPerGpu(r.layout.global_batch,
                             r.arch.context_length,
                             r.layout.devices,
                             r.tokens_per_gpu),
        std::to_string(static_cast<int>(r.tokens_per_gpu)) +
            " tokens/s per GPU",
        source);
  }
}

inline std::vector<PublishedRun> PublishedRuns() {
  std::vector<PublishedRun> runs;
  const Architecture gpt175 =
      GptBlock("gpt3-175b", 96, 12288, 96, kMegatronVocab, 2048);
  const Architecture gpt530 =
      GptBlock("mt-nlg-530b", 105, 20480, 128, kMegatronVocab, 2048);
  const std::string n21 =
      "Narayanan et al. 2021 Table 2 (cli99/llm-analysis "
      "examples/megatron-lm/run_train.sh)";

  // --- Narayanan et al. 2021 Table 2: TP 8, non-interleaved 1F1B, full
  // recompute, micro-batch 1, fp16, A100 80GB (Selene).
  struct N21 {
    const char* id;
    const Architecture* arch;
    std::int64_t pp, dp, batch;
    double tflops;
  };
  for (const N21& r : {N21{"N21-T2-175-384", &gpt175, 12, 4, 1536, 153},
                       N21{"N21-T2-175-768", &gpt175, 12, 8, 1536, 149},
                       N21{"N21-T2-175-1536", &gpt175, 12, 16, 1536, 141},
                       N21{"N21-T2-530-560", &gpt530, 35, 2, 2240, 171},
                       N21{"N21-T2-530-1120", &gpt530, 35, 4, 2240, 167},
                       N21{"N21-T2-530-2240", &gpt530, 35, 8, 2240, 159}}) {
    const std::int64_t gpus = 8 * r.pp * r.dp;
    Add(runs,
        r.id,
        "N21",
        "a100-sxm4-80gb",
        *r.arch,
        {.tp = 8,
         .pp = r.pp,
         .devices = gpus,
         .global_batch = r.batch,
         .recompute = Recompute::kFull},
        Eq3StepSeconds(*r.arch, r.batch, gpus, r.tflops),
        std::to_string(static_cast<int>(r.tflops)) +
            " TFLOP/s per GPU (Eq. 3 hardware FLOPs)",
        n21);
  }

  // --- Korthikanti et al. 2022 Table 5: iteration times, full recompute
  // (tensor-parallel all-reduces) and sequence parallel + selective
  // recompute. A100 80GB, fp16, micro-batch 1 (22B: 4).
  const std::string k22 =
      "Korthikanti et al. 2022 Table 5 (Calculon calculon/llm/validation.py)";
  struct K22 {
    const char* id;
    Architecture arch;
    std::int64_t pp, vp, gpus, micro_batch, batch;
    double full, seq_sel;
  };
  const K22 k22_rows[] = {
      {"K22-22B",
       GptBlock("gpt-22b", 48, 6144, 64, kMegatronVocab, 2048),
       1,
       1,
       8,
       4,
       4,
       1.42,
       1.10},
      {"K22-175B", gpt175, 8, 3, 64, 1, 64, 18.13, 13.75},
      {"K22-530B", gpt530, 35, 3, 280, 1, 280, 49.05, 37.83},
      {"K22-1T",
       GptBlock("gpt-1t", 128, 25600, 160, kMegatronVocab, 2048),
       64,
       1,
       512,
       1,
       512,
       94.42,
       71.49},
  };
  for (const K22& r : k22_rows) {
    const Layout3 base{.tp = 8,
                       .pp = r.pp,
                       .vp = r.vp,
                       .devices = r.gpus,
                       .micro_batch = r.micro_batch,
                       .global_batch = r.batch};
    Layout3 full = base;
    full.recompute = Recompute::kFull;
    Layout3 seq_sel = base;
    seq_sel.sp = true;
    seq_sel.recompute = Recompute::kSelective;
    Add(runs,
        std::string(r.id) + "-full",
        "K22",
        "a100-sxm4-80gb",
        r.arch,
        full,
        r.full,
        std::to_string(r.full).substr(0, 5) + " s per iteration",
        k22);
    Add(runs,
        std::string(r.id) + "-seq-sel",
        "K22",
        "a100-sxm4-80gb",
        r.arch,
        seq_sel,
        r.seq_sel,
        std::to_string(r.seq_sel).substr(0, 5) + " s per iteration",
        k22);
  }

  // --- Megatron-LM README (2021): GPT-3 175B on 1024 A100, TP 8 PP 16 DP 8,
  // global batch 1536, full recompute: "each iteration takes around 32
  // seconds" (examples/pretrain_gpt3_175B.sh @152aab304d).
  Add(runs,
      "MEG-README-A100",
      "MEG",
      "a100-sxm4-80gb",
      gpt175,
      {.tp = 8,
       .pp = 16,
       .devices = 1024,
       .global_batch = 1536,
       .recompute = Recompute::kFull},
      32.0,
      "32 s per iteration",
      "NVIDIA/Megatron-LM README @152aab304d");

  // --- PaLM 540B (Chowdhery et al. 2022 Sec. 4, App. B): 6144 TPU v4 in
  // two pods of 3072; 12-way model parallel x 256-way fully sharded data
  // parallel in a pod, 2 pods data parallel; no pipeline; 2048 x 2048-token
  // batches; rematerialization (HFU 57.8% vs MFU 46.2%). 238.3K tokens/s.
  {
    Architecture palm =
        LlamaBlock("palm-540b", 118, 18432, 48, 73728, 256000, 2048);
    palm.n_kv_heads = 1;  // multi-query attention
    palm.head_dim = 256;
    palm.norms_per_block = 1;  // parallel attention and MLP
    palm.norm = model::NormKind::kLayerNormNoBias;
    palm.tied_embeddings = true;
    Add(runs,
        "PaLM-540B",
        "PaLM",
        "tpu-v4",
        palm,
        {.tp = 12,
         .devices = 6144,
         .micro_batch = 4,
         .global_batch = 2048,
         .zero = 3,
         .sp = true,
         .recompute = Recompute::kFull},
        StepFromTokensPerGpu(2048, 2048, 1, 238.3e3),
        "238.3K tokens/s (App. B)",
        "Chowdhery et al. 2022 App. B");
  }

  // --- NeMo 24.12 performance summary (H100 SXM, FP8, distributed
  // optimizer, no recompute): tokens/s per GPU.
  const std::string nemo =
      "NVIDIA NeMo 24.12 performance summary (pretraining); layouts from "
      "NeMo-Framework-Launcher conf/training";
  const std::int64_t gpt2_vocab = 50304;  // 50,257 padded to 128
  const std::vector<NeMoRow> nemo_rows = {
      {"NeMo-GPT3-5B",
       GptBlock("gpt3-5b", 24, 4096, 32, gpt2_vocab, 2048),
       {.devices = 64,
        .micro_batch = 4,
        .global_batch = 2048,
        .zero = 1,
        .dtype = model::Dtype::kFp8},
       23406},
      {"NeMo-GPT3-20B",
       GptBlock("gpt3-20b", 44, 6144, 48, gpt2_vocab, 2048),
       {.tp = 2,
        .devices = 64,
        .micro_batch = 2,
        .global_batch = 256,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       5851},
      {"NeMo-GPT3-175B-128",
       GptBlock("gpt3-175b", 96, 12288, 96, gpt2_vocab, 2048),
       {.tp = 4,
        .pp = 8,
        .vp = 6,
        .devices = 128,
        .global_batch = 256,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       716},
      {"NeMo-L2-7B",
       LlamaBlock("llama2-7b", 32, 4096, 32, 11008, 32000, 4096),
       {.devices = 8,
        .global_batch = 128,
        .zero = 1,
        .dtype = model::Dtype::kFp8},
       16934},
      {"NeMo-L2-13B",
       LlamaBlock("llama2-13b", 40, 5120, 40, 13824, 32000, 4096),
       {.pp = 4,
        .vp = 10,
        .devices = 16,
        .global_batch = 128,
        .zero = 1,
        .dtype = model::Dtype::kFp8},
       8715},
      {"NeMo-Nemotron-8B",
       [] {
         Architecture a = LlamaBlock(
             "nemotron-8b", 32, 4096, 32, 16384, 256000, 4096, false);
         a.norm = model::NormKind::kLayerNorm;  // layernorm1p
         a.activation = "relu2";
         return a;
       }(),
       {.tp = 2,
        .devices = 64,
        .micro_batch = 4,
        .global_batch = 256,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       12507},
  };
  AddNeMo(runs, nemo_rows, "NeMo", nemo);

  // --- MosaicML llm-foundry benchmarks (H100 80GB, BF16, FSDP FULL_SHARD =
  // ZeRO 3 over every GPU): tokens/s per GPU.
  const std::string mpt =
      "mosaicml/llm-foundry scripts/train/benchmarking/README.md (H100 80GB "
      "BF16 table); shapes from scripts/train/yamls/pretrain/mpt-*.yaml";
  struct Mpt {
    const char* id;
    std::int64_t layers, d_model, heads, seq, gpus, micro_batch, batch;
    Recompute recompute;
    double tokens_per_gpu;
  };
  constexpr std::int64_t kMptVocab = 50368;
  for (const Mpt& r : {
           Mpt{"MPT-70B-64",
               80,
               8192,
               64,
               2048,
               64,
               8,
               2048,
               Recompute::kFull,
               1039},
           Mpt{"MPT-30B-32",
               48,
               7168,
               56,
               2048,
               32,
               14,
               1344,
               Recompute::kFull,
               2308},
           Mpt{"MPT-13B-64",
               40,
               5120,
               40,
               2048,
               64,
               2,
               128,
               Recompute::kNone,
               4800},
           Mpt{"MPT-7B-8",
               32,
               4096,
               32,
               2048,
               8,
               6,
               48,
               Recompute::kNone,
               10643},
           Mpt{"MPT-7B-8-8K",
               32,
               4096,
               32,
               8192,
               8,
               8,
               128,
               Recompute::kFull,
               6935},
           Mpt{"MPT-3B-64",
               32,
               2560,
               20,
               2048,
               64,
               6,
               1152,
               Recompute::kNone,
               22525},
           Mpt{"MPT-1B-8",
               24,
               2048,
               16,
               2048,
               8,
               14,
               112,
               Recompute::kNone,
               45455},
       }) {
    const Architecture a =
        GptBlock(r.id, r.layers, r.d_model, r.heads, kMptVocab, r.seq);
    Add(runs,
        r.id,
        "MPT",
        "h100-sxm",
        a,
        {.devices = r.gpus,
         .micro_batch = r.micro_batch,
         .global_batch = r.batch,
         .zero = 3,
         .recompute = r.recompute},
        StepFromTokensPerGpu(r.batch, r.seq, r.gpus, r.tokens_per_gpu),
        std::to_string(static_cast<int>(r.tokens_per_gpu)) +
            " tokens/s per GPU",
        mpt);
  }

  // --- FlashAttention-2 (Dao 2023, abstract and Table 1): GPT3-2.7B at 8k
  // on 8 A100 80GB, 225 TFLOP/s per GPU counted as 72 B s L h^2 (1 + s/(6h)
  // + V/(16 L h)) (flash-attention training/README.md); DDP + ZeRO-1, bf16,
  // no checkpointing, micro-batch 4, global batch 128 (training/configs/
  // experiment/pile/gpt3-2.7B-flash-8k.yaml).
  {
    Architecture a = GptBlock("gpt3-2.7b-8k", 32, 2560, 32, 50264, 8192);
    const double l = 32, h = 2560, s = 8192, v = 50257;
    const double per_token =
        72.0 * l * h * h * (1.0 + s / (6.0 * h) + v / (16.0 * l * h));
    Add(runs,
        "FA2-2.7B",
        "FA2",
        "a100-sxm4-80gb",
        a,
        {.devices = 8, .micro_batch = 4, .global_batch = 128, .zero = 1},
        StepFromTokensPerGpu(128, 8192, 8, 225e12 / per_token),
        "225 TFLOP/s per GPU (72 B s L h^2 (1 + s/6h + V/16Lh))",
        "Dao 2023 (FlashAttention-2) Table 1; Dao-AILab/flash-attention "
        "training/");
  }
  return runs;
}

// Published runs beyond the 26 (/work/notes/step-time.md Sec. 5), never
// used to choose a constant: NeMo 24.12's other pretraining rows (context
// parallelism among them) and the Megatron-LM README's April 2021 weak
// scaling table (Narayanan et al. 2021 Table 1; TP = min(8, MP), PP = MP/8,
// micro-batch 1 and full recompute are from memory of the paper).
inline std::vector<PublishedRun> FurtherRuns() {
  std::vector<PublishedRun> runs;
  const std::string nemo = "NVIDIA NeMo 24.12 performance summary";
  auto llama = [](const char* name,
                  std::int64_t layers,
                  std::int64_t d,
                  std::int64_t heads,
                  std::int64_t ff,
                  std::int64_t vocab,
                  std::int64_t seq) {
    Architecture a = LlamaBlock(name, layers, d, heads, ff, vocab, seq);
    a.n_kv_heads = 8;
    return a;
  };
  const std::vector<NeMoRow> rows = {
      {"NeMo-GPT3-175B-512",
       GptBlock("gpt3-175b", 96, 12288, 96, 50304, 2048),
       {.tp = 4,
        .pp = 8,
        .vp = 6,
        .devices = 512,
        .micro_batch = 2,
        .global_batch = 2048,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       825},
      {"NeMo-L2-70B",
       llama("llama2-70b", 80, 8192, 64, 28672, 32000, 4096),
       {.tp = 4,
        .pp = 4,
        .vp = 20,
        .devices = 64,
        .global_batch = 128,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       1728},
      {"NeMo-L3-8B",
       llama("llama3-8b", 32, 4096, 32, 14336, 128256, 8192),
       {.cp = 2,
        .devices = 8,
        .global_batch = 128,
        .zero = 1,
        .dtype = model::Dtype::kFp8},
       12273},
      {"NeMo-L3-70B",
       llama("llama3-70b", 80, 8192, 64, 28672, 128256, 8192),
       {.tp = 4,
        .pp = 4,
        .vp = 5,
        .cp = 2,
        .devices = 64,
        .global_batch = 128,
        .zero = 1,
        .sp = true,
        .dtype = model::Dtype::kFp8,
        .tp_overlap = true},
       1524},
  };
  AddNeMo(runs, rows, "NeMo (further)", nemo);
  struct Meg {
    const char* id;
    std::int64_t layers, hidden, heads, mp, gpus, batch;
    double tflops;
  };
  for (const Meg& r :
       {Meg{"MEG-2021-1.7B", 24, 2304, 24, 1, 32, 512, 137},
        Meg{"MEG-2021-3.6B", 30, 3072, 32, 2, 64, 512, 138},
        Meg{"MEG-2021-7.5B", 36, 4096, 32, 4, 128, 512, 142},
        Meg{"MEG-2021-18B", 40, 6144, 48, 8, 256, 1024, 135},
        Meg{"MEG-2021-39B", 48, 8192, 64, 16, 512, 1536, 138},
        Meg{"MEG-2021-76B", 60, 10240, 80, 32, 1024, 1792, 140},
        Meg{"MEG-2021-145B", 80, 12288, 96, 64, 1536, 2304, 148},
        Meg{"MEG-2021-310B", 96, 16384, 128, 128, 1920, 2160, 155},
        Meg{"MEG-2021-530B", 105, 20480, 128, 280, 2520, 2520, 163},
        Meg{"MEG-2021-1T", 128, 25600, 160, 512, 3072, 3072, 163}}) {
    const Architecture a =
        GptBlock(r.id, r.layers, r.hidden, r.heads, kMegatronVocab, 2048);
    const std::int64_t tp = std::min<std::int64_t>(8, r.mp);
    Add(runs,
        r.id,
        "MEG 2021 (further)",
        "a100-sxm4-80gb",
        a,
        {.tp = tp,
         .pp = r.mp / tp,
         .devices = r.gpus,
         .global_batch = r.batch,
         .recompute = Recompute::kFull},
        Eq3StepSeconds(a, r.batch, r.gpus, r.tflops),
        std::to_string(static_cast<int>(r.tflops)) + " TFLOP/s per GPU (Eq. 3)",
        "NVIDIA/Megatron-LM README @50a4b5fa02, images/cases_april2021.png");
  }
  return runs;
}

}  // namespace scalesim::perf::testing

#endif  // SCALESIM_TESTS_PERF_PUBLISHED_RUNS_HPP_
