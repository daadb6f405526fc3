// Private to the Python module: an architecture as Python holds it, and the
// `arch` argument every model question takes.
#ifndef SCALESIM_SRC_PYTHON_ARCH_HPP_
#define SCALESIM_SRC_PYTHON_ARCH_HPP_

#include <optional>
#include <string>
#include <vector>

#include "scalesim/io/architecture_io.hpp"
#include "scalesim/model/architecture.hpp"

#include "python/bindings.hpp"

namespace scalesim::python {

struct PyArchitecture {
  model::Architecture arch;
  std::vector<std::string> notes;  // where it came from, what was assumed

  static PyArchitecture FromSource(const io::ArchitectureSource& source);
};

// The model of a call: `arch` (an Architecture or a preset name) or the
// architecture keywords (preset=, hf_config=, layers=, ...; `source`, bound
// by the caller), not both. `keep` holds a model built here; its notes are
// appended to `notes`.
const model::Architecture& ArchitectureArgument(
    const io::ArchitectureSource& source,
    const py::object& arch,
    std::optional<PyArchitecture>& keep,
    std::vector<std::string>& notes);

// The same as the workflows take it (scalesim/workflow/workflow.hpp): the
// model and its notes; errors re-addressed to the keywords of `k`.
io::ResolvedArchitecture ResolveArgument(Keywords& k,
                                         const io::ArchitectureSource& source,
                                         const py::object& arch);

}  // namespace scalesim::python

#endif  // SCALESIM_SRC_PYTHON_ARCH_HPP_
