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
// Deep nesting through every JSON reader: the input is a repeat count (two
// bytes, times 2: up to 131,070), then a unit and a tail separated by the
// first NUL byte; the unit repeated (up to 256 KiB of text), then the tail,
// is parsed raw and as the value of a type-checked field by the HF config,
// architecture, law and catalog readers. Each must accept it or throw
// InvalidInput with a one-line, bounded message.
void FuzzJsonDepth(const std::uint8_t* data, std::size_t size);
// The bytes are a whole safetensors file: its header is parsed and checked
// (io::ParseSafetensorsHeader); accepted tensors must have sane offsets.
void FuzzSafetensorsHeader(const std::uint8_t* data, std::size_t size);

}  // namespace scalesim::fuzz

#endif  // SCALESIM_TESTS_FUZZ_FUZZ_TARGETS_HPP_
