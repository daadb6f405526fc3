// The headers of safetensors files and of a downloaded checkpoint folder:
// every tensor's name, dtype and shape, without reading the weights (a 1 TB
// checkpoint is counted in milliseconds).
//
// Format (huggingface/safetensors README, "Format"; safetensors/src/
// tensor.rs): 8 bytes N, an unsigned little-endian 64-bit header length;
// N bytes of UTF-8 JSON, an object beginning with '{' (possibly padded at
// the end with spaces) mapping each tensor name to {"dtype": "BF16",
// "shape": [4096, 4096], "data_offsets": [begin, end]} plus an optional
// "__metadata__" object of strings; then the data buffer, whose bytes
// [begin, end) hold the tensor, row-major, end - begin = numel * bits / 8.
// The reader enforces what the reference reader enforces, so a hostile or
// damaged file is bad input (InvalidInput naming the file), never a crash:
// at least 8 bytes; N at most 100,000,000 (MAX_HEADER_SIZE); 8 + N within
// the file; valid UTF-8 JSON of that shape and no deeper (tensor -> shape
// list); no duplicate names; known dtypes; shapes of non-negative integers
// whose element count fits in int64; byte ranges matching the shapes,
// contiguous from 0 and covering the rest of the file exactly (a truncated
// download is caught here).
#ifndef SCALESIM_IO_SAFETENSORS_HPP_
#define SCALESIM_IO_SAFETENSORS_HPP_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scalesim::io {

inline constexpr std::int64_t kMaxSafetensorsHeaderBytes = 100'000'000;

struct SafetensorsTensor {
  std::string name;
  std::string dtype;  // "BF16", "F32", "U8", "F8_E4M3", ...
  std::vector<std::int64_t> shape;
  std::int64_t numel = 0;       // product of the shape (1 for a scalar)
  std::int64_t data_begin = 0;  // byte offsets into the data buffer
  std::int64_t data_end = 0;
};

struct SafetensorsFile {
  std::string path;
  std::int64_t file_bytes = 0;
  std::int64_t header_bytes = 0;                // N
  std::vector<SafetensorsTensor> tensors;       // in header order
  std::map<std::string, std::string> metadata;  // "__metadata__"
};

// Bits per element of a safetensors dtype (BF16: 16, F4: 4, ...); 0 for a
// name the format does not define.
int SafetensorsDtypeBits(std::string_view dtype);

// Parses a header from the first bytes of a file (`bytes` holds at least the
// 8-byte length and the header, or the whole file) of `file_bytes` bytes.
// Errors name `source`.
SafetensorsFile ParseSafetensorsHeader(std::string_view bytes,
                                       std::int64_t file_bytes,
                                       std::string_view source);

// Reads only the header of the file at `path` (a regular file; a
// directory, FIFO or device is refused before it is opened).
SafetensorsFile ReadSafetensorsHeader(const std::string& path);

// The tensors of a checkpoint folder: the shards listed in
// model.safetensors.index.json when it exists (every name of its weight_map
// must be in the shard it names, every tensor of a shard in the weight_map,
// shards plain file names inside the folder), else every *.safetensors file
// in it. Tensor names are unique across shards. The index's
// metadata.total_size is kept for information only: it counts bytes, which
// are not parameters when dtypes are mixed (gpt-oss stores MXFP4 experts),
// and metadata.total_parameters (some repositories add it) counts tied
// embeddings twice, so neither is used for counting.
struct CheckpointTensors {
  std::string directory;
  std::vector<SafetensorsFile> files;
  bool has_index = false;
  std::optional<std::int64_t> index_total_size;
  std::int64_t tensor_count() const;
  std::int64_t data_bytes() const;  // sum of every tensor's bytes
};
CheckpointTensors ReadCheckpointTensors(const std::string& directory);

}  // namespace scalesim::io

#endif  // SCALESIM_IO_SAFETENSORS_HPP_
