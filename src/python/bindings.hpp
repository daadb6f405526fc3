// Private to the Python module: the two generic bridges every binding uses.
//
//   - Keywords: a visitor of an options struct's VisitFields (core/fields.hpp)
//     that reads keyword arguments into its fields, with the CLI's checks
//     (ranges through core's RangeProblem, enum names with "did you mean").
//     A field `seq_len` is the keyword `seq_len`, as it is the flag
//     --seq-len; unknown keywords are an error listing the valid ones.
//   - Columns: a Schema<Row> (core/schema.hpp) and its rows as a dict of
//     NumPy arrays, column by column (int64 exact, float64 exact, text as
//     objects), the CLI's CSV columns with the same names.
//
// Errors: an InvalidInput naming a bound field (or its alias) without a
// source is re-addressed to the keyword ("field 'seq_len': must be ..."),
// the CLI's "command line: field '--seq-len': must be ..." with the flag
// written as the keyword; errors that name a file are the CLI's, verbatim.
#ifndef SCALESIM_SRC_PYTHON_BINDINGS_HPP_
#define SCALESIM_SRC_PYTHON_BINDINGS_HPP_

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "scalesim/core/enum_names.hpp"
#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/schema.hpp"
#include "scalesim/io/report.hpp"

namespace scalesim::workflow {
struct Outcome;
}

namespace scalesim::python {

namespace py = pybind11;

[[noreturn]] void FailKeyword(std::string_view name, std::string_view problem);

// Reads the keywords of one call into the options structs bound to it.
class Keywords {
 public:
  explicit Keywords(const py::kwargs& kwargs);

  // Reads the fields of `options` that were given; `except`: fields bound
  // elsewhere in the same call.
  template <typename Options>
  Keywords& Bind(Options& options, std::vector<std::string_view> except = {}) {
    options.VisitFields(Reader{*this, std::move(except)});
    return *this;
  }
  // Whether keyword `name` was given (and not None).
  bool Given(std::string_view name) const;
  // Fails with `problem` naming the first of `fields` given (the keywords
  // of one mode given in another: never silently ignored).
  void RefuseGiven(std::span<const std::string_view> fields,
                   std::string_view problem) const;
  // Takes a keyword the binding handles itself (an architecture, a law).
  std::optional<py::object> Take(std::string_view name);
  // Throws naming every keyword no bound field took.
  void Finish() const;
  // Runs `f`, re-addressing an InvalidInput about a bound field.
  template <typename F>
  decltype(auto) Run(F&& f) const {
    try {
      return f();
    } catch (const InvalidInput& e) {
      Readdress(e);
      throw;
    }
  }
  void Readdress(const InvalidInput& e) const;
  // `text` with each CLI flag of a keyword of this call (--seq-len)
  // written as that keyword (seq_len).
  std::string Spoken(std::string_view text) const;
  // A keyword the binding takes itself as text: a str or an os.PathLike.
  static std::string PathOrName(py::handle v, std::string_view name);

 private:
  struct Reader {
    Keywords& k;
    std::vector<std::string_view> except;

    bool Skipped(const FieldInfo& info) const {
      for (std::string_view e : except)
        if (e == info.name) return true;
      return false;
    }
    template <typename T>
    void operator()(T& member, const FieldInfo& info) const {
      if (Skipped(info)) return;
      k.Declare(info);
      if (auto v = k.Value(info.name)) k.Read(*v, member, info);
    }
    template <typename E, std::size_t N>
    void operator()(E& member,
                    const FieldInfo& info,
                    const EnumNames<E, N>& names) const {
      if (Skipped(info)) return;
      k.Declare(info);
      if (auto v = k.Value(info.name)) member = k.ReadEnum(*v, info, names);
    }
    template <typename E, std::size_t N>
    void operator()(std::optional<E>& member,
                    const FieldInfo& info,
                    const EnumNames<E, N>& names) const {
      if (Skipped(info)) return;
      k.Declare(info);
      if (auto v = k.Value(info.name)) {
        if (v->is_none())
          member.reset();
        else
          member = k.ReadEnum(*v, info, names);
      }
    }
  };

  void Declare(const FieldInfo& info);
  // The value of keyword `name` (marked as taken), if given.
  std::optional<py::handle> Value(std::string_view name);

  void Read(py::handle v, std::int64_t& m, const FieldInfo& info) const;
  void Read(py::handle v, double& m, const FieldInfo& info) const;
  void Read(py::handle v, bool& m, const FieldInfo& info) const;
  void Read(py::handle v, std::string& m, const FieldInfo& info) const;
  void Read(py::handle v, std::vector<double>& m, const FieldInfo& info) const;
  void Read(py::handle v,
            std::vector<std::string>& m,
            const FieldInfo& info) const;
  template <typename T>
  void Read(py::handle v, std::optional<T>& m, const FieldInfo& info) const {
    if (v.is_none()) {
      m.reset();
      return;
    }
    T value{};
    Read(v, value, info);
    m = std::move(value);
  }
  std::string Text(py::handle v, const FieldInfo& info) const;
  template <typename E, std::size_t N>
  E ReadEnum(py::handle v,
             const FieldInfo& info,
             const EnumNames<E, N>& names) const {
    const std::string text = Text(v, info);
    std::vector<std::string> valid;
    for (const auto& [n, e] : names) {
      if (EqualsIgnoringCase(n, text)) return e;
      valid.emplace_back(n);
    }
    FailKeyword(info.name,
                "unknown value '" + Excerpt(text) + "'" +
                    DidYouMean(text, valid) + " (valid: " + JoinNames(valid) +
                    ")");
  }

  py::dict given_;
  std::set<std::string, std::less<>> taken_;
  std::vector<std::string> declared_;
  std::map<std::string, std::string, std::less<>> keyword_of_;  // alias
};

// ---------------------------------------------------------------- columns

// One column being filled: its type is that of its first value; an integer
// column that meets a real becomes real, one with empty cells holds Python
// objects (None for the empty cells) so that its integers stay exact.
class ColumnBuffer {
 public:
  void Push(const CellValue& v);
  void Reserve(std::size_t n);
  py::object Finish() const;

 private:
  enum class Kind { kUnknown, kInteger, kReal, kText };
  Kind kind_ = Kind::kUnknown;
  std::size_t size_ = 0;
  std::vector<std::int64_t> ints_;
  std::vector<double> reals_;
  std::vector<std::string> texts_;
  std::vector<std::uint8_t> missing_;  // 1: empty cell
  bool any_missing_ = false;
};

// One table as scalesim/__init__.py reads it: {"name", "title", "columns":
// [...], "data": {column: array}, "record": one row shown as a dict}.
py::dict TableDict(const std::string& name,
                   const std::string& title,
                   const py::list& columns,
                   const py::dict& data,
                   bool record);

// Rows of one schema collected column by column (a sweep's rows as they
// stream, or a result's vector of rows).
template <typename Row>
class Columns {
 public:
  explicit Columns(const Schema<Row>& schema)
      : schema_(schema), buffers_(schema.columns.size()) {}
  void Reserve(std::size_t n) {
    for (ColumnBuffer& b : buffers_) b.Reserve(n);
  }
  void Add(const Row& row) {
    for (std::size_t j = 0; j < buffers_.size(); ++j)
      buffers_[j].Push(schema_.ValueAt(j, row));
  }
  // The table (TableDict).
  py::dict Finish() const {
    py::dict data;
    py::list names;
    for (std::size_t j = 0; j < buffers_.size(); ++j) {
      data[py::str(schema_.columns[j].name)] = buffers_[j].Finish();
      names.append(schema_.columns[j].name);
    }
    return TableDict(schema_.name, schema_.title, names, data, false);
  }

 private:
  const Schema<Row>& schema_;
  std::vector<ColumnBuffer> buffers_;
};

template <typename Row>
py::dict ToColumns(const Schema<Row>& schema, const std::vector<Row>& rows) {
  Columns<Row> c(schema);
  c.Reserve(rows.size());
  for (const Row& r : rows) c.Add(r);
  return c.Finish();
}

// A result: {"tables": [table dicts], "notes": [...]} (scalesim/__init__.py
// makes DataFrames and records of it).
struct Report {
  py::list tables;
  std::vector<std::string> notes;

  Report& Notes(const std::vector<std::string>& more) {
    notes.insert(notes.end(), more.begin(), more.end());
    return *this;
  }
  py::dict Finish() const;
};

// A workflow's report (scalesim/workflow/workflow.hpp) in the same form:
// its tables column by column (a record of one row stays a record; a
// record of several rows, such as serve's scenarios, is a table) and its
// notes.
py::dict FromReport(const io::Report& report);
// A workflow's outcome: FromReport of its report, and "exit_code".
py::dict FromWorkflow(const workflow::Outcome& outcome);

// Each binding file registers its functions.
void BindArchitecture(py::module_& m);
void BindLaws(py::module_& m);
void BindFit(py::module_& m);
void BindSweeps(py::module_& m);
void BindWorkflows(py::module_& m);

}  // namespace scalesim::python

#endif  // SCALESIM_SRC_PYTHON_BINDINGS_HPP_
