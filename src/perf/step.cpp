#include "scalesim/perf/step.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/model/params.hpp"

#include "perf/kernels.hpp"

namespace scalesim::perf {
namespace {

using I = std::int64_t;
using model::Architecture;
using model::Recompute;

double D(I v) { return static_cast<double>(v); }

// A launch plus a partial last wave of a GEMM or an elementwise kernel
// (step.hpp: reproduces Calculon's A100 GEMM size steps).
constexpr double kKernelSeconds = 2e-6;
// The fixed work of a GEMM output tile (loading the pipeline, writing the
// result) in elements of the inner dimension.
constexpr double kTileOverheadK = 256.0;
// FlashAttention-2's backward: 2.5 x the forward FLOPs (Dao 2023 Sec. 4).
constexpr double kFlashBackwardFactor = 2.5;
// NCCL's base latency per collective, Simple protocol (src/graph/tuning.cc).
constexpr double kCollectiveLaunchSeconds = 8.4e-6;
// Cross-entropy over the vocabulary: the 16-bit logits read and two fp32
// passes forward (max, sum of exponentials), a read and the gradient written
// backward: 2 + 8 + 4 + 2 bytes per logit (Megatron-LM's vocab-parallel
// cross entropy).
constexpr double kCrossEntropyForwardBytes = 10.0;
constexpr double kCrossEntropyBackwardBytes = 6.0;
// FlashAttention's causal kernels, the norms and residuals: elementwise
// backward kernels read the input and the output gradient and write the
// input gradient: twice the forward traffic.
constexpr double kBackwardTrafficFactor = 2.0;
// "binds": memory within 5% of usable; an overhead above 10% of the step.
constexpr double kMemoryBindsAt = 0.95;
constexpr double kOverheadBindsAt = 0.10;

// The rates one rank runs at.
struct Rates {
  double gemm_flops = 0.0;       // peak of the GEMM dtype x eta
  double attention_flops = 0.0;  // 16-bit peak x eta_attention
  double memory_bytes = 0.0;     // HBM x eta_memory
  double gemm_bytes = 2.0;       // bytes per GEMM operand element
  bool fp8 = false;
};

// Time of one phase of work on a rank (forward or backward of a part).
struct Work {
  double matmul = 0.0;
  double attention = 0.0;
  double memory = 0.0;
  double total() const { return matmul + attention + memory; }
  Work& operator+=(const Work& o) {
    matmul += o.matmul;
    attention += o.attention;
    memory += o.memory;
    return *this;
  }
};
Work operator*(double k, const Work& w) {
  return {k * w.matmul, k * w.attention, k * w.memory};
}

// GEMM of `flops` with M x K by K x N operands: forward into fwd, the two
// backward products into bwd, fp8 casts as memory traffic.
void Gemm(double flops,
          double m,
          double k,
          double n,
          double count,
          const Rates& r,
          Work& fwd,
          Work& bwd) {
  if (flops <= 0.0 || count <= 0.0) return;
  auto one = [&](double inner, double a, double b) {
    return GemmSeconds(
        flops, a, inner, b, r.gemm_flops, r.memory_bytes, r.gemm_bytes);
  };
  fwd.matmul += count * one(k, m, n);
  // The input gradient's inner dimension is n, the weight gradient's m.
  bwd.matmul += count * (one(n, m, k) + one(m, k, n));
  if (r.fp8) {
    // Transformer Engine: the input cast to fp8 (read 16 bits, write 8)
    // forward; backward the output gradient cast and transposed and the
    // input's transpose.
    fwd.memory += count * (3.0 * m * k / r.memory_bytes + kKernelSeconds);
    bwd.memory +=
        count * ((4.0 * m * n + m * k) / r.memory_bytes + kKernelSeconds);
  }
}

// Elementwise traffic: `kernels` kernels moving `bytes` forward.
void Elementwise(
    double bytes, double kernels, const Rates& r, Work& fwd, Work& bwd) {
  fwd.memory += bytes / r.memory_bytes + kernels * kKernelSeconds;
  bwd.memory += kBackwardTrafficFactor * bytes / r.memory_bytes +
                kernels * kKernelSeconds;
}

// One layer of a kind on one rank, per micro-batch.
struct LayerCost {
  Work fwd;
  Work bwd;
  Work attention_fwd;   // what selective recompute repeats
  double tp_fwd = 0.0;  // tensor-parallel collectives, forward
  double tp_bwd = 0.0;
  double cp_exposed = 0.0;  // ring attention beyond the attention
  double cp_total = 0.0;
  double ep_fwd = 0.0;  // dispatch + combine
  double ep_bwd = 0.0;
  double params = 0.0;  // on the rank (ZeRO 3 gathers them)
  double expert_params = 0.0;
};

[[noreturn]] void Fail(std::string_view field, const std::string& problem) {
  FailField(field, problem);
}

std::string Str(I v) { return std::to_string(v); }

// Gradient bytes per parameter in the data-parallel collective (16+32
// reduces the fp32 accumulation).
double GradientCommBytes(const model::ModelStateOptions& s) {
  return s.gradient_dtype() == model::GradientDtype::k16 ? 2.0 : 4.0;
}

}  // namespace

double GemmSeconds(double flops,
                   double m,
                   double k,
                   double n,
                   double flops_per_second,
                   double bytes_per_second,
                   double bytes_per_element) {
  return GemmSecondsForBytes(flops,
                             k,
                             (m * k + k * n + m * n) * bytes_per_element,
                             flops_per_second,
                             bytes_per_second);
}

double GemmSecondsForBytes(double flops,
                           double k,
                           double bytes,
                           double flops_per_second,
                           double bytes_per_second) {
  return std::max(GemmComputeSeconds(flops, k, flops_per_second),
                  bytes / bytes_per_second) +
         kKernelSeconds;
}

double GemmComputeSeconds(double flops, double k, double flops_per_second) {
  return flops / flops_per_second * (k + kTileOverheadK) / k;
}

double KernelSeconds() { return kKernelSeconds; }

std::int64_t MemoryBudget::UsableBytes(const model::Device& device) const {
  const double usable = usable_memory_fraction * D(device.memory_bytes) -
                        runtime_reserve_gib * units::kBytesPerGiB;
  return static_cast<I>(std::max(usable, 0.0));
}

namespace internal {

void RequireTensorParallelHeads(const Architecture& arch, std::int64_t t) {
  const I kv = arch.mla.enabled() ? arch.n_heads : arch.kv_heads();
  if (arch.n_heads % t != 0)
    Fail("tp",
         "tensor parallel degree " + Str(t) + " does not divide " +
             Str(arch.n_heads) + " attention heads");
  if (kv % t != 0 && t % kv != 0)
    Fail("tp",
         "tensor parallel degree " + Str(t) + " neither divides the " +
             Str(kv) + " KV heads nor is a multiple of them");
}

ElementwiseTraffic LayerElementwise(const Architecture& a,
                                    double tokens,
                                    double replicated_tokens,
                                    double ff_per_token,
                                    double tensor_parallel,
                                    double act_bytes,
                                    bool dropout) {
  const double h = D(a.d_model);
  const double gated = a.mlp == model::MlpKind::kGated ? 1.0 : 0.0;
  const double norms = D(a.norms_per_block);
  ElementwiseTraffic t;
  t.bytes =
      norms * 2.0 * h * act_bytes * replicated_tokens +
      2.0 * (3.0 * act_bytes + (dropout ? 1.0 : 0.0)) * h * replicated_tokens +
      (2.0 + gated) * ff_per_token * act_bytes * tokens;
  t.kernels = norms + 3.0;
  if (a.position == model::PositionKind::kRotary) {
    const double rotary = a.mla.enabled()
                              ? D(a.n_heads + 1) * D(a.mla.qk_rope_head_dim)
                              : D(a.n_heads + a.kv_heads()) * D(a.head_size());
    t.bytes += 2.0 * rotary / tensor_parallel * act_bytes * tokens;
    t.kernels += 1.0;
  }
  return t;
}

}  // namespace internal

double StepTime::exposed_communication() const {
  return tensor.exposed + context.exposed + expert.exposed + pipeline.exposed +
         data.exposed;
}

Efficiencies EfficienciesOf(const model::Device& device) {
  Efficiencies e;
  const model::Efficiency& c = device.efficiency;
  e.matmul = c.matmul.value_or(e.matmul);
  e.matmul_fp8 = c.matmul_fp8.value_or(e.matmul_fp8);
  e.attention = c.attention.value_or(e.attention);
  e.memory = c.memory.value_or(e.memory);
  e.decode_memory = c.decode_memory.value_or(e.decode_memory);
  e.scale_up = c.scale_up.value_or(e.scale_up);
  e.scale_out = c.scale_out.value_or(e.scale_out);
  return e;
}

NetworkModel NetworkOf(const model::Device& device, const Efficiencies& eff) {
  const model::Network& n = device.network;
  NetworkModel m;
  m.scale_up_domain = n.scale_up_domain;
  m.scale_up_bytes_per_second = n.scale_up_bytes_per_second * eff.scale_up;
  m.scale_out_bytes_per_second = n.scale_out_bytes_per_second * eff.scale_out;
  m.scale_up_latency_seconds = n.scale_up_latency_seconds;
  m.scale_out_latency_seconds = n.scale_out_latency_seconds;
  m.launch_seconds = kCollectiveLaunchSeconds;
  m.kernel_seconds = kKernelSeconds;
  return m;
}

std::string Layout::Describe() const {
  std::string s = "tp " + Str(tp);
  if (sequence_parallel) s += "+sp";
  s += " pp " + Str(pp);
  if (vp > 1) s += " vp " + Str(vp);
  if (cp > 1) s += " cp " + Str(cp);
  if (ep > 1) s += " ep " + Str(ep);
  s += " dp " + Str(dp);
  if (zero > 0) s += " zero " + Str(zero);
  s += ", mb " + Str(micro_batch);
  if (recompute != Recompute::kNone)
    s += ", " + std::string(model::ToString(recompute)) + " recompute";
  return s;
}

Layout ResolveLayout(const Architecture& arch,
                     const model::Device& device,
                     const StepOptions& o) {
  ValidateFields(o);
  model::Validate(arch, "architecture");
  const model::TrainingMemoryOptions& m = o.memory;
  Layout l;
  l.tp = m.tensor_parallel;
  l.pp = m.pipeline_parallel;
  l.vp = o.virtual_stages;
  l.cp = o.context_parallel;
  l.ep = o.expert_parallel;
  l.zero = m.states.zero_stage;
  l.sequence_parallel = m.sequence_parallel && l.tp > 1;
  l.recompute = m.recompute;
  l.micro_batch = m.micro_batch;
  l.seq_len = model::TrainingSeqLen(arch, m.seq_len);
  l.dtype = o.dtype;
  if (!m.flash_attention)
    Fail("flash_attention",
         "the step model times attention as FlashAttention; it has no "
         "unfused attention");
  if (!device.network.known())
    Fail("device",
         "device '" + device.name +
             "' has no network in its catalog (add a \"network\" entry)");
  device.PeakFlopsPerSecond(model::Dtype::kBf16);
  device.PeakFlopsPerSecond(o.dtype);

  const I t = l.tp;
  internal::RequireTensorParallelHeads(arch, t);
  const I domain = device.network.scale_up_domain;
  if (t > 1 && (t > domain || domain % t != 0))
    Fail("tp",
         "tensor parallel degree " + Str(t) + " does not divide the " +
             Str(domain) + "-device scale-up domain of " + device.name);
  if (l.pp > arch.n_layers)
    Fail("pp",
         "pipeline parallel degree " + Str(l.pp) + " exceeds " +
             Str(arch.n_layers) + " layers");
  if (l.vp > 1 && l.pp == 1)
    Fail("vp", "interleaving (vp " + Str(l.vp) + ") needs pp > 1");
  if (l.vp > 1 && arch.n_layers % (l.pp * l.vp) != 0)
    Fail("vp",
         "pp x vp = " + Str(l.pp * l.vp) + " does not divide " +
             Str(arch.n_layers) + " layers");
  if (l.cp > 1 && l.seq_len % (2 * l.cp) != 0)
    Fail("cp",
         "sequence length " + Str(l.seq_len) +
             " is not a multiple of 2 x cp = " + Str(2 * l.cp) +
             " (load-balanced ring attention)");
  const I model_parallel = t * l.cp * l.pp;
  if (o.devices > 0) {
    if (o.devices % model_parallel != 0)
      Fail("devices",
           Str(o.devices) + " devices are not a multiple of tp x cp x pp = " +
               Str(model_parallel));
    l.devices = o.devices;
    l.dp = o.devices / model_parallel;
    if (m.states.data_parallel != 1 && m.states.data_parallel != l.dp)
      Fail("dp",
           "data parallel degree " + Str(m.states.data_parallel) +
               " does not match devices / (tp x cp x pp) = " + Str(l.dp));
  } else {
    l.dp = m.states.data_parallel;
    l.devices = model_parallel * l.dp;
  }
  if (l.ep > 1) {
    if (!arch.moe.enabled())
      Fail("ep", "expert parallelism needs an MoE model");
    if (arch.moe.num_experts % l.ep != 0 || (l.cp * l.dp) % l.ep != 0)
      Fail("ep",
           "expert parallel degree " + Str(l.ep) + " must divide the " +
               Str(arch.moe.num_experts) +
               " experts and cp x dp = " + Str(l.cp * l.dp));
  }
  const I per_pipeline = l.micro_batch * l.dp;
  if (o.global_batch > 0 && o.global_batch_tokens > 0)
    Fail("global_batch_tokens",
         "give the global batch in sequences or in tokens, not both");
  if (o.global_batch_tokens > 0) {
    if (o.global_batch_tokens % l.seq_len != 0)
      Fail("global_batch_tokens",
           Str(o.global_batch_tokens) +
               " tokens are not a whole number of sequences of " +
               Str(l.seq_len));
    l.global_batch = o.global_batch_tokens / l.seq_len;
  } else if (o.global_batch > 0) {
    l.global_batch = o.global_batch;
  } else {
    l.global_batch = per_pipeline * std::max(l.pp, m.num_microbatches);
  }
  if (l.global_batch % per_pipeline != 0)
    Fail(o.global_batch_tokens > 0 ? "global_batch_tokens" : "global_batch",
         "global batch of " + Str(l.global_batch) +
             " sequences is not a multiple of micro_batch x dp = " +
             Str(per_pipeline));
  l.microbatches = l.global_batch / per_pipeline;
  if (m.num_microbatches != 0 && m.num_microbatches != l.microbatches)
    Fail("microbatches",
         Str(m.num_microbatches) +
             " micro-batches do not match global batch / (micro_batch x dp) "
             "= " +
             Str(l.microbatches));
  return l;
}

StepModel::StepModel(const Architecture& arch,
                     const model::Device& device,
                     const StepOptions& options)
    : arch_(arch),
      device_(device),
      options_(options),
      eff_(EfficienciesOf(device)),
      net_(NetworkOf(device, eff_)),
      seq_len_(model::TrainingSeqLen(arch, options.memory.seq_len)) {
  model::OperationOptions op;
  op.seq_len = seq_len_;
  op.causal = true;
  op.include_embeddings = false;
  op.include_softmax = false;
  ops_ = model::CountOperationFlops(arch_, op);
  const model::ParamBreakdown p = model::CountParameters(arch_);
  dense_block_params_ = p.dense_block.total();
  if (arch_.moe.enabled()) {
    const double experts = D(arch_.moe.num_experts);
    const I k = arch_.moe.experts_per_token;
    // Routed experts: the MLP's experts beyond the active ones.
    const I per_expert = arch_.moe.num_experts > k
                             ? (p.moe_block.mlp - p.moe_block.mlp_active) /
                                   (arch_.moe.num_experts - k)
                             : 0;
    routed_expert_params_ = static_cast<I>(experts) * per_expert;
    moe_block_params_ = p.moe_block.total() - routed_expert_params_;
  }
  embedding_params_ = p.token_embedding + p.position_embedding +
                      p.embedding_norm + p.embed_projection;
  head_params_ = p.final_norm + p.lm_head;
  for (Recompute r :
       {Recompute::kNone, Recompute::kSelective, Recompute::kFull}) {
    model::FlopsOptions f;
    f.seq_len = seq_len_;
    f.recompute = r;
    flops_[static_cast<std::size_t>(r)] =
        model::TrainingFlops(arch_, options_.convention, f);
  }
}

StepPrediction StepModel::Predict(const Layout& l) const {
  const Architecture& a = arch_;
  const I t = l.tp;
  const double tt = D(t);
  const double c = D(l.cp);
  const double T = D(l.micro_batch) * D(l.seq_len) / c;  // tokens per rank
  const double rep = l.sequence_parallel ? T / tt : T;   // norms, residuals
  const double h = D(a.d_model);
  const model::ModelStateOptions& states = options_.memory.states;
  const double act = states.precision == model::Precision::kFp32 ? 4.0 : 2.0;
  const bool fp8 = l.dtype == model::Dtype::kFp8;
  const double peak16 = device_.PeakFlopsPerSecond(model::Dtype::kBf16);
  Rates r;
  r.fp8 = fp8;
  r.gemm_flops =
      fp8 ? device_.PeakFlopsPerSecond(model::Dtype::kFp8) * eff_.matmul_fp8
          : peak16 * eff_.matmul;
  r.gemm_bytes = fp8 ? 1.0 : act;
  r.attention_flops = peak16 * eff_.attention;
  r.memory_bytes = device_.memory_bandwidth_bytes_per_second * eff_.memory;
  const double per_seq = D(l.micro_batch) / c;  // sequences' worth per rank

  const Group tp_group{t, 1};
  const Group cp_group{l.cp, t};
  const Group ep_group{l.ep, t * l.cp};
  const Group pp_group{l.pp, t * l.cp * l.dp};
  const Group dp_group{l.cp * l.dp, t};
  const Group edp_group{l.cp * l.dp / l.ep, t * l.ep};
  const double s_act = T * h * act;   // the T x h activations of a rank
  auto tp_pair = [&](double bytes) {  // one forward (or backward) pair
    return l.sequence_parallel ? AllGatherSeconds(bytes, tp_group, net_) +
                                     ReduceScatterSeconds(bytes, tp_group, net_)
                               : AllReduceSeconds(bytes, tp_group, net_);
  };

  auto layer = [&](bool moe) {
    LayerCost lc;
    const model::BlockOperationFlops& b =
        moe ? ops_.moe_block : ops_.dense_block;
    auto rank = [&](std::int64_t flops) { return D(flops) * per_seq / tt; };
    const int gated = a.mlp == model::MlpKind::kGated ? 1 : 0;
    // Attention projections.
    const double qkv = rank(b.attention_qkv);
    Gemm(qkv, T, h, qkv / (2.0 * T * h), 1, r, lc.fwd, lc.bwd);
    const double proj = rank(b.attention_projection);
    Gemm(proj, T, proj / (2.0 * T * h), h, 1, r, lc.fwd, lc.bwd);
    // FlashAttention: scores and values, causal.
    const double fa = rank(b.attention_scores + b.attention_value_reduce);
    lc.attention_fwd.attention = fa / r.attention_flops + kKernelSeconds;
    lc.fwd += lc.attention_fwd;
    lc.bwd.attention +=
        kFlashBackwardFactor * fa / r.attention_flops + kKernelSeconds;
    // MLP.
    double ff_per_token = 0.0;  // MLP hidden activations per token
    if (!moe) {
      const double mlp = rank(b.mlp);
      const double up = mlp * (gated ? 2.0 / 3.0 : 0.5);
      Gemm(up, T, h, up / (2.0 * T * h), 1, r, lc.fwd, lc.bwd);
      Gemm(mlp - up, T, (mlp - up) / (2.0 * T * h), h, 1, r, lc.fwd, lc.bwd);
      ff_per_token = D(a.d_ff) / tt;
      lc.params = D(dense_block_params_) / tt;
    } else {
      const model::MoeConfig& m = a.moe;
      const double k = D(m.experts_per_token);
      const double local = D(m.num_experts) / D(l.ep);
      const double tokens = T * k * D(l.ep) / D(m.num_experts);  // per expert
      const double fe = D(m.expert_d_ff) / tt;
      Gemm(2.0 * tokens * h * fe * (1 + gated),
           tokens,
           h,
           fe * (1 + gated),
           local,
           r,
           lc.fwd,
           lc.bwd);
      Gemm(2.0 * tokens * fe * h, tokens, fe, h, local, r, lc.fwd, lc.bwd);
      const double fs =
          D(m.shared_experts) *
          D(m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff) /
          tt;
      Gemm(2.0 * T * h * fs * (1 + gated),
           T,
           h,
           fs * (1 + gated),
           1,
           r,
           lc.fwd,
           lc.bwd);
      Gemm(2.0 * T * fs * h, T, fs, h, 1, r, lc.fwd, lc.bwd);
      const double router = D(b.router) * per_seq;
      Gemm(router, T, h, D(m.num_experts), 1, r, lc.fwd, lc.bwd);
      ff_per_token = k * fe + fs;
      // Token permutation to and from the experts.
      Elementwise(4.0 * k * h * act * T / tt, 2, r, lc.fwd, lc.bwd);
      lc.params = D(moe_block_params_) / tt;
      lc.expert_params = D(routed_expert_params_) / (tt * D(l.ep));
      if (l.ep > 1) {
        const double bytes = T * k * h * act / tt;
        lc.ep_fwd = 2.0 * AllToAllSeconds(bytes, ep_group, net_);
        lc.ep_bwd = lc.ep_fwd;
      }
    }
    // Elementwise: norms, residual adds (+ dropout masks), activation,
    // rotary embeddings.
    const internal::ElementwiseTraffic ew = internal::LayerElementwise(
        a, T, rep, ff_per_token, tt, act, options_.memory.dropout);
    Elementwise(ew.bytes, ew.kernels, r, lc.fwd, lc.bwd);
    if (t > 1) {
      lc.tp_fwd = 2.0 * tp_pair(s_act);
      lc.tp_bwd = lc.tp_fwd;
    }
    if (l.cp > 1) {
      // Ring attention: K and V of the rank's tokens, c - 1 sends forward;
      // K, V and their gradients backward.
      const double kv_width =
          a.mla.enabled()
              ? D(a.n_heads) * D(a.mla.qk_nope_head_dim +
                                 a.mla.qk_rope_head_dim + a.mla.v_head_dim)
              : 2.0 * D(std::max<I>(a.kv_heads() / t, 1)) * D(a.head_size());
      const double kv_bytes = T * kv_width * act;
      const double fwd =
          (c - 1.0) * PointToPointSeconds(kv_bytes, cp_group, net_);
      const double bwd =
          (c - 1.0) * PointToPointSeconds(2.0 * kv_bytes, cp_group, net_);
      lc.cp_total = fwd + bwd;
      lc.cp_exposed = std::max(0.0, fwd - lc.attention_fwd.attention) +
                      std::max(0.0, bwd - (lc.bwd.attention));
    }
    return lc;
  };
  const LayerCost dense = layer(false);
  const LayerCost moe = a.moe.enabled() ? layer(true) : LayerCost{};

  // The embedding (first stage) and the final norm, LM head and loss (last).
  Work emb_fwd, emb_bwd, head_fwd, head_bwd;
  Elementwise(2.0 * T * h * act, 1, r, emb_fwd, emb_bwd);
  {
    const double v = D(a.vocab_size) / tt;
    const double e = D(a.token_embed_dim());
    Gemm(2.0 * T * e * v, T, e, v, 1, r, head_fwd, head_bwd);
    Elementwise(2.0 * h * act * rep, 1, r, head_fwd, head_bwd);
    head_fwd.memory += T * v * kCrossEntropyForwardBytes / r.memory_bytes;
    head_bwd.memory += T * v * kCrossEntropyBackwardBytes / r.memory_bytes;
  }
  const double tp_edge = t > 1 ? tp_pair(s_act) : 0.0;
  const double ce_reduce =
      t > 1 ? 2.0 * AllReduceSeconds(T * 4.0, tp_group, net_) : 0.0;
  const double pp_send =
      l.pp > 1 ? PointToPointSeconds(s_act / tt, pp_group, net_) : 0.0;

  const double weight_bytes = model::BytesPerParamOf(states).weights;
  const double grad_bytes = GradientCommBytes(states);
  const bool zero3 = l.zero >= 3 && l.cp * l.dp > 1;
  // ZeRO 3: gather the weights forward and backward, reduce-scatter the
  // gradients; each exposed beyond the part's compute.
  struct Zero3 {
    double total = 0.0;
    double exposed = 0.0;
  };
  auto zero3_part = [&](double params,
                        double expert_params,
                        const Work& fwd,
                        const Work& bwd) {
    Zero3 z;
    if (!zero3) return z;
    const double ag =
        AllGatherSeconds(params * weight_bytes, dp_group, net_) +
        AllGatherSeconds(expert_params * weight_bytes, edp_group, net_);
    const double rs =
        ReduceScatterSeconds(params * grad_bytes, dp_group, net_) +
        ReduceScatterSeconds(expert_params * grad_bytes, edp_group, net_);
    z.total = 2.0 * ag + rs;
    z.exposed =
        std::max(0.0, ag - fwd.total()) + std::max(0.0, ag + rs - bwd.total());
    return z;
  };

  // Every stage; the slowest sets the pace.
  const Recompute rc = l.recompute;
  auto layer_bwd = [&](const LayerCost& lc) {
    Work w = lc.bwd;
    if (rc == Recompute::kFull) w += lc.fwd;
    if (rc == Recompute::kSelective) w += lc.attention_fwd;
    return w;
  };
  auto layer_tp = [&](const LayerCost& lc) {
    return lc.tp_fwd + lc.tp_bwd + (rc == Recompute::kFull ? lc.tp_fwd : 0.0);
  };
  // With --tp-comm-overlap each collective hides behind the GEMM it feeds
  // or follows (Transformer Engine's userbuffers): exposed what exceeds
  // the layer's GEMMs, each way.
  auto layer_tp_exposed = [&](const LayerCost& lc) {
    if (!options_.tp_comm_overlap) return layer_tp(lc);
    const double fwd = std::max(0.0, lc.tp_fwd - lc.fwd.matmul);
    return fwd + std::max(0.0, lc.tp_bwd - lc.bwd.matmul) +
           (rc == Recompute::kFull ? fwd : 0.0);
  };
  auto layer_ep = [&](const LayerCost& lc) {
    return lc.ep_fwd + lc.ep_bwd + (rc == Recompute::kFull ? lc.ep_fwd : 0.0);
  };
  const Zero3 z_dense =
      zero3_part(dense.params, 0.0, dense.fwd, layer_bwd(dense));
  const Zero3 z_moe =
      zero3_part(moe.params, moe.expert_params, moe.fwd, layer_bwd(moe));
  struct Stage {
    I index = 0;
    Work fwd, bwd;  // per micro-batch, recompute in bwd
    double tp = 0.0, tp_total = 0.0, cp_total = 0.0, cp = 0.0, ep = 0.0,
           pp = 0.0, pp_total = 0.0;
    double z3_total = 0.0, z3 = 0.0;
    double params = 0.0, expert_params = 0.0;
    double per_microbatch() const {
      return fwd.total() + bwd.total() + tp + cp + ep + pp + z3;
    }
  };
  const I p = l.pp;
  const I base = a.n_layers / p;
  const I extra = a.n_layers % p;
  Stage slowest;
  for (I i = 0; i < p; ++i) {
    const I first = i * base + std::min(i, extra);
    const I layers = base + (i < extra ? 1 : 0);
    const double nm =
        D(a.NumMoeLayersBelow(first + layers) - a.NumMoeLayersBelow(first));
    const double nd = D(layers) - nm;
    Stage s;
    s.index = i;
    s.fwd = nd * dense.fwd;
    s.fwd += nm * moe.fwd;
    s.bwd = nd * layer_bwd(dense);
    s.bwd += nm * layer_bwd(moe);
    s.tp_total = nd * layer_tp(dense) + nm * layer_tp(moe);
    s.tp = nd * layer_tp_exposed(dense) + nm * layer_tp_exposed(moe);
    s.cp_total = nd * dense.cp_total + nm * moe.cp_total;
    s.cp = nd * dense.cp_exposed + nm * moe.cp_exposed;
    s.ep = nm * layer_ep(moe);
    s.z3_total = nd * z_dense.total + nm * z_moe.total;
    s.z3 = nd * z_dense.exposed + nm * z_moe.exposed;
    s.params = nd * dense.params + nm * moe.params;
    s.expert_params = nm * moe.expert_params;
    auto edge = [&](const Work& f, const Work& b, double params) {
      s.fwd += f;
      s.bwd += b;
      s.tp += 2.0 * tp_edge;
      s.tp_total += 2.0 * tp_edge;
      s.params += params;
      const Zero3 z = zero3_part(params, 0.0, f, b);
      s.z3_total += z.total;
      s.z3 += z.exposed;
    };
    if (i == 0) edge(emb_fwd, emb_bwd, D(embedding_params_) / tt);
    if (i == p - 1) {
      edge(head_fwd, head_bwd, D(head_params_) / tt);
      s.tp += ce_reduce;
      s.tp_total += ce_reduce;
    }
    // Interleaved: each chunk's send overlaps the next chunk's compute
    // (Megatron-LM's overlap_p2p_comm); plain 1F1B waits for it.
    const double sends = 2.0 * D(l.vp);
    s.pp_total = sends * pp_send;
    s.pp = l.vp > 1
               ? sends *
                     std::max(0.0,
                              pp_send - (s.fwd.total() + s.bwd.total()) / sends)
               : s.pp_total;
    if (i == 0 || s.per_microbatch() > slowest.per_microbatch()) slowest = s;
  }

  const double m = D(l.microbatches);
  const double t_mb = slowest.per_microbatch();
  StepPrediction out;
  out.layout = l;
  StepTime& st = out.time;
  st.matmul = m * (slowest.fwd.matmul + slowest.bwd.matmul);
  st.attention = m * (slowest.fwd.attention + slowest.bwd.attention);
  st.memory_bound = m * (slowest.fwd.memory + slowest.bwd.memory);
  st.compute = st.matmul + st.attention + st.memory_bound;
  st.tensor = {m * slowest.tp_total, m * slowest.tp};
  st.context = {m * slowest.cp_total, m * slowest.cp};
  st.expert = {m * slowest.ep, m * slowest.ep};
  st.pipeline = {m * slowest.pp_total, m * slowest.pp};
  st.data = {m * slowest.z3_total, m * slowest.z3};
  st.bubble = D(p - 1) / D(l.vp) * t_mb;

  // Data parallel, once per step (ZeRO 0-2), overlapped with the backward
  // of the last micro-batch and the forward of the first.
  if (!zero3 && l.cp * l.dp > 1) {
    const double dense_params = slowest.params;
    const double expert_params = slowest.expert_params;
    double grads = 0.0;
    double gather = 0.0;
    if (l.zero == 0) {
      grads = AllReduceSeconds(dense_params * grad_bytes, dp_group, net_) +
              AllReduceSeconds(expert_params * grad_bytes, edp_group, net_);
    } else {
      grads = ReduceScatterSeconds(dense_params * grad_bytes, dp_group, net_) +
              ReduceScatterSeconds(expert_params * grad_bytes, edp_group, net_);
      gather = AllGatherSeconds(dense_params * weight_bytes, dp_group, net_) +
               AllGatherSeconds(expert_params * weight_bytes, edp_group, net_);
    }
    st.data.total += grads + gather;
    st.data.exposed += std::max(0.0, grads - slowest.bwd.total()) +
                       std::max(0.0, gather - slowest.fwd.total());
  }
  // Optimizer over the rank's shard: read the gradient and the states,
  // write the states and the weights (the master copy, when there is one,
  // is among the states).
  {
    const model::BytesPerParam b = model::BytesPerParamOf(states);
    const bool master = states.precision != model::Precision::kFp32;
    const double bytes = b.gradients + 2.0 * b.optimizer_states +
                         b.weights * (master ? 1.0 : 2.0);
    double shard = slowest.params + slowest.expert_params;
    if (l.zero >= 1)
      shard = slowest.params / D(l.cp * l.dp) +
              slowest.expert_params / D(l.cp * l.dp / l.ep);
    st.optimizer = shard * bytes / r.memory_bytes + kKernelSeconds;
  }
  const double pipeline_time = (m + D(p - 1) / D(l.vp)) * t_mb;
  const double dp_end = st.data.exposed - m * slowest.z3;
  out.step_seconds = pipeline_time + dp_end + st.optimizer;

  const double tokens = D(l.global_batch) * D(l.seq_len);
  const double n = D(l.devices);
  out.tokens_per_second = tokens / out.step_seconds;
  out.tokens_per_second_per_device = out.tokens_per_second / n;
  const model::ConventionFlops& f = flops_[static_cast<std::size_t>(rc)];
  out.convention = std::string(model::ToString(options_.convention));
  out.model_flops_per_token = f.model_flops_per_token;
  out.hardware_flops_per_token = f.hardware_flops_per_token;
  out.model_tflops_per_device =
      f.model_flops_per_token * out.tokens_per_second_per_device / 1e12;
  out.hardware_tflops_per_device =
      f.hardware_flops_per_token * out.tokens_per_second_per_device / 1e12;
  out.mfu = out.model_tflops_per_device * 1e12 / peak16;
  out.hfu = out.hardware_tflops_per_device * 1e12 / peak16;
  if (device_.tdp_watts)
    out.energy_joules_per_token =
        *device_.tdp_watts / out.tokens_per_second_per_device;

  // Memory of every stage for this layout.
  model::TrainingMemoryOptions mem = options_.memory;
  mem.tensor_parallel = t;
  mem.pipeline_parallel = p;
  mem.sequence_parallel = l.sequence_parallel;
  mem.recompute = rc;
  mem.micro_batch = l.micro_batch;
  mem.seq_len = l.seq_len;
  mem.num_microbatches = l.microbatches;
  mem.states.data_parallel = l.dp;
  mem.states.zero_stage = l.zero;
  mem.context_parallel = l.cp;
  mem.expert_parallel = l.ep;
  mem.virtual_stages = l.vp;
  out.memory = model::EstimateTrainingMemory(a, mem);
  out.usable_memory_bytes = options_.UsableBytes(device_);
  const I used = out.memory.most_loaded.total();
  out.fits = used <= out.usable_memory_bytes;
  out.status = out.fits ? StepStatus::kOk : StepStatus::kDoesNotFit;
  if (!out.fits)
    out.message = "stage " + Str(out.memory.most_loaded.stage) +
                  " needs more than the usable memory";

  const double overheads[] = {
      st.bubble, st.exposed_communication(), st.optimizer};
  const char* names[] = {"bubble", "communication", "optimizer"};
  const std::size_t top = static_cast<std::size_t>(
      std::max_element(std::begin(overheads), std::end(overheads)) -
      std::begin(overheads));
  if (D(used) >= kMemoryBindsAt * D(out.usable_memory_bytes))
    out.binds = "memory";
  else if (overheads[top] > kOverheadBindsAt * out.step_seconds)
    out.binds = names[top];
  else
    out.binds = "compute";
  return out;
}

StepPrediction PredictStep(const Architecture& arch,
                           const model::Device& device,
                           const StepOptions& options) {
  const Layout l = ResolveLayout(arch, device, options);
  return StepModel(arch, device, options).Predict(l);
}

}  // namespace scalesim::perf
