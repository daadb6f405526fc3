#include "scalesim/core/version.hpp"

namespace scalesim {

std::string_view Version() { return SCALESIM_VERSION; }

}  // namespace scalesim
