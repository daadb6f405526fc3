// Private to the Python module: the `law` argument of the law questions.
#ifndef SCALESIM_SRC_PYTHON_LAWS_HPP_
#define SCALESIM_SRC_PYTHON_LAWS_HPP_

#include <vector>

#include "scalesim/laws/law.hpp"

#include "python/bindings.hpp"

namespace scalesim::python {

// The laws of keyword `law`: a name, a law file, a Law (a fitted one) or a
// list of them; none given: the default selection (io::SelectLossLaws with
// `loss_laws`, else every built-in law). `given`: whether any was named.
std::vector<laws::Law> LawArgument(Keywords& k,
                                   bool repeated,
                                   bool& given,
                                   bool loss_laws);

}  // namespace scalesim::python

#endif  // SCALESIM_SRC_PYTHON_LAWS_HPP_
