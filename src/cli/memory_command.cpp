// scalesim memory: training memory per device (model states + activations)
// or, with --inference, serving memory (weights + KV cache).
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "scalesim/io/format.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/model/params.hpp"

#include "cli/cli.hpp"
#include "cli/device_options.hpp"

namespace scalesim::cli {
namespace {

// Model-layer option fields and the flags that set them.
const std::initializer_list<std::pair<const char*, const char*>> kFlagOf = {
    {"tensor_parallel", "--tp"},
    {"pipeline_parallel", "--pp"},
    {"data_parallel", "--dp"},
    {"zero_stage", "--zero"},
    {"micro_batch", "--micro-batch"},
    {"seq_len", "--seq-len"},
    {"num_microbatches", "--microbatches"},
    {"precision", "--precision"},
    {"grad_dtype", "--grad-dtype"},
    {"optimizer", "--optimizer"},
    {"weight_dtype", "--weight-dtype"},
    {"kv_bits", "--kv-dtype"},
    {"group_size", "--group-size"},
    {"scale_bits", "--scale-bits"},
    {"context", "--seq-len"},
    {"batch", "--batch"}};

void AddMemoryRow(io::Table& t,
                  const std::string& name,
                  std::int64_t bytes,
                  const std::string& note) {
  t.AddRow({io::Text(name),
            io::Integer(bytes),
            io::Bytes(static_cast<double>(bytes)),
            io::BytesSI(static_cast<double>(bytes)),
            io::Text(note)});
}

io::Table MemoryTable(const std::string& title) {
  return io::Table{"memory",
                   title,
                   {"component",
                    "memory_bytes",
                    "memory_binary_units",
                    "memory_si_units",
                    "note"},
                   {}};
}

io::Table FitTable(const std::string& what) {
  return io::Table{"fit",
                   "Does it fit?",
                   {"device",
                    "device_memory_bytes",
                    "needed_bytes",
                    "headroom_bytes",
                    "fits",
                    what},
                   {}};
}

void AddFitRow(io::Table& t,
               const model::Device& d,
               std::int64_t needed,
               std::int64_t largest) {
  const std::int64_t headroom = d.memory_bytes - needed;
  t.AddRow({io::Text(d.name),
            io::Bytes(static_cast<double>(d.memory_bytes)),
            io::Bytes(static_cast<double>(needed)),
            io::Bytes(static_cast<double>(headroom)),
            io::Text(headroom >= 0 ? "yes" : "no"),
            io::Integer(largest)});
}

model::WeightDtype KvDtype(const std::string& text) {
  if (text == "fp32") return model::WeightDtype::kFp32;
  if (text == "bf16" || text == "fp16") return model::WeightDtype::kBf16;
  if (text == "fp8") return model::WeightDtype::kFp8;
  if (text == "int8") return model::WeightDtype::kInt8;
  if (text == "int4") return model::WeightDtype::kInt4;
  throw InvalidInput(Flag("--kv-dtype"),
                     "unknown value '" + text +
                         "' (valid: fp32, bf16, fp16, fp8, int8, int4)");
}

void CommonNotes(std::vector<std::string>& notes) {
  notes.push_back(
      "memory in bytes; GiB = 2^30 bytes (nvidia-smi, PyTorch), GB = 1e9 bytes "
      "(vendors, ZeRO paper)");
}

int Training(const po::variables_map& vm,
             const model::Architecture& a,
             std::vector<std::string> notes,
             const std::vector<model::Device>* catalog,
             const std::optional<model::Device>& device,
             std::ostream& out) {
  model::TrainingMemoryOptions o;
  WithFlagNames(kFlagOf, [&] {
    o.states.precision =
        model::ParsePrecision(vm["precision"].as<std::string>());
    if (vm.count("grad-dtype") != 0U)
      o.states.grad_dtype =
          model::ParseGradientDtype(vm["grad-dtype"].as<std::string>());
    o.states.optimizer =
        model::ParseOptimizer(vm["optimizer"].as<std::string>());
    o.recompute = model::ParseRecompute(vm["recompute"].as<std::string>());
  });
  o.states.zero_stage = vm["zero"].as<std::int64_t>();
  o.states.data_parallel = PositiveInt(vm, "dp", 1);
  o.tensor_parallel = PositiveInt(vm, "tp", 1);
  o.pipeline_parallel = PositiveInt(vm, "pp", 1);
  o.sequence_parallel = vm["sequence-parallel"].as<bool>();
  o.flash_attention = vm["flash-attention"].as<bool>();
  o.dropout = vm["dropout"].as<bool>();
  o.micro_batch = PositiveInt(vm, "micro-batch", 1);
  o.num_microbatches =
      vm.count("microbatches") != 0U ? PositiveInt(vm, "microbatches", 1) : 0;
  o.seq_len = SeqLenFromOptions(vm, a, "sequence length", notes);
  if (o.sequence_parallel && o.tensor_parallel == 1) {
    notes.push_back(
        "--sequence-parallel has no effect without tensor parallelism (--tp "
        "1)");
  }
  const model::TrainingMemory m = WithFlagNames(
      kFlagOf, [&] { return model::EstimateTrainingMemory(a, o); });
  const model::StageMemory& st = m.most_loaded;
  const std::int64_t total_params = model::CountParameters(a).total();

  io::Report r;
  io::Table mem = MemoryTable(
      "Training memory per device (pipeline stage " + std::to_string(st.stage) +
      " of " + std::to_string(o.pipeline_parallel) + ", the most loaded)");
  AddMemoryRow(mem, "weights", st.states.weights, "");
  AddMemoryRow(mem, "gradients", st.states.gradients, "");
  AddMemoryRow(mem,
               "optimizer_states",
               st.states.optimizer_states,
               o.states.precision == model::Precision::kFp32
                   ? ""
                   : "incl. fp32 master weights");
  AddMemoryRow(mem,
               "activations",
               st.activations.total(),
               std::to_string(st.activations.in_flight) +
                   " micro-batch(es) in flight x " +
                   std::to_string(st.activations.layers) + " layers");
  AddMemoryRow(
      mem, "activations.blocks", st.activations.blocks, "transformer layers");
  if (st.activations.embedding > 0) {
    AddMemoryRow(mem,
                 "activations.embedding",
                 st.activations.embedding,
                 "token ids (int64) + embedding dropout mask");
  }
  if (st.activations.final_norm_and_logits > 0) {
    AddMemoryRow(mem,
                 "activations.final_norm_and_logits",
                 st.activations.final_norm_and_logits,
                 "final-norm and LM-head inputs + fp32 logits");
  }
  AddMemoryRow(mem, "total", st.total(), "");
  r.tables.push_back(std::move(mem));

  io::Table setup{"setup", "Setup", {"quantity", "value", "note"}, {}};
  setup.AddRow(
      {io::Text("total_params"), io::Count(total_params), io::Text("")});
  setup.AddRow({io::Text("params_per_device"),
                io::Count(st.params_per_device),
                io::Text("stage parameters / tensor parallel")});
  setup.AddRow({io::Text("bytes_per_param"),
                io::Real(m.bytes_per_param.total()),
                io::Text(model::DescribeBytesPerParam(o.states))});
  if (a.NumMoeLayers() < a.n_layers) {
    setup.AddRow({io::Text("activation_bytes_per_layer"),
                  io::Integer(model::LayerActivationBytes(a, o, false)),
                  io::Text(m.activation_formula)});
  }
  if (a.NumMoeLayers() > 0) {
    setup.AddRow(
        {io::Text("activation_bytes_per_moe_layer"),
         io::Integer(model::LayerActivationBytes(a, o, true)),
         io::Text("MLP activations of the top-k routed and shared experts")});
  }
  setup.AddRow({io::Text("parallelism"),
                io::Text("dp " + std::to_string(o.states.data_parallel) +
                         ", tp " + std::to_string(o.tensor_parallel) + ", pp " +
                         std::to_string(o.pipeline_parallel) + ", ZeRO " +
                         std::to_string(o.states.zero_stage) +
                         (o.sequence_parallel ? ", sequence parallel" : "")),
                io::Text("")});
  setup.AddRow({io::Text("micro_batch"),
                io::Integer(o.micro_batch),
                io::Text("sequences per micro-batch")});
  r.tables.push_back(std::move(setup));

  if (device) {
    io::Table fit = FitTable("largest_micro_batch");
    AddFitRow(fit,
              *device,
              st.total(),
              model::LargestMicroBatch(a, o, device->memory_bytes));
    r.tables.push_back(std::move(fit));
  }
  if (catalog != nullptr) {
    io::Table all = FitTable("largest_micro_batch");
    all.name = "devices";
    all.title = "Catalog devices";
    for (const model::Device& d : *catalog)
      AddFitRow(
          all, d, st.total(), model::LargestMicroBatch(a, o, d.memory_bytes));
    r.tables.push_back(std::move(all));
  }
  notes.push_back("bytes per parameter: " +
                  model::DescribeBytesPerParam(o.states));
  notes.push_back(
      "model states: ZeRO stage " + std::to_string(o.states.zero_stage) +
      " over " + std::to_string(o.states.data_parallel) +
      " data-parallel ranks (Rajbhandari et al. 2020: 1 shards optimizer "
      "states, 2 + gradients, 3 + "
      "weights); tensor parallel divides every parameter of the stage");
  notes.push_back(
      "activations: " + m.activation_formula + "; " +
      (o.states.precision == model::Precision::kFp32 ? "4" : "2") +
      "-byte activations, " +
      (o.dropout ? "1-byte dropout masks" : "no dropout (--dropout false)"));
  notes.push_back(
      "pipeline: 1F1B, the first stage holds min(p, micro-batches) "
      "micro-batches of ceil(L/p) layers "
      "plus the embeddings; the last stage holds the final norm, LM head and "
      "logits (Korthikanti et al. "
      "2022 Sec. 4.2.3; Megatron-LM theoretical_memory_usage.py bookkeeping)");
  notes.push_back(
      "not included: temporary buffers, communication buckets, allocator "
      "fragmentation, CUDA context");
  CommonNotes(notes);
  r.notes = std::move(notes);
  EmitReport(r, vm, out);
  return 0;
}

int Inference(const po::variables_map& vm,
              const model::Architecture& a,
              std::vector<std::string> notes,
              const std::vector<model::Device>* catalog,
              const std::optional<model::Device>& device,
              std::ostream& out) {
  model::InferenceMemoryOptions o;
  WithFlagNames(kFlagOf, [&] {
    o.weights.dtype =
        model::ParseWeightDtype(vm["weight-dtype"].as<std::string>());
  });
  o.weights.group_size = vm["group-size"].as<std::int64_t>();
  if (o.weights.group_size < 0)
    throw InvalidInput(Flag("--group-size"), "must not be negative");
  o.weights.scale_bits = PositiveInt(vm, "scale-bits", 16);
  o.kv_dtype = KvDtype(vm["kv-dtype"].as<std::string>());
  o.batch = PositiveInt(vm, "batch", 1);
  o.tensor_parallel = PositiveInt(vm, "tp", 1);
  o.context = SeqLenFromOptions(vm, a, "context", notes);
  const model::InferenceMemory m = WithFlagNames(
      kFlagOf, [&] { return model::EstimateInferenceMemory(a, o); });
  const std::int64_t total_params = model::CountParameters(a).total();

  io::Report r;
  io::Table mem = MemoryTable("Inference memory per device (tensor parallel " +
                              std::to_string(o.tensor_parallel) + ")");
  AddMemoryRow(mem,
               "weights",
               m.weights_per_device,
               std::string(model::ToString(o.weights.dtype)) +
                   (o.weights.group_size > 0
                        ? " + one " + std::to_string(o.weights.scale_bits) +
                              "-bit scale per " +
                              std::to_string(o.weights.group_size) + " weights"
                        : ""));
  AddMemoryRow(mem,
               "kv_cache",
               m.kv_cache_per_device,
               std::to_string(o.context) + " tokens x " +
                   std::to_string(o.batch) + " sequence(s)");
  AddMemoryRow(mem, "total", m.total_per_device(), "weights + KV cache");
  r.tables.push_back(std::move(mem));

  io::Table setup{"setup", "Setup", {"quantity", "value", "note"}, {}};
  setup.AddRow({io::Text("total_params"),
                io::Count(total_params),
                io::Text(a.moe.enabled() ? "all experts resident" : "")});
  setup.AddRow(
      {io::Text("kv_cache_bytes_per_token"),
       io::Integer(m.kv_cache_bytes_per_token),
       io::Text(a.mla.enabled()
                    ? "MLA latent: n_layers (kv_lora_rank + qk_rope_head_dim) "
                      "x bytes, whole model"
                    : "2 n_layers n_kv_heads head_dim x bytes, whole model")});
  if (!a.mla.enabled()) {
    setup.AddRow(
        {io::Text("kv_heads_per_device"),
         io::Integer(m.kv_heads_per_device),
         io::Text(std::to_string(a.kv_heads()) + " KV heads over tp " +
                  std::to_string(o.tensor_parallel) +
                  (a.kv_heads() < o.tensor_parallel ? " (replicated)" : ""))});
  }
  setup.AddRow(
      {io::Text("kv_bits"), io::Integer(o.kv_bits()), io::Text("--kv-dtype")});
  r.tables.push_back(std::move(setup));

  if (device) {
    io::Table fit = FitTable("largest_batch");
    AddFitRow(fit,
              *device,
              m.total_per_device(),
              model::LargestInferenceBatch(a, o, device->memory_bytes));
    r.tables.push_back(std::move(fit));
  }
  if (catalog != nullptr) {
    io::Table all = FitTable("largest_batch");
    all.name = "devices";
    all.title = "Catalog devices that can serve it (tp " +
                std::to_string(o.tensor_parallel) + ", context " +
                std::to_string(o.context) + ", batch " +
                std::to_string(o.batch) + ")";
    for (const model::Device& d : *catalog) {
      AddFitRow(all,
                d,
                m.total_per_device(),
                model::LargestInferenceBatch(a, o, d.memory_bytes));
    }
    r.tables.push_back(std::move(all));
  }
  notes.push_back(
      "inference memory = weights + KV cache; activations, workspace and "
      "framework overhead not included");
  notes.push_back("weights: every parameter at " +
                  std::to_string(model::BitsOf(o.weights.dtype)) +
                  " bits (embeddings included)");
  notes.push_back(a.mla.enabled()
                      ? "KV cache: MLA caches its compressed latent, "
                        "replicated on every tensor-parallel "
                        "rank (DeepSeek-V2 Sec. 2.1.3)"
                      : "KV cache: 2 x layers x kv_heads x head_dim x context "
                        "x batch x bytes, GQA/MQA aware; "
                        "KV heads split over tensor parallel ranks");
  CommonNotes(notes);
  r.notes = std::move(notes);
  EmitReport(r, vm, out);
  return 0;
}

}  // namespace

int RunMemory(const Args& args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description options("Options");
  AddArchitectureOptions(options);
  po::options_description train("Training (default)");
  train.add_options()("precision",
                      po::value<std::string>()->default_value("bf16"),
                      "fp32, bf16/fp16 (mixed, fp32 master) or fp8 (mixed)")(
      "grad-dtype",
      po::value<std::string>(),
      "gradient bytes: 16, 32 or 16+32 (default 32 for fp32, else 16)")(
      "optimizer",
      po::value<std::string>()->default_value("adam"),
      "adam, adamw, sgd-momentum, adafactor or adam8bit")(
      "zero",
      po::value<std::int64_t>()->default_value(0),
      "ZeRO stage 0-3 over the data-parallel degree")(
      "dp", po::value<std::int64_t>(), "data-parallel degree (default 1)")(
      "tp", po::value<std::int64_t>(), "tensor-parallel degree (default 1)")(
      "pp", po::value<std::int64_t>(), "pipeline-parallel degree (default 1)")(
      "sequence-parallel",
      po::bool_switch(),
      "sequence parallelism (Korthikanti et al. 2022)")(
      "recompute",
      po::value<std::string>()->default_value("none"),
      "activation recompute: none, selective or full")(
      "flash-attention",
      po::bool_switch(),
      "FlashAttention: no s^2 activations")(
      "dropout",
      po::value<bool>()->default_value(true),
      "count dropout masks (true/false)")(
      "micro-batch",
      po::value<std::int64_t>(),
      "sequences per micro-batch (default 1)")(
      "microbatches",
      po::value<std::int64_t>(),
      "micro-batches per step (default: at least the pipeline depth)")(
      "seq-len",
      po::value<std::int64_t>(),
      "sequence length / inference context (default: the model's context "
      "length, else 2048)");
  po::options_description serve("Inference (--inference)");
  serve.add_options()(
      "inference", po::bool_switch(), "serving memory: weights + KV cache")(
      "weight-dtype",
      po::value<std::string>()->default_value("bf16"),
      "fp32, bf16, fp16, fp8, int8 or int4")(
      "group-size",
      po::value<std::int64_t>()->default_value(0),
      "weights per quantization scale (0: none)")(
      "scale-bits",
      po::value<std::int64_t>(),
      "bits per quantization scale (default 16)")(
      "kv-dtype",
      po::value<std::string>()->default_value("bf16"),
      "KV cache: fp32, bf16, fp16, fp8, int8 or int4")(
      "batch", po::value<std::int64_t>(), "concurrent sequences (default 1)");
  po::options_description hw("Hardware");
  hw.add_options()("device",
                   po::value<std::string>(),
                   "a catalog device: does it fit, largest batch")(
      "catalog",
      po::value<std::string>(),
      "a hardware catalog JSON file instead of the built-in one")(
      "which-devices", po::bool_switch(), "check every catalog device");
  options.add(train).add(serve).add(hw);
  AddOutputOptions(options);
  const CommandHelp help{
      "memory",
      "training memory per device (weights, gradients, optimizer, activations) "
      "or inference memory",
      "scalesim memory (--preset NAME | --hf-config FILE | --arch FILE | "
      "flags) [--precision P] "
      "[--optimizer O] [--zero Z --dp N] [--tp T --pp P --sequence-parallel] "
      "[--recompute R] "
      "[--micro-batch B] [--seq-len S] [--device NAME] | --inference "
      "[--weight-dtype D] [--kv-dtype D] "
      "[--batch B] [--which-devices]",
      {"scalesim memory --preset llama2-7b --device a100-sxm4-80gb",
       "scalesim memory --preset gpt3-175b --tp 8 --pp 8 --sequence-parallel "
       "--recompute selective",
       "scalesim memory --preset llama2-70b --inference --weight-dtype int4 "
       "--group-size 128 --seq-len 4096 "
       "--batch 8 --which-devices"}};
  po::variables_map vm;
  if (!ParseOptions(args, options, help, vm, out)) return 0;
  // A flag of the other mode is an error, never silently ignored.
  const bool inference = vm["inference"].as<bool>();
  auto given = [&](const char* flag) {
    return vm.count(flag) != 0U && !vm[flag].defaulted();
  };
  for (const char* flag : {"precision",
                           "grad-dtype",
                           "optimizer",
                           "zero",
                           "dp",
                           "pp",
                           "sequence-parallel",
                           "recompute",
                           "flash-attention",
                           "dropout",
                           "micro-batch",
                           "microbatches"}) {
    if (inference && given(flag)) {
      throw InvalidInput(Flag(std::string("--") + flag),
                         "applies to training memory, not with --inference");
    }
  }
  for (const char* flag :
       {"weight-dtype", "group-size", "scale-bits", "kv-dtype", "batch"}) {
    if (!inference && given(flag)) {
      throw InvalidInput(Flag(std::string("--") + flag),
                         "applies to inference memory: add --inference");
    }
  }
  std::optional<model::Device> device;
  std::vector<model::Device> catalog;
  const bool which = vm["which-devices"].as<bool>();
  if (vm.count("device") != 0U || which || vm.count("catalog") != 0U)
    catalog = CatalogFromOptions(vm);
  if (vm.count("device") != 0U)
    device = io::FindDevice(
        catalog, vm["device"].as<std::string>(), Flag("--device"));
  std::vector<std::string> notes;
  const model::Architecture a = ArchitectureFromOptions(vm, notes);
  if (inference)
    return Inference(
        vm, a, std::move(notes), which ? &catalog : nullptr, device, out);
  return Training(
      vm, a, std::move(notes), which ? &catalog : nullptr, device, out);
}

}  // namespace scalesim::cli
