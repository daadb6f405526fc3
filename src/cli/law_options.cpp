#include "cli/law_options.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/io/format.hpp"
#include "scalesim/io/law_io.hpp"

namespace scalesim::cli {
namespace {

std::string Flag(const char* flag) { return std::string("--") + flag; }

}  // namespace

void AddLawOption(po::options_description& options) {
  options.add_options()("law",
                        po::value<std::vector<std::string>>()->composing(),
                        "loss law: a built-in name (scalesim laws) or a law "
                        "JSON file; repeatable (default: every "
                        "built-in law)");
}

bool LawsChosen(const po::variables_map& vm) { return vm.count("law") != 0U; }

std::vector<laws::Law> SelectedLaws(const po::variables_map& vm) {
  if (!LawsChosen(vm)) return io::BuiltinLaws().laws();
  std::vector<laws::Law> out;
  for (const std::string& name : vm["law"].as<std::vector<std::string>>()) {
    out.push_back(io::LoadLaw(name, InputLocation{"command line", 0, "--law"}));
  }
  return out;
}

double PositiveFlag(const po::variables_map& vm, const char* flag) {
  const double v = vm[flag].as<double>();
  if (!std::isfinite(v) || !(v > 0.0)) {
    throw InvalidInput(InputLocation{"command line", 0, Flag(flag)},
                       "must be a positive finite number, got " + io::Exact(v));
  }
  return v;
}

double NonNegativeFlag(const po::variables_map& vm, const char* flag) {
  const double v = vm[flag].as<double>();
  if (!std::isfinite(v) || v < 0.0) {
    throw InvalidInput(InputLocation{"command line", 0, Flag(flag)},
                       "must be a finite number >= 0, got " + io::Exact(v));
  }
  return v;
}

}  // namespace scalesim::cli
