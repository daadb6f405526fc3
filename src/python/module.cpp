// The extension module scalesim._scalesim: keyword reading, column
// conversion and the error type; each *_bindings.cpp adds its functions.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "scalesim/core/error.hpp"
#include "scalesim/core/fields.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/core/version.hpp"

#include "python/bindings.hpp"

namespace scalesim::python {

void FailKeyword(std::string_view name, std::string_view problem) {
  throw InvalidInput(InputLocation{"", 0, std::string(name)}, problem);
}

Keywords::Keywords(const py::kwargs& kwargs) : given_(kwargs) {}

void Keywords::Declare(const FieldInfo& info) {
  declared_.emplace_back(info.name);
  keyword_of_[std::string(info.name)] = std::string(info.name);
  if (!info.alias.empty())
    keyword_of_[std::string(info.alias)] = std::string(info.name);
}

std::optional<py::handle> Keywords::Value(std::string_view name) {
  const py::str key{std::string(name)};
  if (!given_.contains(key)) return std::nullopt;
  taken_.emplace(name);
  return given_[key];
}

bool Keywords::Given(std::string_view name) const {
  const py::str key{std::string(name)};
  return given_.contains(key) && !given_[key].is_none();
}

void Keywords::RefuseGiven(std::span<const std::string_view> fields,
                           std::string_view problem) const {
  for (std::string_view f : fields)
    if (Given(f)) FailKeyword(f, problem);
}

std::optional<py::object> Keywords::Take(std::string_view name) {
  declared_.emplace_back(name);
  keyword_of_[std::string(name)] = std::string(name);
  const py::str key{std::string(name)};
  if (!given_.contains(key)) return std::nullopt;
  taken_.emplace(name);
  py::object v = given_[key];
  if (v.is_none()) return std::nullopt;
  return v;
}

void Keywords::Finish() const {
  for (const auto& item : given_) {
    const std::string name = py::str(item.first);
    if (taken_.count(name) != 0U) continue;
    std::vector<std::string> valid = declared_;
    std::sort(valid.begin(), valid.end());
    valid.erase(std::unique(valid.begin(), valid.end()), valid.end());
    throw InvalidInput(InputLocation{},
                       "unexpected keyword argument '" + Excerpt(name) + "'" +
                           DidYouMean(name, valid) +
                           " (valid: " + JoinNames(valid) + ")");
  }
}

std::string Keywords::Spoken(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts =
        text.compare(i, 2, "--") == 0 &&
        (i == 0 ||
         (std::isalnum(static_cast<unsigned char>(text[i - 1])) == 0 &&
          text[i - 1] != '-'));
    if (starts) {
      std::size_t j = i + 2;
      while (j < text.size() &&
             ((text[j] >= 'a' && text[j] <= 'z') ||
              (text[j] >= '0' && text[j] <= '9') || text[j] == '-'))
        ++j;
      std::string name(text.substr(i + 2, j - i - 2));
      std::replace(name.begin(), name.end(), '-', '_');
      const auto it = keyword_of_.find(name);
      if (!name.empty() && it != keyword_of_.end()) {
        out += it->second;
        i = j;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

void Keywords::Readdress(const InvalidInput& e) const {
  // The library's messages name the CLI's flags (--seq-len); Python's
  // vocabulary is the keyword (seq_len), for every keyword of this call.
  std::string problem = Spoken(e.problem());
  InputLocation where = e.where();
  bool changed = problem != e.problem();
  if (where.source.empty()) {
    const auto it = keyword_of_.find(where.field);
    if (it != keyword_of_.end() && it->second != where.field) {
      where.field = it->second;
      changed = true;
    }
  }
  if (!changed) return;
  if (where.source.empty() && where.line == 0 && where.field.empty())
    throw InvalidInput(problem);
  throw InvalidInput(where, problem);
}

namespace {

bool IsBool(py::handle v) { return PyBool_Check(v.ptr()) != 0; }

std::string TypeName(py::handle v) {
  return py::str(py::type::handle_of(v).attr("__name__"));
}

double Number(py::handle v, const FieldInfo& info) {
  if (IsBool(v) ||
      (!py::isinstance<py::int_>(v) && !py::isinstance<py::float_>(v) &&
       !py::hasattr(v, "__float__"))) {
    FailKeyword(info.name, "must be a number, got " + TypeName(v));
  }
  return v.cast<double>();
}

}  // namespace

void Keywords::Read(py::handle v,
                    std::int64_t& m,
                    const FieldInfo& info) const {
  if (IsBool(v)) FailKeyword(info.name, "must be an integer, got bool");
  if (py::isinstance<py::int_>(v) || py::hasattr(v, "__index__")) {
    // An int beyond int64 is out of range rather than an overflow.
    const py::int_ i = py::reinterpret_borrow<py::object>(
        py::module_::import("operator").attr("index")(v));
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(i.ptr(), &overflow);
    if (overflow != 0) {
      const double d = i.cast<double>();
      FailKeyword(info.name, RangeProblem(d, info, true));
    }
    m = static_cast<std::int64_t>(x);
  } else {
    // 7e9 for an integer field: accepted when it is a whole number.
    const double d = Number(v, info);
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.2e18)
      FailKeyword(info.name, "must be an integer, got " + NumberText(d));
    m = static_cast<std::int64_t>(d);
  }
  if (!(info.zero_is_default && m == 0) &&
      !InFieldRange(static_cast<double>(m), info))
    FailKeyword(info.name, RangeProblem(static_cast<double>(m), info, true));
}

void Keywords::Read(py::handle v, double& m, const FieldInfo& info) const {
  m = Number(v, info);
  if (!InFieldRange(m, info))
    FailKeyword(info.name, RangeProblem(m, info, false));
}

void Keywords::Read(py::handle v, bool& m, const FieldInfo& info) const {
  if (!IsBool(v) && !py::isinstance<py::int_>(v))
    FailKeyword(info.name, "must be True or False, got " + TypeName(v));
  m = v.cast<bool>();
}

std::string Keywords::PathOrName(py::handle v, std::string_view name) {
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  if (py::hasattr(v, "__fspath__"))
    return py::str(py::module_::import("os").attr("fspath")(v));
  FailKeyword(name, "must be a string or a path, got " + TypeName(v));
}

std::string Keywords::Text(py::handle v, const FieldInfo& info) const {
  if (py::isinstance<py::str>(v)) return v.cast<std::string>();
  // os.PathLike (pathlib.Path) for file fields.
  if (py::hasattr(v, "__fspath__"))
    return py::str(py::module_::import("os").attr("fspath")(v));
  FailKeyword(info.name, "must be a string, got " + TypeName(v));
}

void Keywords::Read(py::handle v, std::string& m, const FieldInfo& info) const {
  m = Text(v, info);
}

void Keywords::Read(py::handle v,
                    std::vector<double>& m,
                    const FieldInfo& info) const {
  m.clear();
  if (py::isinstance<py::str>(v))
    FailKeyword(info.name, "must be a number or a list of numbers, got str");
  if (py::isinstance<py::iterable>(v)) {
    for (py::handle x : v) {
      double d = 0;
      Read(x, d, info);
      m.push_back(d);
    }
    return;
  }
  double d = 0;
  Read(v, d, info);
  m.push_back(d);
}

void Keywords::Read(py::handle v,
                    std::vector<std::string>& m,
                    const FieldInfo& info) const {
  m.clear();
  if (py::isinstance<py::str>(v) || py::hasattr(v, "__fspath__")) {
    m.push_back(Text(v, info));
    return;
  }
  if (!py::isinstance<py::iterable>(v))
    FailKeyword(info.name, "must be a string or a list of strings");
  for (py::handle x : v) m.push_back(Text(x, info));
}

// ---------------------------------------------------------------- columns

void ColumnBuffer::Reserve(std::size_t n) { missing_.reserve(n); }

void ColumnBuffer::Push(const CellValue& v) {
  const bool empty = std::holds_alternative<std::monostate>(v);
  if (kind_ == Kind::kUnknown && !empty) {
    if (std::holds_alternative<std::int64_t>(v)) {
      kind_ = Kind::kInteger;
      ints_.assign(size_, 0);
    } else if (std::holds_alternative<double>(v)) {
      kind_ = Kind::kReal;
      reals_.assign(size_, std::numeric_limits<double>::quiet_NaN());
    } else {
      kind_ = Kind::kText;
      texts_.assign(size_, std::string());
    }
  }
  if (kind_ == Kind::kInteger && std::holds_alternative<double>(v)) {
    kind_ = Kind::kReal;
    reals_.assign(ints_.begin(), ints_.end());
    for (std::size_t i = 0; i < size_; ++i)
      if (missing_[i] != 0U)
        reals_[i] = std::numeric_limits<double>::quiet_NaN();
    ints_.clear();
  }
  missing_.push_back(empty ? 1 : 0);
  any_missing_ = any_missing_ || empty;
  ++size_;
  switch (kind_) {
    case Kind::kUnknown:
      break;
    case Kind::kInteger:
      ints_.push_back(empty ? 0 : std::get<std::int64_t>(v));
      break;
    case Kind::kReal:
      if (empty)
        reals_.push_back(std::numeric_limits<double>::quiet_NaN());
      else if (std::holds_alternative<std::int64_t>(v))
        reals_.push_back(static_cast<double>(std::get<std::int64_t>(v)));
      else if (std::holds_alternative<double>(v))
        reals_.push_back(std::get<double>(v));
      else
        reals_.push_back(std::numeric_limits<double>::quiet_NaN());
      break;
    case Kind::kText:
      if (const auto* s = std::get_if<std::string>(&v))
        texts_.push_back(*s);
      else if (const auto* i = std::get_if<std::int64_t>(&v))
        texts_.push_back(std::to_string(*i));
      else if (const auto* d = std::get_if<double>(&v))
        texts_.push_back(NumberText(*d));
      else
        texts_.push_back(std::string());
      break;
  }
}

py::object ColumnBuffer::Finish() const {
  const auto n = static_cast<py::ssize_t>(size_);
  if (kind_ == Kind::kReal) {
    py::array_t<double> a(n);
    std::copy(reals_.begin(), reals_.end(), a.mutable_data());
    return a;
  }
  if (kind_ == Kind::kInteger && !any_missing_) {
    py::array_t<std::int64_t> a(n);
    std::copy(ints_.begin(), ints_.end(), a.mutable_data());
    return a;
  }
  // Objects: text, integers with empty cells (None), or nothing but empty.
  py::array a(py::dtype("O"), std::vector<py::ssize_t>{n});
  auto** out = static_cast<PyObject**>(a.mutable_data());
  for (std::size_t i = 0; i < size_; ++i) {
    py::object o = py::none();
    if (missing_[i] == 0U) {
      if (kind_ == Kind::kInteger) o = py::int_(ints_[i]);
      if (kind_ == Kind::kText) o = py::str(texts_[i]);
    }
    Py_XDECREF(out[i]);
    out[i] = o.release().ptr();
  }
  return a;
}

py::dict TableDict(const std::string& name,
                   const std::string& title,
                   const py::list& columns,
                   const py::dict& data,
                   bool record) {
  py::dict t;
  t["name"] = name;
  t["title"] = title;
  t["columns"] = columns;
  t["data"] = data;
  t["record"] = record;
  return t;
}

py::dict FromReport(const io::Report& report) {
  Report r;
  for (const io::Table& t : report.tables) {
    py::dict data;
    py::list names;
    for (std::size_t j = 0; j < t.columns.size(); ++j) {
      ColumnBuffer b;
      b.Reserve(t.rows.size());
      for (const std::vector<io::Cell>& row : t.rows)
        b.Push(j < row.size() ? row[j].value : CellValue{});
      data[py::str(t.columns[j])] = b.Finish();
      names.append(t.columns[j]);
    }
    r.tables.append(TableDict(
        t.name, t.title, names, data, t.record && t.rows.size() == 1));
  }
  r.Notes(report.notes);
  return r.Finish();
}

py::dict Report::Finish() const {
  py::dict d;
  d["tables"] = tables;
  d["notes"] = notes;
  return d;
}

}  // namespace scalesim::python

PYBIND11_MODULE(_scalesim, m) {
  namespace py = pybind11;
  using namespace scalesim::python;
  m.doc() = "scalesim: scaling laws and training budgets (C++ core)";
  m.attr("__version__") = std::string(scalesim::Version());
  // Bad input: scalesim.Error, a ValueError, with the CLI's one-line text.
  static py::exception<scalesim::InvalidInput> error(
      m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const scalesim::InvalidInput& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });
  BindArchitecture(m);
  BindLaws(m);
  BindFit(m);
  BindSweeps(m);
  BindWorkflows(m);
}
