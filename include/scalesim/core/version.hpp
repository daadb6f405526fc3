// The scalesim version (CMakeLists.txt project(VERSION)), printed by
// `scalesim --version` and in the metadata of JSON outputs.
#ifndef SCALESIM_CORE_VERSION_HPP_
#define SCALESIM_CORE_VERSION_HPP_

#include <string_view>

namespace scalesim {

std::string_view Version();

}  // namespace scalesim

#endif  // SCALESIM_CORE_VERSION_HPP_
