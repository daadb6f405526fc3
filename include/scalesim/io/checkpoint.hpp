// A downloaded checkpoint against its config.json: the parameters stored in
// its safetensors files (from the headers only, io/safetensors.hpp), mapped
// by tensor name to the components of the parameter report and compared
// with the count derived from the config, component by component.
//
// Tensor names follow transformers' state dicts (model.layers.N.self_attn.*,
// mlp.*, language_model.*, vision_tower.*, multi_modal_projector.*, ...).
// Counted as stored, except: gpt-oss's MXFP4 "*_blocks" hold two 4-bit
// values per byte (their logical parameters are twice the bytes);
// quantisation scales ("*_scales", "weight_scale_inv", "weight_scale",
// "input_scale"), buffers some checkpoints store (GPT-2's attn.bias masks,
// rotary inv_freq, position_ids) and layers transformers does not build
// (mtp.*, layers numbered num_hidden_layers or more: multi-token
// prediction) are listed as ignored, not parameters. A tensor of no known
// component is a mismatch named in the notes.
#ifndef SCALESIM_IO_CHECKPOINT_HPP_
#define SCALESIM_IO_CHECKPOINT_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/schema.hpp"
#include "scalesim/io/safetensors.hpp"
#include "scalesim/model/architecture.hpp"

namespace scalesim::io {

// The component a tensor belongs to ("attention", "lm_head", ...; the names
// of model::ComponentRows), how many parameters one stored element holds,
// or why it is no parameter.
struct TensorRole {
  std::string component;  // empty: ignored or unmapped
  std::int64_t per_element = 1;
  std::string ignored;  // why it is not a parameter (empty otherwise)
};
TensorRole RoleOfTensor(std::string_view name, std::int64_t n_layers);

struct CheckpointRow {
  std::string component;
  std::int64_t from_config = 0;
  std::int64_t from_checkpoint = 0;
  std::string status;  // match, mismatch, ...
  std::int64_t difference() const { return from_checkpoint - from_config; }
};

struct CheckpointComparison {
  std::string directory;
  std::int64_t files = 0;
  std::int64_t tensors = 0;
  std::int64_t ignored_tensors = 0;
  std::int64_t data_bytes = 0;  // of every tensor, as stored
  std::optional<std::int64_t> index_total_size;
  std::vector<CheckpointRow> rows;  // components, then "total"
  std::vector<std::string> notes;   // mismatches and unmapped tensors named
  bool matches = true;              // every component equal
};

CheckpointComparison CompareCheckpoint(const model::Architecture& arch,
                                       const CheckpointTensors& tensors);

// Columns: component, from_config, from_checkpoint, difference, status.
Schema<CheckpointRow> CheckpointSchema();

}  // namespace scalesim::io

#endif  // SCALESIM_IO_CHECKPOINT_HPP_
