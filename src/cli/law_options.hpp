// Private to the CLI: options shared by the loss-law commands (loss,
// optimal, laws), and the notes they print about each law.
#ifndef SCALESIM_SRC_CLI_LAW_OPTIONS_HPP_
#define SCALESIM_SRC_CLI_LAW_OPTIONS_HPP_

#include <string>
#include <vector>

#include "scalesim/laws/law.hpp"

#include "cli/cli.hpp"

namespace scalesim::cli {

// --law NAME|FILE (repeatable).
void AddLawOption(po::options_description& options);
// Whether --law was given.
bool LawsChosen(const po::variables_map& vm);
// The laws named by --law (built-in name first, then a law file), else every
// built-in law. Throws InvalidInput naming --law for an unknown law and
// naming the file and field for a malformed law file.
std::vector<laws::Law> SelectedLaws(const po::variables_map& vm);

// The value of a numeric flag that must be finite and > 0. Throws
// InvalidInput naming --<flag> otherwise.
double PositiveFlag(const po::variables_map& vm, const char* flag);
// As PositiveFlag, allowing 0.
double NonNegativeFlag(const po::variables_map& vm, const char* flag);

}  // namespace scalesim::cli

#endif  // SCALESIM_SRC_CLI_LAW_OPTIONS_HPP_
