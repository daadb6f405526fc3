#include "scalesim/low/low.hpp"
#include "low/detail.hpp"
