#include "scalesim/perf/serve.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/units.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/model/flops.hpp"
#include "scalesim/model/params.hpp"

#include "perf/kernels.hpp"

namespace scalesim::perf {
namespace {

using I = std::int64_t;
using model::Architecture;
using model::AttentionKind;

double D(I v) { return static_cast<double>(v); }
std::string Str(I v) { return std::to_string(v); }

// Activations, KV writes and logits move 16-bit values; logits are fp32.
constexpr double kActivationBytes = 2.0;
constexpr double kLogitBytes = 4.0;
// Decode contexts evaluated: every step up to this many, else this many
// evenly spaced (the midpoint rule).
constexpr I kDecodeSamples = 16;
// Kernels of an MoE layer beyond its GEMMs: the top-k gate and the token
// permutation to and from the experts (vLLM's fused_moe).
constexpr double kMoeExtraKernels = 2.0;
constexpr double kSecondsPerHour = 3600.0;
constexpr double kPerMillion = 1e6;
constexpr double kJoulesPerKwh = 3.6e6;

// One group of equal weight GEMMs of the model: `count` layers of a matrix
// of `params` (unsplit) with inner dimension `k`.
struct GemmGroup {
  double count = 0.0;
  double params = 0.0;
  double k = 0.0;
  bool split_k = false;  // row-parallel: the inner dimension splits t ways
  bool split = true;     // false: replicated on every rank (MoE router)
  bool head = false;     // the LM head (16-bit with embeddings_16bit)
};

// Parameters of one routed expert and the split of an MLP into its up
// (gate and up) and down matrices.
double UpShare(const Architecture& a) {
  return a.mlp == model::MlpKind::kGated ? 2.0 / 3.0 : 0.5;
}

double BytesPerWeight(const model::QuantizationOptions& q) {
  const double bits = D(model::BitsOf(q.dtype));
  const double scales =
      q.group_size > 0 ? D(q.scale_bits) / D(q.group_size) : 0.0;
  return (bits + scales) / 8.0;
}

std::vector<I> Divisors(I n) {
  std::vector<I> out;
  for (I d = 1; d <= n; ++d)
    if (n % d == 0) out.push_back(d);
  return out;
}

bool TpAllowed(const Architecture& a, I t) {
  const I kv = a.mla.enabled() ? a.n_heads : a.kv_heads();
  return a.n_heads % t == 0 && (kv % t == 0 || t % kv == 0);
}

}  // namespace

// Everything about the architecture, device and options that no layout
// changes.
struct ServeModel::Shared {
  Architecture arch;
  model::Device device;
  ServeOptions options;
  Efficiencies eff;
  NetworkModel net;
  I layers = 0;
  I attention_layers = 0;  // full, sliding and chunked
  I linear_layers = 0;
  I moe_layers = 0;
  I dense_layers = 0;
  std::vector<GemmGroup> groups;
  // Routed experts of an MoE layer.
  double experts = 0.0;
  double experts_per_token = 0.0;
  double expert_params = 0.0;
  double expert_d_ff = 0.0;
  double ff_dense = 0.0;  // MLP columns per token before the t split
  double ff_moe = 0.0;
  double qkv_width = 0.0;  // q, k, v columns before the t split
  double attn_width = 0.0;
  double bytes_per_weight = 2.0;
  double bytes_per_head_weight = 2.0;
  double embed_params = 0.0;  // token (+ position) embedding
  double head_params = 0.0;   // the LM head's matrix (the embedding if tied)
  // Rates.
  double gemm_flops = 0.0;
  double attention_flops = 0.0;
  double memory_bytes = 0.0;  // elementwise kernels
  double stream_bytes = 0.0;  // weights and KV cache
  std::string gemm_dtype;
  // Prefill attention FLOPs of one prompt (causal), whole model.
  double prefill_attention_flops = 0.0;
  // Decode samples: context, weight, attention FLOPs per token (whole
  // model).
  struct Sample {
    I context = 0;
    double weight = 0.0;
    double attention_flops = 0.0;
  };
  std::vector<Sample> samples;
  // KV bytes of one sequence on one device, per tp: at each sample and at
  // prompt + output (the memory).
  struct Kv {
    I tp = 0;
    std::vector<double> at_samples;
    double at_end = 0.0;
    std::int64_t weights = 0;  // EstimateInferenceMemory at tp
  };
  std::vector<Kv> kv;

  Kv KvFor(I t) const {
    for (const Kv& k : kv)
      if (k.tp == t) return k;
    return ComputeKv(t);
  }
  Kv ComputeKv(I t) const {
    Kv k;
    k.tp = t;
    model::InferenceMemoryOptions m = options.memory;
    m.tensor_parallel = t;
    m.batch = 1;
    for (const Sample& s : samples) {
      m.context = s.context;
      k.at_samples.push_back(
          D(model::EstimateInferenceMemory(arch, m).kv_cache_per_device));
    }
    m.context = options.prompt_tokens + options.output_tokens;
    const model::InferenceMemory end = model::EstimateInferenceMemory(arch, m);
    k.at_end = D(end.kv_cache_per_device);
    k.weights = end.weights_per_device;
    return k;
  }
};

// One forward on one device of the slowest stage.
struct ServeModel::Impl {
  const Shared& s;
  const ServeLayout& l;

  double t() const { return D(l.tp); }
  double StageShare() const {
    return D((s.layers + l.pp - 1) / l.pp) / D(s.layers);
  }

  // Weight bytes one pass reads on a device: the stage's share of the
  // blocks (MoE: the experts `tokens` choose) plus the head.
  struct Pass {
    ForwardTime time;
    double weight_bytes = 0.0;
    double kv_bytes = 0.0;
  };

  // `tokens` in this forward of `sequences` sequences (logits of one
  // token each), `attention_flops` of the forward (whole model, unsplit),
  // `kv_bytes` the KV cache the forward reads on this device (whole
  // model's layers).
  Pass Forward(double tokens,
               double sequences,
               double attention_flops,
               double kv_bytes) const {
    Pass p;
    ForwardTime& f = p.time;
    const double tt = t();
    const double share = StageShare();
    auto kernel = [&](double count) { f.kernels += count * KernelSeconds(); };
    auto gemm = [&](double count,
                    double flops,
                    double k,
                    double weight_bytes,
                    double act_bytes,
                    double scale) {
      if (count <= 0.0 || flops <= 0.0) return;
      const double c = GemmComputeSeconds(flops, k, s.gemm_flops);
      const double m = (weight_bytes + act_bytes) / s.stream_bytes;
      f.compute += scale * count * c;
      f.memory += scale * count * m;
      f.roofline += scale * count * std::max(c, m);
      kernel(scale * count);
      p.weight_bytes += scale * count * weight_bytes;
    };
    for (const GemmGroup& g : s.groups) {
      const double split = g.split ? tt : 1.0;
      const double params = g.params / split;
      const double k = g.split_k ? g.k / tt : g.k;
      const double n = params / k;
      const double bpw = g.head ? s.bytes_per_head_weight : s.bytes_per_weight;
      const double rows = g.head ? sequences : tokens;
      gemm(g.count,
           2.0 * rows * params,
           k,
           params * bpw,
           rows * (k + n) * kActivationBytes,
           g.head ? 1.0 : share);
    }
    if (s.moe_layers > 0 && s.experts > 0.0) {
      // Routed experts: each token's k of E, the distinct ones read once.
      const double e = s.experts;
      const double distinct =
          e * (1.0 - std::pow(1.0 - s.experts_per_token / e, tokens));
      const double per_rank = s.expert_params / tt;  // t/e ways x e ranks
      const double flops = 2.0 * tokens * s.experts_per_token * per_rank;
      const double up = UpShare(s.arch);
      const double ff_rank = s.expert_d_ff / (tt / D(l.ep));
      const double act =
          tokens * s.experts_per_token / D(l.ep) * kActivationBytes;
      const double nm = D(s.moe_layers);
      gemm(nm,
           up * flops,
           D(s.arch.d_model),
           up * distinct * per_rank * s.bytes_per_weight,
           act * (D(s.arch.d_model) + ff_rank * (1.0 + up)),
           share);
      gemm(nm,
           (1.0 - up) * flops,
           ff_rank,
           (1.0 - up) * distinct * per_rank * s.bytes_per_weight,
           act * (D(s.arch.d_model) + ff_rank),
           share);
      kernel(share * nm * kMoeExtraKernels);
    }
    // Attention core: FlashAttention over the keys, or the KV it reads.
    {
      const double c = attention_flops / tt / s.attention_flops;
      const double m = kv_bytes / s.stream_bytes;
      f.compute += share * c;
      f.memory += share * m;
      f.roofline += share * std::max(c, m);
      kernel(share * D(s.attention_layers + s.linear_layers));
      p.kv_bytes = share * kv_bytes;
    }
    // Elementwise kernels of every layer.
    for (const auto& [count, ff] : {std::pair{D(s.dense_layers), s.ff_dense},
                                    std::pair{D(s.moe_layers), s.ff_moe}}) {
      if (count <= 0.0) continue;
      const internal::ElementwiseTraffic ew = internal::LayerElementwise(
          s.arch, tokens, tokens, ff / tt, tt, kActivationBytes, false);
      const double m = ew.bytes / s.memory_bytes;
      f.memory += share * count * m;
      f.roofline += share * count * m;
      kernel(share * count * ew.kernels);
    }
    // Tensor parallel: two all-reduces per layer, one after the embedding,
    // the logits gathered.
    if (l.tp > 1) {
      const Group g{l.tp, 1};
      const double act = tokens * D(s.arch.d_model) * kActivationBytes;
      f.communication += (2.0 * share * D(s.layers) + 1.0) *
                         FastestAllReduceSeconds(act, g, s.net);
      f.communication += AllGatherSeconds(
          sequences * D(s.arch.vocab_size) * kActivationBytes, g, s.net);
    }
    if (l.pp > 1) {
      f.communication +=
          PointToPointSeconds(tokens * D(s.arch.d_model) * kActivationBytes,
                              Group{l.pp, l.tp},
                              s.net);
    }
    return p;
  }
};

ServeModel::ServeModel(const Architecture& arch,
                       const model::Device& device,
                       const ServeOptions& options)
    : eff_(EfficienciesOf(device)) {
  auto sh = std::make_shared<Shared>();
  Shared& s = *sh;
  s.arch = arch;
  s.device = device;
  s.options = options;
  s.eff = eff_;
  s.net = NetworkOf(device, eff_);
  const model::ParamBreakdown p = model::CountParameters(arch);
  s.layers = arch.n_layers;
  s.linear_layers = arch.NumLayersOf(AttentionKind::kLinear);
  s.attention_layers = s.layers - s.linear_layers;
  s.moe_layers = arch.moe.enabled() ? arch.NumMoeLayers() : 0;
  s.dense_layers = s.layers - s.moe_layers;
  const double h = D(arch.d_model);
  const double v_head =
      arch.mla.enabled() ? D(arch.mla.v_head_dim) : D(arch.head_size());
  s.attn_width = D(arch.n_heads) * v_head;
  const model::BlockParams& mixer_block =
      s.dense_layers > 0 ? p.dense_block : p.moe_block;
  const double out_proj = s.attn_width * h;
  const double in_proj = D(mixer_block.attention) - out_proj;
  s.qkv_width = in_proj / h;
  const double up = UpShare(arch);
  s.groups.push_back({D(s.attention_layers), in_proj, h, false, true, false});
  s.groups.push_back(
      {D(s.attention_layers), out_proj, s.attn_width, true, true, false});
  if (s.linear_layers > 0)
    s.groups.push_back(
        {D(s.linear_layers), D(p.linear_attention), h, false, true, false});
  if (s.dense_layers > 0) {
    const double mlp = D(p.dense_block.mlp);
    s.groups.push_back({D(s.dense_layers), up * mlp, h, false, true, false});
    s.groups.push_back(
        {D(s.dense_layers), (1.0 - up) * mlp, D(arch.d_ff), true, true, false});
    s.ff_dense = D(arch.d_ff);
  }
  if (s.moe_layers > 0) {
    const model::MoeConfig& m = arch.moe;
    const I k = m.experts_per_token;
    s.experts = D(m.num_experts);
    s.experts_per_token = D(k);
    s.expert_d_ff = D(m.expert_d_ff);
    s.expert_params =
        m.num_experts > k
            ? D(p.moe_block.mlp - p.moe_block.mlp_active) / D(m.num_experts - k)
            : D(p.moe_block.mlp) / D(m.num_experts);
    const double shared =
        D(p.moe_block.mlp) - s.experts * s.expert_params;  // shared experts
    const double shared_ff =
        D(m.shared_experts) *
        D(m.shared_expert_d_ff > 0 ? m.shared_expert_d_ff : m.expert_d_ff);
    s.groups.push_back(
        {D(s.moe_layers), D(p.moe_block.router), h, false, false, false});
    if (shared > 0.0) {
      s.groups.push_back({D(s.moe_layers), up * shared, h, false, true, false});
      s.groups.push_back(
          {D(s.moe_layers), (1.0 - up) * shared, shared_ff, true, true, false});
    }
    s.ff_moe = s.experts_per_token * s.expert_d_ff + shared_ff;
  }
  const double e = D(arch.token_embed_dim());
  s.head_params = p.tied_lm_head ? D(p.token_embedding) : D(p.lm_head);
  s.embed_params = D(p.token_embedding + p.position_embedding);
  s.groups.push_back({1.0, s.head_params, e, false, true, true});

  const model::QuantizationOptions& q = options.memory.weights;
  s.bytes_per_weight = BytesPerWeight(q);
  s.bytes_per_head_weight = q.embeddings_16bit && model::BitsOf(q.dtype) < 16
                                ? 2.0
                                : s.bytes_per_weight;
  const double peak16 = device.PeakFlopsPerSecond(model::Dtype::kBf16);
  if (q.dtype == model::WeightDtype::kFp8 && device.peak_tflops_fp8) {
    s.gemm_flops =
        device.PeakFlopsPerSecond(model::Dtype::kFp8) * eff_.matmul_fp8;
    s.gemm_dtype = "fp8";
  } else if (q.dtype == model::WeightDtype::kFp32 && device.peak_tflops_fp32) {
    s.gemm_flops = device.PeakFlopsPerSecond(model::Dtype::kFp32) * eff_.matmul;
    s.gemm_dtype = "fp32";
  } else {
    s.gemm_flops = peak16 * eff_.matmul;
    s.gemm_dtype = "bf16";
  }
  s.attention_flops = peak16 * eff_.attention;
  s.memory_bytes = device.memory_bandwidth_bytes_per_second * eff_.memory;
  s.stream_bytes =
      device.memory_bandwidth_bytes_per_second * eff_.decode_memory;

  // Prefill attention of one prompt: the causal scores and value products
  // of every layer by its kind (and the linear layers' recurrence).
  const I prompt = options.prompt_tokens;
  if (prompt > 0) {
    model::OperationOptions op;
    op.seq_len = prompt;
    op.causal = true;
    op.include_embeddings = false;
    op.include_softmax = false;
    const model::OperationFlops ops = model::CountOperationFlops(arch, op);
    for (const model::AttentionLayerFlops& k : ops.attention_layers) {
      const model::BlockOperationFlops& b = k.block;
      s.prefill_attention_flops +=
          D(k.layers) * D(b.attention_scores + b.attention_value_reduce +
                          b.linear_attention_state + b.indexer);
    }
  }
  // Decode contexts P + 1 .. P + O - 1 (P + 1 alone when O = 1).
  const I steps = std::max<I>(options.output_tokens - 1, 1);
  const I n = std::min(steps, kDecodeSamples);
  for (I g = 0; g < n; ++g) {
    const I begin = g * steps / n;
    const I end = (g + 1) * steps / n;
    Shared::Sample x;
    x.context = prompt + 1 + (begin + end - 1) / 2;
    x.weight = D(end - begin) / D(steps);
    x.attention_flops =
        D(model::InferenceFlopsPerToken(arch, std::max<I>(x.context, 1))
              .attention_flops);
    s.samples.push_back(x);
  }
  // KV per tp the search may ask for.
  const I domain = std::max<I>(device.network.scale_up_domain, 1);
  for (I t : Divisors(domain))
    if (TpAllowed(arch, t) && t <= 64) s.kv.push_back(s.ComputeKv(t));
  shared_ = std::move(sh);
}

std::string ServeLayout::Describe() const {
  std::string out = "tp " + Str(tp) + " pp " + Str(pp);
  if (ep > 1) out += " ep " + Str(ep);
  return out + ", batch " + Str(batch);
}

ServeLayout ResolveServeLayout(const Architecture& arch,
                               const model::Device& device,
                               const ServeOptions& o) {
  ValidateFields(o);
  model::Validate(arch, "architecture");
  ServeLayout l;
  l.tp = o.memory.tensor_parallel;
  l.pp = o.pipeline_parallel;
  l.ep = o.expert_parallel;
  l.batch = o.memory.batch;
  if (device.memory_bandwidth_bytes_per_second <= 0.0)
    FailField("device",
              "device '" + device.name +
                  "' has no memory bandwidth in its catalog (decode reads "
                  "the weights at it)");
  device.PeakFlopsPerSecond(model::Dtype::kBf16);
  const I t = l.tp;
  internal::RequireTensorParallelHeads(arch, t);
  if ((t > 1 || l.pp > 1) && !device.network.known())
    FailField("device",
              "device '" + device.name +
                  "' has no network in its catalog (add a \"network\" "
                  "entry), so it serves on one device only");
  const I domain = device.network.scale_up_domain;
  if (t > 1 && (t > domain || domain % t != 0))
    FailField("tp",
              "tensor parallel degree " + Str(t) + " does not divide the " +
                  Str(domain) + "-device scale-up domain of " + device.name);
  if (l.pp > arch.n_layers)
    FailField("pp",
              "pipeline parallel degree " + Str(l.pp) + " exceeds " +
                  Str(arch.n_layers) + " layers");
  if (l.ep > 1) {
    if (!arch.moe.enabled())
      FailField("ep", "expert parallelism needs an MoE model");
    if (t % l.ep != 0 || arch.moe.num_experts % l.ep != 0)
      FailField("ep",
                "expert parallel degree " + Str(l.ep) + " must divide tp " +
                    Str(t) + " and the " + Str(arch.moe.num_experts) +
                    " experts");
  }
  return l;
}

ServeModel::Memory ServeModel::MemoryOf(const ServeLayout& l) const {
  const Shared& s = *shared_;
  const Shared::Kv kv = s.KvFor(l.tp);
  const double t = D(l.tp);
  const double share = D((s.layers + l.pp - 1) / l.pp) / D(s.layers);
  Memory m;
  if (l.pp == 1) {
    m.weights = kv.weights;
  } else {
    // The first stage holds the embedding, the last the head (a copy of a
    // tied embedding): the slowest stage its share of the blocks and the
    // larger of the two.
    const double embed = s.embed_params * s.bytes_per_head_weight / t;
    const double head = s.head_params * s.bytes_per_head_weight / t;
    const double untied = s.arch.tied_embeddings ? 0.0 : head;
    const double blocks = D(kv.weights) - embed - untied;
    m.weights =
        static_cast<I>(std::ceil(blocks * share + std::max(embed, head)));
  }
  m.kv_cache = static_cast<I>(std::ceil(D(l.batch) * kv.at_end * share));
  // One layer's inputs, normed inputs, q/k/v, attention output and MLP
  // intermediates for the tokens of one forward, plus fp32 logits.
  const double ff = std::max(s.ff_dense, s.ff_moe) / t;
  const double gated = s.arch.mlp == model::MlpKind::kGated ? 1.0 : 0.0;
  const double per_token =
      kActivationBytes *
      (2.0 * D(s.arch.d_model) + (s.qkv_width + s.attn_width) / t +
       (2.0 + gated) * ff);
  const double tokens = std::min(D(l.batch) * D(s.options.prompt_tokens),
                                 D(s.options.prefill_chunk));
  m.activations = static_cast<I>(
      std::ceil(tokens * per_token +
                D(l.batch) * D(s.arch.vocab_size) / t * kLogitBytes));
  return m;
}

std::int64_t ServeModel::LargestBatch(ServeLayout l) const {
  const I usable = shared_->options.UsableBytes(shared_->device);
  l.batch = 1;
  const Memory one = MemoryOf(l);
  if (one.total() > usable) return 0;
  const double per = std::max<double>(D(one.kv_cache), 1.0);
  I lo = 1;
  I hi = static_cast<I>(std::min(D(usable - one.weights) / per + 2.0, 1e12));
  while (hi - lo > 1) {  // fits(lo), !fits(hi) once hi is past the top
    const I mid = lo + (hi - lo) / 2;
    l.batch = mid;
    if (MemoryOf(l).total() <= usable)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

ServePrediction ServeModel::Predict(const ServeLayout& l) const {
  const Shared& s = *shared_;
  const Impl impl{s, l};
  const ServeOptions& o = s.options;
  const Shared::Kv kv = s.KvFor(l.tp);
  ServePrediction out;
  out.device = s.device.name;
  out.layout = l;
  out.prompt_tokens = o.prompt_tokens;
  out.output_tokens = o.output_tokens;
  out.weight_dtype = o.memory.weights.dtype;
  out.kv_dtype = o.memory.kv_dtype;
  out.gemm_dtype = s.gemm_dtype;
  const double n_dev = D(l.devices());
  const double batch = D(l.batch);
  const double prompt = D(o.prompt_tokens);
  const double p = D(l.pp);

  // Prefill: B P tokens in forwards of at most prefill_chunk, pipelined.
  {
    const double tokens = batch * prompt;
    const I forwards =
        static_cast<I>(std::ceil(tokens / D(std::max<I>(o.prefill_chunk, 1))));
    const double nf = D(forwards);
    const Impl::Pass one = impl.Forward(
        tokens / nf, batch / nf, batch * s.prefill_attention_flops / nf, 0.0);
    const double stages = nf + p - 1.0;
    ForwardTime& f = out.prefill;
    f.roofline = stages * one.time.roofline;
    f.compute = stages * one.time.compute;
    f.memory = stages * one.time.memory;
    f.kernels = stages * one.time.kernels;
    f.communication = stages * one.time.communication;
    f.overhead = nf * o.step_overhead_ms * 1e-3;
    out.prefill_forwards = forwards;
    out.ttft_seconds = f.total();
    // FLOPs: the weight GEMMs of every token (the head of the last ones)
    // and the attention.
    double gemm_flops = 0.0;
    for (const GemmGroup& g : s.groups)
      gemm_flops += 2.0 * g.count * g.params * (g.head ? batch : tokens);
    if (s.moe_layers > 0)
      gemm_flops += 2.0 * tokens * D(s.moe_layers) * s.experts_per_token *
                    s.expert_params;
    const double attention = batch * s.prefill_attention_flops;
    out.prefill_flops = gemm_flops + attention;
    const double gemm_peak =
        s.gemm_flops /
        (s.gemm_dtype == "fp8" ? s.eff.matmul_fp8 : s.eff.matmul);
    const double peak16 = s.device.PeakFlopsPerSecond(model::Dtype::kBf16);
    out.prefill_compute_bound_seconds =
        (gemm_flops / gemm_peak + attention / peak16) / n_dev;
    out.prefill_mfu =
        out.prefill_flops / (out.ttft_seconds * n_dev * gemm_peak);
  }

  // Decode: m micro-batches of b sequences, each step at the sample
  // contexts; TPOT = p x (stage step + send) + the step overhead.
  {
    const double m = std::min(batch, p);
    const double b = batch / m;
    ForwardTime& f = out.decode;
    double bytes = 0.0;
    for (std::size_t i = 0; i < s.samples.size(); ++i) {
      const Shared::Sample& x = s.samples[i];
      const Impl::Pass one =
          impl.Forward(b, b, b * x.attention_flops, b * kv.at_samples[i]);
      const double w = x.weight;
      f.roofline += w * p * one.time.roofline;
      f.compute += w * p * one.time.compute;
      f.memory += w * p * one.time.memory;
      f.kernels += w * p * one.time.kernels;
      f.communication += w * p * one.time.communication;
      bytes += w * m * (one.weight_bytes + one.kv_bytes);
    }
    f.overhead = o.step_overhead_ms * 1e-3;
    out.tpot_seconds = f.total();
    out.decode_bytes_per_step = bytes;
    const double bw = s.device.memory_bandwidth_bytes_per_second;
    out.decode_bandwidth_bound_seconds = bytes / bw;
    out.mbu = bytes / (out.tpot_seconds * bw);
    out.decode_binds = f.memory >= f.compute ? "memory" : "compute";
  }

  const double outputs = D(o.output_tokens);
  out.e2e_seconds = out.ttft_seconds + (outputs - 1.0) * out.tpot_seconds;
  out.tokens_per_second_per_sequence = 1.0 / out.tpot_seconds;
  out.tokens_per_second = batch / out.tpot_seconds;
  out.tokens_per_second_per_device = out.tokens_per_second / n_dev;
  out.e2e_tokens_per_second_per_device =
      batch * outputs / (out.e2e_seconds * n_dev);

  const Memory mem = MemoryOf(l);
  out.weights_bytes = mem.weights;
  out.kv_cache_bytes = mem.kv_cache;
  out.activation_bytes = mem.activations;
  out.memory_bytes = mem.total();
  out.usable_memory_bytes = o.UsableBytes(s.device);
  out.fits = out.memory_bytes <= out.usable_memory_bytes;
  out.largest_batch = LargestBatch(l);
  if (!out.fits) {
    out.status = ServeStatus::kDoesNotFit;
    out.message = "needs more than the usable memory per device";
  }

  // Cost: device-hours (and dollars, energy) per million tokens.
  out.usd_per_hour =
      o.usd_per_hour ? o.usd_per_hour : s.device.price_per_hour_usd;
  const double hours = n_dev / kSecondsPerHour * kPerMillion;
  out.device_hours_per_million_input_tokens =
      hours * out.ttft_seconds / (batch * prompt);
  out.device_hours_per_million_output_tokens = hours * out.tpot_seconds / batch;
  out.device_hours_per_million_tokens =
      hours * out.e2e_seconds / (batch * (prompt + outputs));
  if (out.usd_per_hour) {
    const double usd = *out.usd_per_hour;
    out.usd_per_million_input_tokens =
        usd * out.device_hours_per_million_input_tokens;
    out.usd_per_million_output_tokens =
        usd * out.device_hours_per_million_output_tokens;
    out.usd_per_million_tokens = usd * out.device_hours_per_million_tokens;
  }
  if (s.device.tdp_watts) {
    const double kwh = *s.device.tdp_watts * kSecondsPerHour / kJoulesPerKwh;
    out.energy_kwh_per_million_input_tokens =
        kwh * out.device_hours_per_million_input_tokens;
    out.energy_kwh_per_million_output_tokens =
        kwh * out.device_hours_per_million_output_tokens;
  }
  return out;
}

ServeResult PredictServing(const Architecture& arch,
                           const model::Device& device,
                           const ServeOptions& options) {
  const ServeLayout l = ResolveServeLayout(arch, device, options);
  const ServeModel model(arch, device, options);
  ServeResult r;
  ServePrediction requested = model.Predict(l);
  requested.scenario = "requested";
  const I largest = requested.largest_batch;
  r.rows.push_back(std::move(requested));
  if (largest > 0 && largest != l.batch) {
    ServeLayout at = l;
    at.batch = largest;
    ServePrediction p = model.Predict(at);
    p.scenario = "largest_batch";
    r.rows.push_back(std::move(p));
  }
  return r;
}

double DecodeCrossoverBatch(const model::Device& device,
                            const ServeOptions& options,
                            double k) {
  const Efficiencies e = EfficienciesOf(device);
  const model::QuantizationOptions& q = options.memory.weights;
  double rate = device.PeakFlopsPerSecond(model::Dtype::kBf16) * e.matmul;
  if (q.dtype == model::WeightDtype::kFp8 && device.peak_tflops_fp8)
    rate = device.PeakFlopsPerSecond(model::Dtype::kFp8) * e.matmul_fp8;
  // 2 b P_w x GemmComputeSeconds(1, k, rate) = P_w bpw / (BW eta).
  const double read =
      BytesPerWeight(q) /
      (device.memory_bandwidth_bytes_per_second * e.decode_memory);
  return read / (2.0 * GemmComputeSeconds(1.0, k, rate));
}

ServingCost ServingCostOf(const Architecture& arch,
                          const model::Device& device,
                          const ServePrediction& p) {
  ServingCost c;
  c.device = device.name;
  c.layout = p.layout;
  c.description = arch.name + " on " + Str(p.layout.devices()) + " x " +
                  device.name + " (" + p.layout.Describe() + ", " +
                  Str(p.prompt_tokens) + " in / " + Str(p.output_tokens) +
                  " out, " + std::string(model::ToString(p.weight_dtype)) +
                  " weights)";
  c.device_seconds_per_token =
      p.device_hours_per_million_tokens * kSecondsPerHour / kPerMillion;
  c.flops_per_token = 2.0 * D(model::CountParameters(arch).total());
  // The peak of the GEMMs' format: fp8 prefill may pass the 16-bit peak.
  c.peak_flops_per_second =
      device.PeakFlopsPerSecond(p.gemm_dtype == "fp8"    ? model::Dtype::kFp8
                                : p.gemm_dtype == "fp32" ? model::Dtype::kFp32
                                                         : model::Dtype::kBf16);
  c.effective_mfu = c.flops_per_token /
                    (c.device_seconds_per_token * c.peak_flops_per_second);
  c.usd_per_hour = p.usd_per_hour;
  if (p.usd_per_hour) {
    c.usd_per_token =
        *p.usd_per_hour * c.device_seconds_per_token / kSecondsPerHour;
    c.usd_per_flop = *c.usd_per_token / c.flops_per_token;
  }
  return c;
}

ServingCost ServingCostPerToken(const Architecture& arch,
                                const model::Device& device,
                                const ServeOptions& options) {
  const ServeLayout l = ResolveServeLayout(arch, device, options);
  return ServingCostOf(
      arch, device, ServeModel(arch, device, options).Predict(l));
}

}  // namespace scalesim::perf
