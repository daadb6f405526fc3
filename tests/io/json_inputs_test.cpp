// Hostile JSON inputs through every JSON reader (architecture files, HF
// configs, law files, catalogs): nesting far beyond any real file, huge
// values echoed in messages, integers beyond int64, fields whose 0 or whose
// derived value used to be accepted silently, and catalogs of 20,000
// devices. docs/errors.md, "Reliability: library tests".
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/io/law_io.hpp"

namespace scalesim::io {
namespace {

template <typename Fn>
std::string ErrorOf(Fn fn) {
  try {
    fn();
  } catch (const InvalidInput& e) {
    return e.what();
  }
  return "";
}

// Every JSON reader, by name, parsing `text` from source "in.json".
const std::vector<
    std::pair<const char*, std::function<void(std::string_view)>>>&
Readers() {
  static const std::vector<
      std::pair<const char*, std::function<void(std::string_view)>>>
      readers = {
          {"hf_config",
           [](std::string_view t) { ArchitectureFromHfConfig(t, "in.json"); }},
          {"arch_json",
           [](std::string_view t) { ArchitectureFromJson(t, "in.json"); }},
          {"law_json", [](std::string_view t) { LawFromJson(t, "in.json"); }},
          {"catalog",
           [](std::string_view t) { CatalogFromJson(t, "in.json"); }},
      };
  return readers;
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// 100,000 nested [ or { in a type-checked field used to overflow the stack
// (the message rendered the value recursively): every reader now refuses
// the text before parsing, naming the file and the line.
TEST(JsonDepthTest, DeepNestingIsRefusedByEveryReaderNamingFileAndLine) {
  constexpr int kDeep = 100'000;
  const std::string arrays = "{\"model_type\": \"llama\",\n \"vocab_size\": " +
                             std::string(kDeep, '[') + std::string(kDeep, ']') +
                             "}";
  const std::string objects =
      "{\"name\": \"x\",\n\n \"devices\": " + Repeat("{\"a\":", kDeep) + "1" +
      std::string(kDeep, '}') + "}";
  const std::string unclosed(kDeep, '[');
  for (const auto& [name, read] : Readers()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(ErrorOf([&] { read(arrays); }),
              "in.json:2: JSON nested deeper than 64 levels");
    EXPECT_EQ(ErrorOf([&] { read(objects); }),
              "in.json:3: JSON nested deeper than 64 levels");
    EXPECT_EQ(ErrorOf([&] { read(unclosed); }),
              "in.json:1: JSON nested deeper than 64 levels");
  }
}

// The limit counts brackets outside strings only, and 64 levels are fine.
TEST(JsonDepthTest, SixtyFourLevelsAndBracketsInStringsAreAccepted) {
  const std::string at_limit =
      "{\"model_type\": \"llama\", \"vocab_size\": " + std::string(63, '[') +
      std::string(63, ']') + "}";
  EXPECT_EQ(ErrorOf([&] { ArchitectureFromHfConfig(at_limit, "in.json"); }),
            "in.json: field 'vocab_size': must be an integer, got " +
                std::string(60, '[') + "...");
  const std::string over =
      "{\"a\": " + std::string(64, '[') + std::string(64, ']') + "}";
  EXPECT_EQ(ErrorOf([&] { ArchitectureFromHfConfig(over, "in.json"); }),
            "in.json:1: JSON nested deeper than 64 levels");
  const std::string in_string =
      "{\"model_type\": \"" + std::string(1000, '[') + "\\\"{{\"}";
  EXPECT_NE(ErrorOf([&] {
              ArchitectureFromHfConfig(in_string, "in.json");
            }).find("unsupported model_type"),
            std::string::npos);
}

// A 1 MB value of the wrong type is echoed as 60 bytes and "...", by every
// reader (one helper: ShowJson / Excerpt).
TEST(JsonExcerptTest, EveryReaderEchoesABoundedExcerpt) {
  const std::string big(1'000'000, 'x');
  struct Case {
    std::function<void()> read;
    const char* prefix;
    // Beyond the bounded excerpt, a message may list the valid names.
    std::size_t listed = 0;
  };
  std::size_t model_types = 0;
  for (const std::string& t : SupportedHfModelTypes())
    model_types += t.size() + 2;
  const Case cases[] = {
      {[&] {
         ArchitectureFromHfConfig(
             "{\"model_type\": \"llama\", \"vocab_size\": \"" + big + "\"}",
             "in.json");
       },
       "in.json: field 'vocab_size': must be an integer, got \""},
      {[&] {
         ArchitectureFromJson("{\"n_layers\": \"" + big + "\"}", "in.json");
       },
       "in.json: field 'n_layers': must be an integer, got \""},
      {[&] { ArchitectureFromJson("{\"mlp\": \"" + big + "\"}", "in.json"); },
       "in.json: field 'mlp': unknown value '"},
      {[&] {
         ArchitectureFromHfConfig("{\"model_type\": \"" + big + "\"}",
                                  "in.json");
       },
       "in.json: field 'model_type': unsupported model_type '", model_types},
      {[&] {
         CatalogFromJson("{\"devices\": [{\"name\": \"x\", \"memory_gib\": \"" +
                             big + "\", \"source\": \"s\"}]}",
                         "in.json");
       },
       "in.json: field 'devices[0].memory_gib': must be a number, got \""},
      {[&] {
         LawFromJson("{\"name\": \"" + big + "!\", \"form\": 1}", "in.json");
       },
       "in.json: field 'name': may contain only"},
      {[&] {
         LawFromJson("{\"name\": \"x\", \"form\": [\"" + big + "\"]}",
                     "in.json");
       },
       "in.json: field 'form': must be a string, got [\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.prefix);
    const std::string what = ErrorOf(c.read);
    EXPECT_EQ(what.rfind(c.prefix, 0), 0U) << what.substr(0, 200);
    EXPECT_LT(what.size(), 300U + c.listed) << what.substr(0, 200);
  }
  // An unknown key of a megabyte is named by its excerpt too.
  const std::string what =
      ErrorOf([&] { ArchitectureFromJson("{\"" + big + "\": 1}", "in.json"); });
  EXPECT_EQ(what,
            "in.json: field '" + std::string(60, 'x') + "...': unknown field");
}

// A value with a newline stays on one line (InvalidInput escapes it).
TEST(JsonExcerptTest, ControlCharactersInValuesAreEscaped) {
  const std::string what = ErrorOf([] {
    ArchitectureFromHfConfig("{\"model_type\": \"t\\n5\\u001b\"}", "in.json");
  });
  EXPECT_EQ(what.rfind("in.json: field 'model_type': unsupported model_type "
                       "'t\\n5\\x1b' (supported: ",
                       0),
            0U)
      << what;
}

// --- HF import blame --------------------------------------------------------

constexpr const char* kLlamaFields =
    R"("model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008,
       "num_hidden_layers": 32, "num_attention_heads": 32)";

TEST(HfImportTest, ZeroKeyValueHeadsIsAnErrorNotTheHeadCount) {
  EXPECT_EQ(ErrorOf([] {
              ArchitectureFromHfConfig(
                  std::string("{") + kLlamaFields +
                      R"(, "vocab_size": 32000, "num_key_value_heads": 0})",
                  "in.json");
            }),
            "in.json: field 'num_key_value_heads': must be a positive "
            "integer, got 0");
  EXPECT_EQ(
      ErrorOf([] {
        ArchitectureFromHfConfig(
            R"({"model_type": "phi", "vocab_size": 51200, "hidden_size": 2560,
                      "intermediate_size": 10240, "num_hidden_layers": 32,
                      "num_attention_heads": 32, "num_key_value_heads": -2})",
            "in.json");
      }),
      "in.json: field 'num_key_value_heads': must be a positive "
      "integer, got -2");
  // null keeps meaning "as many as the query heads".
  EXPECT_EQ(ArchitectureFromHfConfig(
                std::string("{") + kLlamaFields +
                    R"(, "vocab_size": 32000, "num_key_value_heads": null})",
                "in.json")
                .n_kv_heads,
            32);
}

// 4 * n_embd (GPT-2 without n_inner, BLOOM always) used to wrap to
// -6446744073709551616 and be blamed on d_ff.
TEST(HfImportTest, DerivedWidthOverflowNamesTheFieldTheUserGave) {
  EXPECT_EQ(ErrorOf([] {
              ArchitectureFromHfConfig(
                  R"({"model_type": "gpt2", "vocab_size": 50257, "n_embd": 3e18,
                      "n_layer": 12, "n_head": 12, "n_positions": 1024})",
                  "in.json");
            }),
            "in.json: field 'n_embd': d_ff (n_inner unset) = 4 * "
            "3000000000000000000 overflows a 64-bit integer");
  EXPECT_EQ(
      ErrorOf([] {
        ArchitectureFromHfConfig(
            R"({"model_type": "gpt2", "vocab_size": 50257, "hidden_size": 3e18,
                      "n_layer": 12, "n_head": 12, "n_positions": 1024})",
            "in.json");
      }),
      "in.json: field 'hidden_size': d_ff (n_inner unset) = 4 * "
      "3000000000000000000 overflows a 64-bit integer");
  EXPECT_EQ(
      ErrorOf([] {
        ArchitectureFromHfConfig(
            R"({"model_type": "bloom", "vocab_size": 250880, "n_embed": 3000000000000000000,
                      "n_layer": 70, "num_attention_heads": 112})",
            "in.json");
      }),
      "in.json: field 'n_embed': d_ff (BloomMLP: 4 * hidden_size) = 4 * "
      "3000000000000000000 overflows a 64-bit integer");
}

// 18446744073709551615 is an unsigned JSON integer: it used to be read as
// int64 -1 and shown as -1.
TEST(HfImportTest, IntegerBeyondInt64IsShownAsWrittenAndRefused) {
  EXPECT_EQ(ErrorOf([] {
              ArchitectureFromHfConfig(
                  std::string("{") + kLlamaFields +
                      R"(, "vocab_size": 18446744073709551615})",
                  "in.json");
            }),
            "in.json: field 'vocab_size': must be an integer below 2^63, got "
            "18446744073709551615");
  EXPECT_EQ(ErrorOf([] {
              ArchitectureFromJson(R"({"d_model": 9223372036854775808})",
                                   "in.json");
            }),
            "in.json: field 'd_model': must be an integer below 2^63, got "
            "9223372036854775808");
  EXPECT_EQ(
      ErrorOf([] {
        ArchitectureFromHfConfig(
            R"({"model_type": "qwen2_moe", "vocab_size": 32000, "hidden_size": 64,
                "intermediate_size": 128, "num_hidden_layers": 2,
                "num_attention_heads": 4, "num_experts": 4,
                "num_experts_per_tok": 2, "moe_intermediate_size": 64,
                "mlp_only_layers": [18446744073709551615]})",
            "in.json");
      }),
      "in.json: field 'mlp_only_layers': must be a list of integers");
}

// --- Catalogs ---------------------------------------------------------------

std::string Catalog(int devices, const std::string& last_name) {
  std::string text = "{\"devices\": [";
  for (int i = 0; i < devices; ++i) {
    const std::string name =
        i + 1 == devices ? last_name : "dev-" + std::to_string(i);
    text += (i == 0 ? "" : ",") + std::string("{\"name\": \"") + name +
            "\", \"memory_gib\": 80, \"source\": \"s\", \"peak_tflops\": "
            "{\"bf16\": 100}}";
  }
  return text + "]}";
}

// Duplicate names used to be found by comparing every pair (3.6 s for
// 10,000 devices, 15.4 s for 20,000); a hash set makes it linear. The time
// bound is loose (the linear load takes about 0.1 s in the release build,
// about 1 s under the sanitizers) but far below the quadratic 15 s.
TEST(CatalogTest, TwentyThousandDevicesLoadInLinearTime) {
  constexpr int kDevices = 20'000;
  const auto start = std::chrono::steady_clock::now();
  const auto catalog = CatalogFromJson(Catalog(kDevices, "last"), "in.json");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  RecordProperty("seconds_for_20000_devices", std::to_string(seconds));
  ASSERT_EQ(catalog.size(), static_cast<std::size_t>(kDevices));
  EXPECT_EQ(catalog[123].name, "dev-123");
  EXPECT_EQ(FindDevice(catalog, "LAST").name, "last");
  EXPECT_LT(seconds, 5.0);
  // A duplicate (case-insensitive) is still found, at its index.
  EXPECT_EQ(
      ErrorOf([] { CatalogFromJson(Catalog(kDevices, "DEV-7"), "in.json"); }),
      "in.json: field 'devices[19999].name': duplicate device name "
      "'DEV-7'");
}

// The unknown-device message lists at most 30 names, not 20,000.
TEST(CatalogTest, UnknownDeviceListsABoundedNumberOfNames) {
  const auto catalog = CatalogFromJson(Catalog(20'000, "last"), "in.json");
  const std::string what = ErrorOf([&] {
    FindDevice(catalog, "nosuch", InputLocation{"command line", 0, "--device"});
  });
  EXPECT_EQ(what.rfind("command line: field '--device': unknown device "
                       "'nosuch' (valid: dev-0, dev-1, ",
                       0),
            0U)
      << what;
  EXPECT_NE(what.find("dev-29, ... (19970 more: scalesim hardware lists them)"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace scalesim::io
