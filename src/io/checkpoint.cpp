#include "scalesim/io/checkpoint.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>

#include "scalesim/core/checked.hpp"
#include "scalesim/model/params.hpp"
#include "scalesim/model/params_report.hpp"

namespace scalesim::io {
namespace {

using I = std::int64_t;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> Split(std::string_view name) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    out.push_back(name.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

bool IsNumber(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) != 0;
         });
}

TensorRole Component(std::string name, I per_element = 1) {
  return {std::move(name), per_element, ""};
}
TensorRole Ignored(std::string why) { return {"", 1, std::move(why)}; }

// A tensor of one decoder layer, by the rest of its name.
TensorRole LayerRole(std::string_view rest, I per_element) {
  if (rest == "attn.bias" || rest == "attn.masked_bias" ||
      rest == "attention.bias" || rest == "attention.masked_bias" ||
      rest.find("rotary_emb") != std::string_view::npos ||
      EndsWith(rest, "inv_freq")) {
    return Ignored("buffer");
  }
  if (EndsWith(rest, ".sinks")) return Component("attention_sinks");
  if (rest.find("indexer.") != std::string_view::npos)
    return Component("indexer");
  if (StartsWith(rest, "linear_attn.")) return Component("linear_attention");
  for (std::string_view p : {"mlp.gate.",
                             "mlp.router.",
                             "block_sparse_moe.gate.",
                             "block_sparse_moe.router.",
                             "feed_forward.router.",
                             "mlp.shared_expert_gate."}) {
    if (StartsWith(rest, p)) return Component("router");
  }
  for (std::string_view p :
       {"self_attn.", "attn.", "attention.", "self_attention."}) {
    if (StartsWith(rest, p)) return Component("attention");
  }
  for (std::string_view p :
       {"mlp.", "feed_forward.", "block_sparse_moe.", "moe.", "fc1.", "fc2."}) {
    if (StartsWith(rest, p)) return Component("mlp", per_element);
  }
  const std::string_view first = rest.substr(0, rest.find('.'));
  if (first.find("norm") != std::string_view::npos || StartsWith(first, "ln_"))
    return Component("block_norms");
  return {};
}

}  // namespace

TensorRole RoleOfTensor(std::string_view name, std::int64_t n_layers) {
  // Quantisation side tensors are not parameters.
  for (std::string_view s :
       {"_scales", "weight_scale_inv", ".weight_scale", ".input_scale"}) {
    if (EndsWith(name, s)) return Ignored("quantisation scales");
  }
  // gpt-oss MXFP4: two FP4 values per stored byte.
  const I per_element = EndsWith(name, "_blocks") ? 2 : 1;
  const std::vector<std::string_view> seg = Split(name);
  if (seg.front() == "mtp") return Ignored("multi-token prediction");
  for (std::size_t i = 0; i < seg.size() && i < 3; ++i) {
    if (seg[i] == "multi_modal_projector")
      return Component("multimodal_projector");
    if (seg[i] == "vision_tower" || seg[i] == "vision_model" ||
        seg[i] == "visual") {
      if (i + 1 < seg.size() && seg[i + 1] == "merger")
        return Component("multimodal_projector");
      return Component("vision_tower");
    }
  }
  for (std::size_t i = 0; i + 1 < seg.size(); ++i) {
    if ((seg[i] == "layers" || seg[i] == "h") && IsNumber(seg[i + 1])) {
      const I index = std::stoll(std::string(seg[i + 1]));
      if (index >= n_layers) {
        return Ignored("layer " + std::to_string(index) +
                       " >= num_hidden_layers (multi-token prediction)");
      }
      const std::size_t offset =
          static_cast<std::size_t>(seg[i + 1].data() - name.data()) +
          seg[i + 1].size() + 1;
      return LayerRole(offset < name.size() ? name.substr(offset) : "",
                       per_element);
    }
  }
  auto has = [&](std::string_view s) {
    return std::find(seg.begin(), seg.end(), s) != seg.end();
  };
  if (has("position_ids") || EndsWith(name, "inv_freq"))
    return Ignored("buffer");
  if (has("word_embeddings_layernorm")) return Component("embedding_norm");
  if (has("embed_tokens") || has("wte") || has("word_embeddings") ||
      has("embed_in")) {
    return Component("token_embedding");
  }
  if (has("wpe") || has("embed_positions"))
    return Component("position_embedding");
  if (has("project_in") || has("project_out"))
    return Component("embedding_projection");
  if (has("lm_head") || has("embed_out")) return Component("lm_head");
  if (has("norm") || has("ln_f") || has("final_layernorm") ||
      has("final_layer_norm") || has("norm_f")) {
    return Component("final_norm");
  }
  return {};
}

CheckpointComparison CompareCheckpoint(const model::Architecture& arch,
                                       const CheckpointTensors& tensors) {
  const model::ParamBreakdown p = model::CountParameters(arch);
  const std::vector<model::ComponentRow> rows = model::ComponentRows(p);
  const std::string mlp_name = p.n_moe_blocks > 0 ? "mlp_and_experts" : "mlp";
  const std::string what = "parameters in " + tensors.directory;

  CheckpointComparison r;
  r.directory = tensors.directory;
  r.files = static_cast<I>(tensors.files.size());
  r.tensors = tensors.tensor_count();
  r.data_bytes = tensors.data_bytes();
  r.index_total_size = tensors.index_total_size;

  std::map<std::string, I> stored;
  std::vector<std::string> unmapped;
  I unmapped_params = 0;
  I ignored_values = 0;
  for (const SafetensorsFile& f : tensors.files) {
    for (const SafetensorsTensor& t : f.tensors) {
      TensorRole role = RoleOfTensor(t.name, arch.n_layers);
      const I n = CheckedMul(t.numel, role.per_element, what);
      if (!role.ignored.empty()) {
        ++r.ignored_tensors;
        ignored_values = CheckedAdd(ignored_values, t.numel, what);
        continue;
      }
      if (role.component.empty()) {
        unmapped.push_back(t.name);
        unmapped_params = CheckedAdd(unmapped_params, n, what);
        continue;
      }
      if (role.component == "mlp") role.component = mlp_name;
      stored[role.component] = CheckedAdd(stored[role.component], n, what);
    }
  }
  std::vector<std::string> mismatched;
  auto add = [&](const std::string& name, I config, I checkpoint) {
    CheckpointRow row{name, config, checkpoint, "match"};
    if (config != checkpoint) {
      row.status = config == 0       ? "not in config.json"
                   : checkpoint == 0 ? "not in the checkpoint"
                                     : "mismatch";
      if (name == "lm_head" && arch.tied_embeddings && config == 0) {
        row.status = "stored, but config.json ties it to the embedding";
      }
      mismatched.push_back(name);
      r.matches = false;
    }
    r.rows.push_back(std::move(row));
  };
  for (const model::ComponentRow& row : rows) {
    if (row.component == "blocks" || row.component == "total" ||
        row.component == "checkpoint_total") {
      continue;
    }
    auto it = stored.find(row.component);
    add(row.component, row.params, it == stored.end() ? 0 : it->second);
    if (it != stored.end()) stored.erase(it);
  }
  for (const auto& [name, n] : stored) add(name, 0, n);  // config has none
  if (!unmapped.empty()) add("unmapped", 0, unmapped_params);
  I total = unmapped_params;
  for (const CheckpointRow& row : r.rows) {
    if (row.component != "unmapped")
      total = CheckedAdd(total, row.from_checkpoint, what);
  }
  r.rows.push_back({"total",
                    p.checkpoint_total(),
                    total,
                    p.checkpoint_total() == total ? "match" : "mismatch"});
  if (r.ignored_tensors > 0) {
    r.rows.push_back({"ignored (not parameters)",
                      0,
                      ignored_values,
                      std::to_string(r.ignored_tensors) + " tensors"});
  }

  r.notes.push_back(
      "checkpoint " + r.directory + ": " + std::to_string(r.tensors) +
      " tensors in " + std::to_string(r.files) +
      " safetensors files, counted from their headers (shapes); "
      "metadata.total_parameters is never used (it counts tied embeddings "
      "twice), nor total_size (bytes, not parameters, when dtypes mix)");
  if (r.ignored_tensors > 0) {
    r.notes.push_back(
        "ignored: quantisation scales, stored buffers and layers transformers "
        "does not build (multi-token prediction); MXFP4 *_blocks count two "
        "parameters per byte");
  }
  if (!r.matches) {
    std::string list;
    for (const std::string& m : mismatched)
      list += (list.empty() ? "" : ", ") + m;
    r.notes.push_back("the checkpoint differs from config.json in: " + list);
  }
  if (!unmapped.empty()) {
    std::string names;
    const std::size_t shown = std::min<std::size_t>(unmapped.size(), 5);
    for (std::size_t i = 0; i < shown; ++i)
      names += (i == 0 ? "" : ", ") + unmapped[i];
    r.notes.push_back(
        "tensors of no known component: " + names +
        (unmapped.size() > shown
             ? " and " + std::to_string(unmapped.size() - shown) + " more"
             : ""));
  }
  return r;
}

Schema<CheckpointRow> CheckpointSchema() {
  using R = CheckpointRow;
  Schema<R> s{"checkpoint",
              "Checkpoint tensors against config.json, by component",
              {},
              nullptr};
  s.Add("component", CellKind::kText, [](const R& r) {
    return CellValue{r.component};
  });
  s.Add("from_config", CellKind::kCount, [](const R& r) {
    return CellValue{r.from_config};
  });
  s.Add("from_checkpoint", CellKind::kCount, [](const R& r) {
    return CellValue{r.from_checkpoint};
  });
  s.Add("difference", CellKind::kInteger, [](const R& r) {
    return CellValue{r.difference()};
  });
  s.Add("status", CellKind::kText, [](const R& r) {
    return CellValue{r.status};
  });
  return s;
}

}  // namespace scalesim::io
