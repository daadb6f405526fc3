#include "scalesim/io/safetensors.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "scalesim/core/error.hpp"

#include "io/json_text.hpp"

namespace scalesim::io {
namespace {

using json = nlohmann::json;
using I = std::int64_t;
constexpr I kMaxI = std::numeric_limits<I>::max();

// A checkpoint of more shards than this is not a real one (the largest
// public checkpoints have a few hundred).
constexpr std::size_t kMaxShards = 100'000;

[[noreturn]] void Fail(std::string_view source, const std::string& problem) {
  throw InvalidInput(InputLocation{std::string(source), 0, ""}, problem);
}

// Builds the tensor list while parsing, so that a hostile header is refused
// at the first bad token and never becomes a document in memory: nesting
// deeper than tensor -> shape list, duplicate names, unknown fields and
// values of the wrong type stop the parser.
class HeaderSax : public nlohmann::json_sax<json> {
 public:
  std::vector<SafetensorsTensor> tensors;
  std::map<std::string, std::string> metadata;
  std::string error;  // set when parsing stopped on a structural problem

  bool null() override { return Scalar("null"); }
  bool boolean(bool /*value*/) override { return Scalar("a boolean"); }
  bool number_integer(number_integer_t value) override {
    if (value < 0) return Stop("negative number in " + Where());
    return Number(static_cast<std::uint64_t>(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    return Number(value);
  }
  bool number_float(number_float_t /*value*/,
                    const string_t& /*text*/) override {
    return Scalar("a fractional number");
  }
  bool string(string_t& value) override {
    if (depth_ == 2 && in_metadata_) {
      metadata[key2_] = value;
      return true;
    }
    if (depth_ == 2 && key2_ == "dtype") {
      tensors.back().dtype = value;
      has_dtype_ = true;
      return true;
    }
    return Scalar("a string");
  }
  bool binary(binary_t& /*value*/) override { return Scalar("binary data"); }

  bool start_object(std::size_t /*elements*/) override {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) {
      depth_ = 2;
      seen2_.clear();
      if (!in_metadata_) {
        has_dtype_ = has_shape_ = has_offsets_ = false;
      }
      return true;
    }
    return Stop("nested object in " + Where() +
                " (a safetensors header nests no deeper than tensor -> "
                "shape)");
  }
  bool end_object() override {
    if (depth_ == 2 && !in_metadata_) {
      if (!has_dtype_ || !has_shape_ || !has_offsets_) {
        return Stop("tensor '" + key1_ +
                    "' lacks dtype, shape or data_offsets");
      }
    }
    --depth_;
    return true;
  }
  bool start_array(std::size_t /*elements*/) override {
    if (depth_ == 2 && !in_metadata_ &&
        (key2_ == "shape" || key2_ == "data_offsets")) {
      depth_ = 3;
      array_.clear();
      return true;
    }
    if (depth_ == 0) return Stop("the header is not a JSON object");
    return Stop("unexpected list in " + Where());
  }
  bool end_array() override {
    depth_ = 2;
    SafetensorsTensor& t = tensors.back();
    if (key2_ == "shape") {
      I numel = 1;
      for (std::uint64_t dim : array_) {
        const I d = static_cast<I>(dim);
        if (d != 0 && numel > kMaxI / d) {
          return Stop("the shape of tensor '" + key1_ +
                      "' has more than 2^63 elements");
        }
        numel *= d;
        t.shape.push_back(d);
      }
      t.numel = numel;
      has_shape_ = true;
      return true;
    }
    if (array_.size() != 2) {
      return Stop("data_offsets of tensor '" + key1_ +
                  "' must be two integers [begin, end]");
    }
    t.data_begin = static_cast<I>(array_[0]);
    t.data_end = static_cast<I>(array_[1]);
    has_offsets_ = true;
    return true;
  }
  bool key(string_t& value) override {
    if (depth_ == 1) {
      if (!names_.insert(value).second) {
        return Stop("tensor '" + value + "' is listed twice");
      }
      key1_ = value;
      in_metadata_ = value == "__metadata__";
      if (!in_metadata_) {
        tensors.emplace_back();
        tensors.back().name = value;
      }
      return true;
    }
    // depth 2: a field of a tensor or a metadata key.
    if (!seen2_.insert(value).second) {
      return Stop("field '" + value + "' of '" + key1_ + "' is given twice");
    }
    key2_ = value;
    if (!in_metadata_ && value != "dtype" && value != "shape" &&
        value != "data_offsets") {
      return Stop("unknown field '" + value + "' in tensor '" + key1_ + "'");
    }
    return true;
  }
  bool parse_error(std::size_t position,
                   const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    if (error.empty()) {
      error = "the header is not valid UTF-8 JSON (byte " +
              std::to_string(position) + " of the header)";
    }
    return false;
  }

 private:
  bool Stop(std::string problem) {
    if (error.empty()) error = std::move(problem);
    return false;
  }
  std::string Where() const {
    if (depth_ <= 1) return "the header";
    if (in_metadata_) return "__metadata__";
    return "tensor '" + key1_ + "' field '" + key2_ + "'";
  }
  bool Scalar(const char* what) {
    if (depth_ == 1) {
      return Stop("entry '" + key1_ + "' must be an object, got " + what);
    }
    if (depth_ == 2 && in_metadata_) {
      return Stop("__metadata__ value '" + key2_ + "' must be a string, got " +
                  what);
    }
    return Stop(std::string(what) + " in " + Where());
  }
  bool Number(std::uint64_t value) {
    if (depth_ != 3) return Scalar("a number");
    if (value > static_cast<std::uint64_t>(kMaxI)) {
      return Stop("a value in " + Where() + " exceeds 2^63 - 1");
    }
    array_.push_back(value);
    return true;
  }

  int depth_ = 0;
  bool in_metadata_ = false;
  bool has_dtype_ = false;
  bool has_shape_ = false;
  bool has_offsets_ = false;
  std::string key1_;
  std::string key2_;
  std::set<std::string> names_;
  std::set<std::string> seen2_;
  std::vector<std::uint64_t> array_;
};

std::string Count(I v) { return std::to_string(v); }

// The byte ranges must tile the data buffer: sorted by offset, each tensor
// starts where the previous ended, sizes match shapes, the last ends at the
// end of the file.
void CheckLayout(std::vector<SafetensorsTensor> tensors,
                 I buffer_bytes,
                 std::string_view source) {
  for (const SafetensorsTensor& t : tensors) {
    const int bits = SafetensorsDtypeBits(t.dtype);
    if (bits == 0) {
      Fail(source,
           "tensor '" + t.name + "' has unknown dtype '" + t.dtype + "'");
    }
    if (t.numel > kMaxI / bits) {
      Fail(source, "tensor '" + t.name + "' is larger than 2^63 bits");
    }
    const I bit_count = t.numel * bits;
    if (bit_count % 8 != 0) {
      Fail(source,
           "tensor '" + t.name + "' of " + Count(t.numel) + " " + t.dtype +
               " elements does not fill whole bytes");
    }
    if (t.data_end < t.data_begin ||
        t.data_end - t.data_begin != bit_count / 8) {
      Fail(source,
           "tensor '" + t.name + "' has data_offsets [" + Count(t.data_begin) +
               ", " + Count(t.data_end) + "] but its shape needs " +
               Count(bit_count / 8) + " bytes");
    }
  }
  std::sort(tensors.begin(),
            tensors.end(),
            [](const SafetensorsTensor& a, const SafetensorsTensor& b) {
              return std::pair(a.data_begin, a.data_end) <
                     std::pair(b.data_begin, b.data_end);
            });
  I next = 0;
  for (const SafetensorsTensor& t : tensors) {
    if (t.data_begin != next) {
      Fail(source,
           "tensor '" + t.name + "' starts at byte " + Count(t.data_begin) +
               " of the data, expected " + Count(next) +
               " (overlapping or a gap)");
    }
    next = t.data_end;
  }
  if (next != buffer_bytes) {
    Fail(source,
         "the tensors cover " + Count(next) +
             " bytes of data but the file holds " + Count(buffer_bytes) +
             (next > buffer_bytes ? " (truncated?)" : ""));
  }
}

bool IsPlainFileName(const std::string& name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

}  // namespace

int SafetensorsDtypeBits(std::string_view dtype) {
  static constexpr std::array<std::pair<std::string_view, int>, 22> kBits = {{
      {"BOOL", 8},    {"F4", 4},          {"F6_E2M3", 6},     {"F6_E3M2", 6},
      {"U8", 8},      {"I8", 8},          {"F8_E5M2", 8},     {"F8_E4M3", 8},
      {"F8_E8M0", 8}, {"F8_E4M3FNUZ", 8}, {"F8_E5M2FNUZ", 8}, {"I16", 16},
      {"U16", 16},    {"F16", 16},        {"BF16", 16},       {"I32", 32},
      {"U32", 32},    {"F32", 32},        {"C64", 64},        {"F64", 64},
      {"I64", 64},    {"U64", 64},
  }};
  for (const auto& [name, bits] : kBits) {
    if (name == dtype) return bits;
  }
  return 0;
}

SafetensorsFile ParseSafetensorsHeader(std::string_view bytes,
                                       std::int64_t file_bytes,
                                       std::string_view source) {
  if (file_bytes < 8 || bytes.size() < 8) {
    Fail(source,
         "not a safetensors file: " + Count(file_bytes) +
             " bytes, shorter than the 8-byte header length");
  }
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) {
    n = (n << 8) |
        static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  }
  if (n > static_cast<std::uint64_t>(kMaxSafetensorsHeaderBytes)) {
    Fail(source,
         "header length " + std::to_string(n) +
             " bytes exceeds the 100,000,000-byte limit of the "
             "format");
  }
  const I header = static_cast<I>(n);
  if (8 + header > file_bytes ||
      static_cast<std::size_t>(8 + header) > bytes.size()) {
    Fail(source,
         "header length " + Count(header) +
             " bytes runs past the end of the file (" + Count(file_bytes) +
             " bytes)");
  }
  const std::string_view text =
      bytes.substr(8, static_cast<std::size_t>(header));
  if (text.empty() || text.front() != '{') {
    Fail(source, "the header does not begin with '{'");
  }
  HeaderSax sax;
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (!ok || !sax.error.empty()) {
    Fail(source,
         sax.error.empty() ? "the header is not valid JSON" : sax.error);
  }
  SafetensorsFile f;
  f.path = std::string(source);
  f.file_bytes = file_bytes;
  f.header_bytes = header;
  f.metadata = std::move(sax.metadata);
  CheckLayout(sax.tensors, file_bytes - 8 - header, source);
  f.tensors = std::move(sax.tensors);
  return f;
}

SafetensorsFile ReadSafetensorsHeader(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) Fail(path, "cannot read file");
  if (!std::filesystem::is_regular_file(status)) {
    Fail(path, "not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) Fail(path, "cannot read file");
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(path, "cannot read file");
  std::string bytes(8, '\0');
  in.read(bytes.data(), 8);
  const auto file_bytes = static_cast<I>(
      std::min<std::uintmax_t>(size, static_cast<std::uintmax_t>(kMaxI)));
  if (in.gcount() == 8) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) {
      n = (n << 8) |
          static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
    }
    // Read the header only when the length is plausible; otherwise the
    // parser reports the length.
    if (n <= static_cast<std::uint64_t>(kMaxSafetensorsHeaderBytes) &&
        static_cast<std::uintmax_t>(8 + n) <= size) {
      bytes.resize(static_cast<std::size_t>(8 + n));
      in.read(bytes.data() + 8, static_cast<std::streamsize>(n));
      if (in.gcount() != static_cast<std::streamsize>(n)) {
        Fail(path, "cannot read the header");
      }
    }
  } else {
    bytes.resize(static_cast<std::size_t>(in.gcount()));
  }
  return ParseSafetensorsHeader(bytes, file_bytes, path);
}

std::int64_t CheckpointTensors::tensor_count() const {
  I n = 0;
  for (const SafetensorsFile& f : files) n += static_cast<I>(f.tensors.size());
  return n;
}

std::int64_t CheckpointTensors::data_bytes() const {
  I n = 0;
  for (const SafetensorsFile& f : files) n += f.file_bytes - 8 - f.header_bytes;
  return n;
}

CheckpointTensors ReadCheckpointTensors(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    Fail(directory, "not a directory (give the checkpoint folder)");
  }
  CheckpointTensors out;
  out.directory = directory;
  const fs::path dir(directory);
  const fs::path index_path = dir / "model.safetensors.index.json";
  std::vector<std::string> shards;
  std::map<std::string, std::string> weight_map;
  if (fs::exists(index_path, ec)) {
    out.has_index = true;
    const std::string source = index_path.string();
    if (!fs::is_regular_file(index_path, ec))
      Fail(source, "not a regular file");
    std::ifstream in(index_path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
    const json doc = internal::ParseJsonText(text, source);
    if (!doc.is_object()) Fail(source, "expected a JSON object");
    auto map_it = doc.find("weight_map");
    if (map_it == doc.end() || !map_it->is_object()) {
      throw InvalidInput(InputLocation{source, 0, "weight_map"},
                         "missing: an object of tensor name -> shard file");
    }
    if (auto meta = doc.find("metadata");
        meta != doc.end() && meta->is_object()) {
      if (auto ts = meta->find("total_size");
          ts != meta->end() && ts->is_number_integer()) {
        out.index_total_size = ts->get<I>();
      }
    }
    std::set<std::string> unique;
    for (auto it = map_it->begin(); it != map_it->end(); ++it) {
      if (!it->is_string()) {
        throw InvalidInput(InputLocation{source, 0, "weight_map." + it.key()},
                           "must be a shard file name");
      }
      const std::string shard = it->get<std::string>();
      if (!IsPlainFileName(shard)) {
        throw InvalidInput(
            InputLocation{source, 0, "weight_map." + it.key()},
            "shard '" + shard + "' is not a file name inside the folder");
      }
      weight_map[it.key()] = shard;
      if (unique.insert(shard).second) shards.push_back(shard);
    }
    if (shards.size() > kMaxShards) Fail(source, "too many shards");
  } else {
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.size() > 12 &&
          name.compare(name.size() - 12, 12, ".safetensors") == 0) {
        shards.push_back(name);
        if (shards.size() > kMaxShards) Fail(directory, "too many shards");
      }
    }
    std::sort(shards.begin(), shards.end());
    if (shards.empty()) {
      Fail(directory,
           "no model.safetensors.index.json and no *.safetensors files");
    }
  }
  std::map<std::string, std::string> where;  // tensor -> shard
  for (const std::string& shard : shards) {
    SafetensorsFile f = ReadSafetensorsHeader((dir / shard).string());
    for (const SafetensorsTensor& t : f.tensors) {
      auto [it, inserted] = where.emplace(t.name, shard);
      if (!inserted) {
        Fail(f.path, "tensor '" + t.name + "' is also in " + it->second);
      }
      if (out.has_index) {
        auto listed = weight_map.find(t.name);
        if (listed == weight_map.end() || listed->second != shard) {
          Fail(f.path,
               "tensor '" + t.name +
                   "' is not listed for this shard in "
                   "model.safetensors.index.json");
        }
      }
    }
    out.files.push_back(std::move(f));
  }
  for (const auto& [name, shard] : weight_map) {
    if (where.count(name) == 0U) {
      Fail((dir / "model.safetensors.index.json").string(),
           "tensor '" + name + "' is listed in shard " + shard +
               " but not stored there");
    }
  }
  return out;
}

}  // namespace scalesim::io
