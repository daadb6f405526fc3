// Private to io: typed reading of a Hugging Face config.json object for the
// family importers (src/io/hf/*.cpp), naming the file and the config key in
// every error.
#ifndef SCALESIM_SRC_IO_HF_FIELDS_HPP_
#define SCALESIM_SRC_IO_HF_FIELDS_HPP_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace scalesim::io::hf {

using json = nlohmann::json;

// The config keys an import read, by the scalesim field they set
// ("n_kv_heads" -> "num_key_value_heads", "d_model" ->
// "text_config.hidden_size"), so that a consistency error found later by
// model::Validate names the key of the user's file.
using KeyNames = std::map<std::string, std::string, std::less<>>;

// Reads typed fields of one JSON object. A key present with null counts as
// absent (transformers' configuration classes mostly do the same); IsNull
// tells the two apart where a family treats them differently.
class Fields {
 public:
  Fields(const json& obj, std::string source, std::string prefix = "");

  // A value as text for messages; invalid UTF-8 is replaced, not thrown on.
  static std::string Show(const json& v);

  // Throws InvalidInput "<source>: field '<prefix><key>': <problem>".
  [[noreturn]] void Fail(std::string_view key, std::string_view problem) const;

  // First key present with a non-null value.
  const json* Find(std::initializer_list<const char*> keys,
                   std::string* found = nullptr) const;
  bool Has(const char* key) const;     // present, null or not
  bool IsNull(const char* key) const;  // present with the value null

  std::optional<std::int64_t> Int(
      std::initializer_list<const char*> keys) const;
  std::int64_t RequireInt(std::initializer_list<const char*> keys) const;
  std::int64_t IntOr(std::initializer_list<const char*> keys,
                     std::int64_t fallback) const;
  bool BoolOr(std::initializer_list<const char*> keys, bool fallback) const;
  std::optional<std::string> Str(std::initializer_list<const char*> keys) const;
  // Lists; an absent or null key is an empty list. At most kMaxListLength
  // entries (a per-layer list of a real model has at most a few hundred).
  std::vector<std::int64_t> IntList(const char* key) const;
  std::vector<std::string> StrList(const char* key) const;

  // The same reads for a scalesim field: errors about `field` found later
  // (model::Validate) name the key found, or the first key when absent.
  std::int64_t Require(std::string_view field,
                       std::initializer_list<const char*> keys) const;
  std::int64_t Or(std::string_view field,
                  std::initializer_list<const char*> keys,
                  std::int64_t fallback) const;
  // factor * `value` (read for `field`), checked: an overflow names the key
  // `field` came from ("n_embd: d_ff (n_inner unset) = 4 * 3e18 ...").
  std::int64_t Times(std::int64_t factor,
                     std::string_view field,
                     std::int64_t value,
                     std::string_view what) const;
  // Records that `field` came from `key` (prefixed) without reading it.
  void Name(std::string_view field, std::string_view key) const;

  // A nested object (text_config, vision_config) read with the prefix
  // "<prefix><key>." and sharing this reader's key names; nullopt when
  // absent or null, an error when not an object.
  std::optional<Fields> Object(const char* key) const;
  // The same, over an empty object when the key is absent or null.
  Fields ObjectOrEmpty(const char* key) const;

  const json& object() const { return *obj_; }
  const std::string& source() const { return source_; }
  const std::string& prefix() const { return prefix_; }
  const KeyNames& names() const { return *names_; }

  static constexpr std::size_t kMaxListLength = 4096;

 private:
  // The array at `key` (nullptr when absent), at most kMaxListLength long.
  const json* List(const char* key, const char* of) const;

  const json* obj_;
  std::string source_;
  std::string prefix_;
  std::shared_ptr<KeyNames> names_;
};

}  // namespace scalesim::io::hf

#endif  // SCALESIM_SRC_IO_HF_FIELDS_HPP_
