// A Hugging Face config with the counts it must give, for the import tests.
#ifndef SCALESIM_TESTS_IO_HF_CASE_HPP_
#define SCALESIM_TESTS_IO_HF_CASE_HPP_

#include <cstdint>

#include <gtest/gtest.h>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/model/params.hpp"

namespace scalesim::io::testing {

struct Case {
  const char* name;
  const char* config;
  std::int64_t total;           // language model (the *ForCausalLM)
  std::int64_t active;          // 0: not checked
  std::int64_t checkpoint = 0;  // 0: same as total (no vision tower)
};

inline void CheckCase(const Case& c) {
  SCOPED_TRACE(c.name);
  const model::Architecture a = ArchitectureFromHfConfig(c.config, c.name);
  const model::ParamBreakdown p = model::CountParameters(a);
  EXPECT_EQ(p.total(), c.total);
  if (c.active > 0) {
    EXPECT_EQ(p.active(), c.active);
  }
  EXPECT_EQ(p.checkpoint_total(), c.checkpoint > 0 ? c.checkpoint : c.total);
}

}  // namespace scalesim::io::testing

#endif  // SCALESIM_TESTS_IO_HF_CASE_HPP_
