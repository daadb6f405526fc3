// The columns that say which law a row was computed under, for every schema
// whose rows hold `const laws::Law* law`: "law" (its name) and
// "param_count" (which N it reads: total or non_embedding). `always`: shown
// on failed rows too (the row's key).
#ifndef SCALESIM_LAWS_LAW_COLUMNS_HPP_
#define SCALESIM_LAWS_LAW_COLUMNS_HPP_

#include <string>

#include "scalesim/core/schema.hpp"
#include "scalesim/laws/law.hpp"

namespace scalesim::laws {

template <typename Row>
Column<Row> LawNameColumn(bool always = false) {
  return {"law",
          CellKind::kText,
          [](const Row& r) { return CellValue{r.law->name()}; },
          always};
}

template <typename Row>
Column<Row> ParamCountColumn(bool always = false) {
  return {"param_count",
          CellKind::kText,
          [](const Row& r) {
            return CellValue{std::string(ToString(r.law->info().param_count))};
          },
          always};
}

}  // namespace scalesim::laws

#endif  // SCALESIM_LAWS_LAW_COLUMNS_HPP_
