#include "scalesim/model/memory_report.hpp"

#include <string>
#include <utility>
#include <vector>

#include "scalesim/model/params.hpp"

namespace scalesim::model {
namespace {

using I = std::int64_t;

DeviceFit FitOn(const Device& d, I needed, I largest) {
  DeviceFit f;
  f.device = d.name;
  f.device_memory_bytes = d.memory_bytes;
  f.needed_bytes = needed;
  f.headroom_bytes = d.memory_bytes - needed;
  f.fits = f.headroom_bytes >= 0;
  f.largest_batch = largest;
  return f;
}

std::string I2s(I v) { return std::to_string(v); }

}  // namespace

Schema<MemoryRow> MemorySchema(std::string title) {
  Schema<MemoryRow> s{"memory", std::move(title), {}, nullptr};
  s.Add("component", CellKind::kText, [](const MemoryRow& r) {
    return CellValue{r.component};
  });
  s.Add("memory_bytes", CellKind::kBytes, [](const MemoryRow& r) {
    return CellValue{r.bytes};
  });
  s.Add("note", CellKind::kText, [](const MemoryRow& r) {
    return CellValue{r.note};
  });
  return s;
}

Schema<DeviceFit> DeviceFitSchema(std::string name,
                                  std::string title,
                                  std::string largest_column) {
  Schema<DeviceFit> s{std::move(name), std::move(title), {}, nullptr};
  s.Add("device", CellKind::kText, [](const DeviceFit& f) {
    return CellValue{f.device};
  });
  s.Add("device_memory_bytes", CellKind::kBytes, [](const DeviceFit& f) {
    return CellValue{f.device_memory_bytes};
  });
  s.Add("needed_bytes", CellKind::kBytes, [](const DeviceFit& f) {
    return CellValue{f.needed_bytes};
  });
  s.Add("headroom_bytes", CellKind::kBytes, [](const DeviceFit& f) {
    return CellValue{f.headroom_bytes};
  });
  s.Add("fits", CellKind::kText, [](const DeviceFit& f) {
    return CellValue{std::string(f.fits ? "yes" : "no")};
  });
  s.Add(std::move(largest_column), CellKind::kInteger, [](const DeviceFit& f) {
    return CellValue{f.largest_batch};
  });
  return s;
}

Schema<TrainingSetup> TrainingSetupSchema(const TrainingSetup& setup) {
  using S = TrainingSetup;
  Schema<S> s{"setup", "Setup", {}, nullptr};
  s.Add("total_params", CellKind::kCount, [](const S& r) {
    return CellValue{r.total_params};
  });
  s.Add("params_per_device", CellKind::kCount, [](const S& r) {
    return CellValue{r.params_per_device};
  });
  s.Add("bytes_per_param", CellKind::kReal, [](const S& r) {
    return CellValue{r.bytes_per_param};
  });
  if (setup.activation_bytes_per_layer) {
    s.Add("activation_bytes_per_layer", CellKind::kBytes, [](const S& r) {
      return CellValue{*r.activation_bytes_per_layer};
    });
  }
  if (setup.activation_bytes_per_moe_layer) {
    s.Add("activation_bytes_per_moe_layer", CellKind::kBytes, [](const S& r) {
      return CellValue{*r.activation_bytes_per_moe_layer};
    });
  }
  s.Add("dp", CellKind::kInteger, [](const S& r) {
    return CellValue{r.data_parallel};
  });
  s.Add("tp", CellKind::kInteger, [](const S& r) {
    return CellValue{r.tensor_parallel};
  });
  s.Add("pp", CellKind::kInteger, [](const S& r) {
    return CellValue{r.pipeline_parallel};
  });
  s.Add("zero", CellKind::kInteger, [](const S& r) {
    return CellValue{r.zero_stage};
  });
  s.Add("sequence_parallel", CellKind::kText, [](const S& r) {
    return CellValue{std::string(r.sequence_parallel ? "yes" : "no")};
  });
  s.Add("micro_batch", CellKind::kInteger, [](const S& r) {
    return CellValue{r.micro_batch};
  });
  s.Add("seq_len", CellKind::kInteger, [](const S& r) {
    return CellValue{r.seq_len};
  });
  return s;
}

TrainingMemoryReport ReportTrainingMemory(const Architecture& a,
                                          TrainingMemoryOptions o,
                                          const std::vector<Device>& devices) {
  TrainingMemoryReport r;
  if (o.seq_len <= 0) {
    o.seq_len = TrainingSeqLen(a, 0);
    r.notes.push_back("sequence length " + I2s(o.seq_len) +
                      " tokens (the model's maximum context, at most " +
                      I2s(kDefaultTrainingSeqLen) + "; --seq-len to change)");
  } else {
    r.notes.push_back("sequence length " + I2s(o.seq_len) + " tokens");
  }
  if (o.sequence_parallel && o.tensor_parallel == 1) {
    r.notes.push_back(
        "sequence parallelism has no effect without tensor parallelism (tp "
        "1)");
  }
  r.options = o;
  r.memory = EstimateTrainingMemory(a, o);
  const StageMemory& st = r.memory.most_loaded;
  const ActivationBytes& act = st.activations;
  auto row = [&](std::string name, I bytes, std::string note) {
    r.rows.push_back({std::move(name), bytes, std::move(note)});
  };
  row("weights", st.states.weights, "");
  row("gradients", st.states.gradients, "");
  row("optimizer_states",
      st.states.optimizer_states,
      o.states.precision == Precision::kFp32 ? ""
                                             : "incl. fp32 master weights");
  row("activations",
      act.total(),
      I2s(act.in_flight) + " micro-batch(es) in flight x " + I2s(act.layers) +
          " layers");
  row("activations.blocks", act.blocks, "transformer layers");
  if (act.embedding > 0) {
    row("activations.embedding",
        act.embedding,
        "token ids (int64) + embedding dropout mask");
  }
  if (act.final_norm_and_logits > 0) {
    row("activations.final_norm_and_logits",
        act.final_norm_and_logits,
        "final-norm and LM-head inputs + fp32 logits");
  }
  row("total", st.total(), "");

  TrainingSetup& s = r.setup;
  s.total_params = CountParameters(a).total();
  s.params_per_device = st.params_per_device;
  s.bytes_per_param = r.memory.bytes_per_param.total();
  if (a.NumMoeLayers() < a.n_layers)
    s.activation_bytes_per_layer = LayerActivationBytes(a, o, false);
  if (a.NumMoeLayers() > 0)
    s.activation_bytes_per_moe_layer = LayerActivationBytes(a, o, true);
  s.data_parallel = o.states.data_parallel;
  s.tensor_parallel = o.tensor_parallel;
  s.pipeline_parallel = o.pipeline_parallel;
  s.zero_stage = o.states.zero_stage;
  s.sequence_parallel = o.sequence_parallel;
  s.micro_batch = o.micro_batch;
  s.seq_len = o.seq_len;

  for (const Device& d : devices) {
    r.fits.push_back(
        FitOn(d, st.total(), LargestMicroBatch(a, o, d.memory_bytes)));
  }
  r.notes.push_back("bytes per parameter: " + DescribeBytesPerParam(o.states));
  r.notes.push_back(
      "model states: ZeRO stage " + I2s(o.states.zero_stage) + " over " +
      I2s(o.states.data_parallel) +
      " data-parallel ranks (Rajbhandari et al. 2020: 1 shards optimizer "
      "states, 2 + gradients, 3 + weights); tensor parallel divides every "
      "parameter of the stage");
  r.notes.push_back(
      "activations: " + r.memory.activation_formula + "; " +
      (o.states.precision == Precision::kFp32 ? "4" : "2") +
      "-byte activations, " +
      (o.dropout ? "1-byte dropout masks"
                 : "no dropout (LLM pre-training; --dropout counts masks)") +
      ", " +
      (o.flash_attention
           ? "FlashAttention (--no-flash-attention for the s^2 terms)"
           : "no FlashAttention (s^2 attention activations)"));
  r.notes.push_back(
      "pipeline: 1F1B, the first stage holds min(p, micro-batches) "
      "micro-batches of ceil(L/p) layers plus the embeddings; the last stage "
      "holds the final norm, LM head and logits (Korthikanti et al. 2022 Sec. "
      "4.2.3; Megatron-LM theoretical_memory_usage.py bookkeeping)");
  r.notes.push_back(
      "not included: temporary buffers, communication buckets, allocator "
      "fragmentation, CUDA context");
  r.notes.push_back(MemoryUnitsNote());
  return r;
}

Schema<InferenceSetup> InferenceSetupSchema(const InferenceSetup& setup) {
  using S = InferenceSetup;
  Schema<S> s{"setup", "Setup", {}, nullptr};
  s.Add("total_params", CellKind::kCount, [](const S& r) {
    return CellValue{r.total_params};
  });
  s.Add("kv_cache_bytes_per_token", CellKind::kInteger, [](const S& r) {
    return CellValue{r.kv_cache_bytes_per_token};
  });
  if (setup.kv_heads_per_device) {
    s.Add("kv_heads_per_device", CellKind::kInteger, [](const S& r) {
      return CellValue{*r.kv_heads_per_device};
    });
  }
  s.Add("kv_bits", CellKind::kInteger, [](const S& r) {
    return CellValue{r.kv_bits};
  });
  s.Add("tp", CellKind::kInteger, [](const S& r) {
    return CellValue{r.tensor_parallel};
  });
  s.Add("context", CellKind::kInteger, [](const S& r) {
    return CellValue{r.context};
  });
  s.Add("batch", CellKind::kInteger, [](const S& r) {
    return CellValue{r.batch};
  });
  return s;
}

InferenceMemoryReport ReportInferenceMemory(
    const Architecture& a,
    InferenceMemoryOptions o,
    const std::vector<Device>& devices) {
  InferenceMemoryReport r;
  if (o.context <= 0) {
    o.context = TrainingSeqLen(a, 0);
    r.notes.push_back("context " + I2s(o.context) +
                      " tokens per sequence (the model's maximum context, at "
                      "most " +
                      I2s(kDefaultTrainingSeqLen) + "; --context to change)");
  } else {
    r.notes.push_back("context " + I2s(o.context) + " tokens per sequence");
  }
  r.options = o;
  r.memory = EstimateInferenceMemory(a, o);
  const InferenceMemory& m = r.memory;
  const QuantizationOptions& q = o.weights;
  r.rows.push_back({"weights",
                    m.weights_per_device,
                    std::string(ToString(q.dtype)) +
                        (q.group_size > 0 ? " + one " + I2s(q.scale_bits) +
                                                "-bit scale per " +
                                                I2s(q.group_size) + " weights"
                                          : "")});
  r.rows.push_back(
      {"kv_cache",
       m.kv_cache_per_device,
       I2s(o.context) + " tokens x " + I2s(o.batch) + " sequence(s)"});
  r.rows.push_back({"total", m.total_per_device(), "weights + KV cache"});

  InferenceSetup& s = r.setup;
  s.total_params = CountParameters(a).total();
  s.kv_cache_bytes_per_token = m.kv_cache_bytes_per_token;
  if (!a.mla.enabled()) s.kv_heads_per_device = m.kv_heads_per_device;
  s.kv_bits = o.kv_bits();
  s.tensor_parallel = o.tensor_parallel;
  s.context = o.context;
  s.batch = o.batch;
  for (const Device& d : devices) {
    r.fits.push_back(FitOn(
        d, m.total_per_device(), LargestInferenceBatch(a, o, d.memory_bytes)));
  }
  r.notes.push_back(
      "inference memory = weights + KV cache; activations, workspace and "
      "framework overhead not included");
  const bool kept = q.embeddings_16bit && BitsOf(q.dtype) < 16;
  r.notes.push_back(
      "weights: every parameter at " + I2s(BitsOf(q.dtype)) + " bits" +
      (kept ? " but the token embeddings and LM head, at 16 bits "
              "(--embeddings-16bit)"
            : " (embeddings included; --embeddings-16bit keeps them and the "
              "LM head at 16 bits)") +
      (a.moe.enabled() ? "; all experts resident" : ""));
  r.notes.push_back(
      a.mla.enabled()
          ? "KV cache: MLA caches its compressed latent, n_layers "
            "(kv_lora_rank + qk_rope_head_dim) per token, replicated on "
            "every tensor-parallel rank (DeepSeek-V2 Sec. 2.1.3)"
          : "KV cache: 2 x layers x kv_heads x head_dim x context x batch x "
            "bytes, GQA/MQA aware; KV heads split over tensor-parallel ranks "
            "(" +
                I2s(a.kv_heads()) + " KV heads over tp " +
                I2s(o.tensor_parallel) +
                (a.kv_heads() < o.tensor_parallel ? ", replicated)" : ")"));
  r.notes.push_back(MemoryUnitsNote());
  return r;
}

std::string MemoryUnitsNote() {
  return "memory in bytes; tables show GiB = 2^30 bytes (nvidia-smi, "
         "PyTorch); CSV and JSON exact integers";
}

}  // namespace scalesim::model
