#include "scalesim/low/low.hpp"
