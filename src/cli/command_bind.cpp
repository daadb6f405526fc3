// Command::Bind: one overload per field type, each declaring the flag of a
// field (its metavar, default text and help) in the group being built.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scalesim/core/validate.hpp"

#include "cli/command.hpp"

namespace scalesim::cli {
namespace {

std::string Join(const std::vector<double>& values) {
  std::string s;
  for (double v : values) s += (s.empty() ? "" : " ") + NumberText(v);
  return s;
}

template <typename T>
po::typed_value<T>* Named(po::typed_value<T>* v,
                          const FieldInfo& info,
                          const char* fallback) {
  return v->value_name(info.unit.empty() ? fallback : std::string(info.unit));
}

}  // namespace

void Command::Bind(Group& g, std::int64_t& m, const FieldInfo& info) {
  Declare(g,
          info,
          Named(po::value<std::int64_t>(&m), info, "INT"),
          std::to_string(m));
  AfterParse([this, &m, info] {
    if (Given(info.name) && !InFieldRange(static_cast<double>(m), info))
      Fail(info.name, RangeProblem(static_cast<double>(m), info, true));
  });
}

void Command::Bind(Group& g, double& m, const FieldInfo& info) {
  Declare(g, info, Named(po::value<double>(&m), info, "X"), NumberText(m));
  AfterParse([this, &m, info] {
    if (Given(info.name) && !InFieldRange(m, info))
      Fail(info.name, RangeProblem(m, info, false));
  });
}

void Command::Bind(Group& g, bool& m, const FieldInfo& info) {
  if (info.is_switch && !m) {
    Declare(g, info, po::bool_switch(&m), "");
    return;
  }
  if (info.is_switch) {
    // A switch whose member defaults to true turns it off: --no-<name>.
    auto off = std::make_shared<bool>(false);
    const std::string negated = "no_" + std::string(info.name);
    FieldInfo n = info;
    n.name = *static_cast<const std::string*>(
        keep_.emplace_back(std::make_shared<std::string>(negated)).get());
    n.alias = info.alias.empty() ? info.name : info.alias;
    if (!info.off_help.empty()) n.help = info.off_help;
    Declare(g, n, po::bool_switch(off.get()), "");
    AfterParse([&m, off] {
      if (*off) m = false;
    });
    keep_.push_back(off);
    return;
  }
  Declare(g,
          info,
          po::value<bool>(&m)->value_name("true|false"),
          m ? "true" : "false");
}

void Command::Bind(Group& g, std::string& m, const FieldInfo& info) {
  Declare(g, info, Named(po::value<std::string>(&m), info, "TEXT"), m);
}

void Command::Bind(Group& g,
                   std::optional<std::int64_t>& m,
                   const FieldInfo& info) {
  auto v = std::make_shared<std::int64_t>(0);
  Declare(g,
          info,
          Named(po::value<std::int64_t>(v.get()), info, "INT"),
          m ? std::to_string(*m) : "");
  AfterParse([this, &m, info, v] {
    if (!Given(info.name)) return;
    if (!InFieldRange(static_cast<double>(*v), info))
      Fail(info.name, RangeProblem(static_cast<double>(*v), info, true));
    m = *v;
  });
  keep_.push_back(v);
}

void Command::Bind(Group& g, std::optional<double>& m, const FieldInfo& info) {
  auto v = std::make_shared<double>(0.0);
  Declare(g,
          info,
          Named(po::value<double>(v.get()), info, "X"),
          m ? NumberText(*m) : "");
  AfterParse([this, &m, info, v] {
    if (!Given(info.name)) return;
    if (!InFieldRange(*v, info)) Fail(info.name, RangeProblem(*v, info, false));
    m = *v;
  });
  keep_.push_back(v);
}

void Command::Bind(Group& g, std::optional<bool>& m, const FieldInfo& info) {
  auto v = std::make_shared<bool>(false);
  Declare(g,
          info,
          po::value<bool>(v.get())->value_name("true|false"),
          m ? (*m ? "true" : "false") : "");
  AfterParse([this, &m, info, v] {
    if (Given(info.name)) m = *v;
  });
  keep_.push_back(v);
}

void Command::Bind(Group& g,
                   std::optional<std::string>& m,
                   const FieldInfo& info) {
  auto v = std::make_shared<std::string>();
  Declare(g,
          info,
          Named(po::value<std::string>(v.get()), info, "TEXT"),
          m ? *m : "");
  AfterParse([this, &m, info, v] {
    if (Given(info.name)) m = *v;
  });
  keep_.push_back(v);
}

void Command::Bind(Group& g, std::vector<double>& m, const FieldInfo& info) {
  Declare(g,
          info,
          Named(po::value<std::vector<double>>(&m)->multitoken(), info, "X"),
          Join(m));
  AfterParse([this, &m, info] {
    if (!Given(info.name)) return;
    for (double v : m) {
      if (!InFieldRange(v, info)) Fail(info.name, RangeProblem(v, info, false));
    }
  });
}

void Command::Bind(Group& g,
                   std::vector<std::string>& m,
                   const FieldInfo& info) {
  Declare(
      g,
      info,
      Named(po::value<std::vector<std::string>>(&m)->composing(), info, "TEXT"),
      "");
}

}  // namespace scalesim::cli
