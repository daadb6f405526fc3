// Replays the fuzz seed corpus and every crash input ever found
// (tests/fuzz/corpus/<target>/, tests/fuzz/crashes/<target>/) through the
// fuzz entry points: none may crash. Runs in every build, so the sanitizer
// build checks them under ASan + UBSan.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fuzz/fuzz_targets.hpp"

namespace scalesim::fuzz {
namespace {

using Target = void (*)(const std::uint8_t*, std::size_t);

int Replay(const std::string& name, Target target) {
  int replayed = 0;
  for (const char* kind : {"corpus", "crashes"}) {
    const std::filesystem::path dir =
        std::filesystem::path(SCALESIM_SOURCE_DIR) / "tests/fuzz" / kind / name;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
      SCOPED_TRACE(entry.path().string());
      target(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  return replayed;
}

TEST(FuzzReplayTest, SweepArgs) {
  EXPECT_GT(Replay("sweep_args", FuzzSweepArgs), 0);
}

TEST(FuzzReplayTest, HfConfig) {
  EXPECT_GT(Replay("hf_config", FuzzHfConfig), 0);
}
TEST(FuzzReplayTest, ArchJson) {
  EXPECT_GT(Replay("arch_json", FuzzArchJson), 0);
}
TEST(FuzzReplayTest, CliArgs) { EXPECT_GT(Replay("cli_args", FuzzCliArgs), 0); }
TEST(FuzzReplayTest, DatasetCsv) {
  EXPECT_GT(Replay("dataset_csv", FuzzDatasetCsv), 0);
}
TEST(FuzzReplayTest, LawJson) { EXPECT_GT(Replay("law_json", FuzzLawJson), 0); }
TEST(FuzzReplayTest, JsonDepth) {
  EXPECT_GT(Replay("json_depth", FuzzJsonDepth), 0);
}

TEST(FuzzReplayTest, SafetensorsHeader) {
  EXPECT_GT(Replay("safetensors", FuzzSafetensorsHeader), 0);
}

}  // namespace
}  // namespace scalesim::fuzz
