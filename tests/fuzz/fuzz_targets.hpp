// Fuzz entry points shared by the libFuzzer drivers (make fuzz) and the
// corpus replay test (tests/fuzz/replay_test.cpp). Each takes arbitrary
// bytes and must never crash, hang or trip a sanitizer; bad input may only
// surface as scalesim::InvalidInput, which the entry points swallow.
#ifndef SCALESIM_TESTS_FUZZ_FUZZ_TARGETS_HPP_
#define SCALESIM_TESTS_FUZZ_FUZZ_TARGETS_HPP_

#include <cstddef>
#include <cstdint>

namespace scalesim::fuzz {

void FuzzHfConfig(const std::uint8_t* data, std::size_t size);
void FuzzArchJson(const std::uint8_t* data, std::size_t size);
void FuzzCliArgs(const std::uint8_t* data, std::size_t size);
void FuzzSweepArgs(const std::uint8_t* data, std::size_t size);
void FuzzDatasetCsv(const std::uint8_t* data, std::size_t size);
void FuzzLawJson(const std::uint8_t* data, std::size_t size);
// The bytes are a whole safetensors file: its header is parsed and checked
// (io::ParseSafetensorsHeader); accepted tensors must have sane offsets.
void FuzzSafetensorsHeader(const std::uint8_t* data, std::size_t size);

}  // namespace scalesim::fuzz

#endif  // SCALESIM_TESTS_FUZZ_FUZZ_TARGETS_HPP_
