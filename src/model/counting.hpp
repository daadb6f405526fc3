// Private to model: the checked arithmetic and the norm sizes that the
// parameter, FLOPs and memory counts share (params.cpp, flops.cpp,
// memory.cpp), so that each is declared once.
#ifndef SCALESIM_SRC_MODEL_COUNTING_HPP_
#define SCALESIM_SRC_MODEL_COUNTING_HPP_

#include <cstdint>
#include <initializer_list>
#include <string>

#include "scalesim/core/checked.hpp"
#include "scalesim/model/architecture.hpp"

namespace scalesim::model::internal {

// Checked int64 arithmetic with one error context per count ("parameters of
// llama2-7b: count overflows a 64-bit integer").
struct Counter {
  std::string what;

  std::int64_t Mul(std::int64_t a, std::int64_t b) const {
    return CheckedMul(a, b, what);
  }
  std::int64_t Mul(std::initializer_list<std::int64_t> factors) const {
    return CheckedProduct(factors, what);
  }
  std::int64_t Add(std::int64_t a, std::int64_t b) const {
    return CheckedAdd(a, b, what);
  }
  std::int64_t Sum(std::initializer_list<std::int64_t> terms) const {
    std::int64_t s = 0;
    for (std::int64_t t : terms) s = Add(s, t);
    return s;
  }
  // A linear map in -> out, optionally with a bias vector of size out.
  std::int64_t Linear(std::int64_t in, std::int64_t out, bool bias) const {
    return Add(Mul(in, out), bias ? out : 0);
  }
};

// Parameters of one norm over `width` channels: LayerNorm has a weight and a
// bias, RMSNorm and bias-free LayerNorm a weight, kNone nothing.
inline std::int64_t NormParams(NormKind kind, std::int64_t width) {
  switch (kind) {
    case NormKind::kLayerNorm:
      return 2 * width;
    case NormKind::kLayerNormNoBias:
    case NormKind::kRmsNorm:
      return width;
    case NormKind::kNone:
      return 0;
  }
  return 0;
}

// ceil(a / b) for a >= 0, b > 0.
inline std::int64_t CeilDiv(std::int64_t a, std::int64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

}  // namespace scalesim::model::internal

#endif  // SCALESIM_SRC_MODEL_COUNTING_HPP_
