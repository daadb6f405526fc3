#include "fuzz/fuzz_targets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/architecture_io.hpp"
#include "scalesim/io/dataset_io.hpp"
#include "scalesim/io/hardware_io.hpp"
#include "scalesim/io/law_io.hpp"
#include "scalesim/io/safetensors.hpp"
#include "scalesim/model/memory.hpp"
#include "scalesim/model/params.hpp"

#include "cli/cli.hpp"

namespace scalesim::fuzz {
namespace {

std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The invariants every accepted architecture must satisfy; its KV cache
// (every layer by its kind) is counted too, where it fits in int64.
void CheckCounts(const model::Architecture& a) {
  const model::ParamBreakdown p = model::CountParameters(a);
  if (p.total() < 0 || p.non_embedding() < 0 || p.active() < 0 ||
      p.active() > p.total() || p.non_embedding() > p.total() ||
      p.checkpoint_total() < p.total()) {
    std::abort();
  }
  try {
    if (model::KvCacheBytes(a, 32768) < 0) std::abort();
  } catch (const InvalidInput&) {
  }
}

}  // namespace

void FuzzHfConfig(const std::uint8_t* data, std::size_t size) {
  try {
    CheckCounts(io::ArchitectureFromHfConfig(AsText(data, size), "fuzz.json"));
  } catch (const InvalidInput&) {
  }
}

void FuzzSafetensorsHeader(const std::uint8_t* data, std::size_t size) {
  try {
    const io::SafetensorsFile f =
        io::ParseSafetensorsHeader(AsText(data, size),
                                   static_cast<std::int64_t>(size),
                                   "fuzz.safetensors");
    for (const io::SafetensorsTensor& t : f.tensors) {
      if (t.numel < 0 || t.data_begin < 0 || t.data_end < t.data_begin ||
          t.data_end > f.file_bytes) {
        std::abort();
      }
    }
  } catch (const InvalidInput&) {
  }
}

void FuzzArchJson(const std::uint8_t* data, std::size_t size) {
  try {
    CheckCounts(io::ArchitectureFromJson(AsText(data, size), "fuzz.json"));
  } catch (const InvalidInput&) {
  }
}

// Arguments separated by newlines; empty when an argument could write a
// file, so the fuzzer never writes outside memory: long options are matched
// exactly (no guessing), so "--out"/"--residuals" prefixes catch them; any
// short-option group containing 'o' is skipped too.
std::vector<std::string> SafeArgs(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args;
  std::string current;
  for (char c : AsText(data, size)) {
    if (c == '\n') {
      args.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  args.push_back(current);
  for (const std::string& a : args) {
    const bool long_writer = a.rfind("--o", 0) == 0 || a.rfind("--r", 0) == 0;
    const bool short_o = a.size() > 1 && a[0] == '-' && a[1] != '-' &&
                         a.find('o') != std::string::npos;
    if (long_writer || short_o) return {};
  }
  return args;
}

void FuzzCliArgs(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> args = SafeArgs(data, size);
  if (args.empty()) return;
  // Compute-heavy commands (seconds per run) would only time out here; their
  // input parsing is fuzzed through FuzzDatasetCsv and FuzzSweepArgs and
  // their flags by the bad-input matrix tests.
  if (args[0] == "fit" || args[0] == "synth" || args[0] == "sweep") return;
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::RunCli(args, out, err);
  // Internal errors (exit 3) are bugs: only 0, 1 and 2 are allowed.
  if (code < 0 || code > 2) std::abort();
}

// `scalesim sweep <kind> ...` with the grid kept small, so each input runs
// in milliseconds: every integer-valued argument after a flag that sizes the
// grid (--points, --params-points, --tokens-points, --layers, --d-model,
// --kv-heads) must be at most kMaxFuzzGrid with no ranges, and at most 8
// budgets or losses are given. Exit codes 0, 1 or 2 only.
void FuzzSweepArgs(const std::uint8_t* data, std::size_t size) {
  constexpr long kMaxFuzzGrid = 64;
  std::vector<std::string> args = SafeArgs(data, size);
  if (args.empty()) return;
  std::size_t values = 0;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0) continue;
    ++values;
    if (i == 0) continue;
    const std::string& flag = args[i - 1];
    const bool sizes_grid = flag.find("points") != std::string::npos ||
                            flag == "--layers" || flag == "--d-model" ||
                            flag == "--kv-heads";
    if (!sizes_grid) continue;
    if (a.find(':') != std::string::npos || a.size() > 12) return;
    std::size_t items = 1;
    for (char c : a) items += c == ',' ? 1 : 0;
    if (items > 8) return;
    for (std::size_t start = 0; start <= a.size();) {
      const std::size_t end = std::min(a.find(',', start), a.size());
      if (std::atol(a.substr(start, end - start).c_str()) > kMaxFuzzGrid)
        return;
      start = end + 1;
    }
  }
  if (values > 16) return;  // long --flops / --target-loss lists
  args.insert(args.begin(), "sweep");
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::RunCli(args, out, err);
  if (code < 0 || code > 2) std::abort();
}

// Every accepted point is finite and positive (the reader's contract).
void FuzzDatasetCsv(const std::uint8_t* data, std::size_t size) {
  try {
    const fit::Dataset d = io::ParseDatasetCsv(AsText(data, size), "fuzz.csv");
    for (const fit::DataPoint& p : d.points) {
      if (!(std::isfinite(p.params) && p.params > 0.0 &&
            std::isfinite(p.tokens) && p.tokens > 0.0 &&
            std::isfinite(p.loss) && p.loss > 0.0)) {
        std::abort();
      }
    }
  } catch (const InvalidInput&) {
  }
}

// An accepted law round-trips through its own file format.
void FuzzLawJson(const std::uint8_t* data, std::size_t size) {
  try {
    const laws::Law law = io::LawFromJson(AsText(data, size), "fuzz.json");
    const laws::Law again =
        io::LawFromJson(io::LawToJson(law), "roundtrip.json");
    if (again.name() != law.name()) std::abort();
  } catch (const InvalidInput&) {
  }
}

namespace {

// An error message must be one line of bounded size (core/error.hpp).
template <typename Fn>
void ExpectAcceptedOrOneLine(Fn read) {
  try {
    read();
  } catch (const InvalidInput& e) {
    const std::string_view what = e.what();
    if (what.size() > kMaxMessageBytes) std::abort();
    for (char ch : what) {
      const auto byte = static_cast<unsigned char>(ch);
      if (byte < 0x20 || byte == 0x7f) std::abort();
    }
  }
}

}  // namespace

void FuzzJsonDepth(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return;
  constexpr std::size_t kMaxText = std::size_t{1} << 18;
  const std::size_t repeats =
      2 * (std::size_t{data[0]} | std::size_t{data[1]} << 8U);
  const std::string_view rest = AsText(data + 2, size - 2);
  const std::size_t split = std::min(rest.find('\0'), rest.size());
  const std::string_view unit = rest.substr(0, split);
  const std::string_view tail = rest.substr(std::min(split + 1, rest.size()));
  std::string text;
  for (std::size_t i = 0; i < repeats && text.size() + unit.size() <= kMaxText;
       ++i)
    text += unit;
  text += tail;
  const std::string hf =
      R"({"model_type": "llama", "vocab_size": )" + text + "}";
  const std::string arch = R"({"n_layers": )" + text + "}";
  const std::string law =
      R"({"name": "x", "form": "chinchilla", "constants": )" + text + "}";
  const std::string catalog = R"({"devices": [{"name": "x", "memory_gib": )" +
                              text + R"(, "source": "s"}]})";
  for (std::string_view t : {std::string_view(text), std::string_view(hf)}) {
    ExpectAcceptedOrOneLine(
        [&] { io::ArchitectureFromHfConfig(t, "fuzz.json"); });
  }
  for (std::string_view t : {std::string_view(text), std::string_view(arch)}) {
    ExpectAcceptedOrOneLine([&] { io::ArchitectureFromJson(t, "fuzz.json"); });
  }
  for (std::string_view t : {std::string_view(text), std::string_view(law)}) {
    ExpectAcceptedOrOneLine([&] { io::LawFromJson(t, "fuzz.json"); });
  }
  for (std::string_view t :
       {std::string_view(text), std::string_view(catalog)}) {
    ExpectAcceptedOrOneLine([&] { io::CatalogFromJson(t, "fuzz.json"); });
  }
}

}  // namespace scalesim::fuzz
