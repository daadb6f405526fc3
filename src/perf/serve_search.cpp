// The cheapest serving layout that meets a latency target (serve.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scalesim/core/fields.hpp"
#include "scalesim/core/names.hpp"
#include "scalesim/core/validate.hpp"
#include "scalesim/perf/serve.hpp"

namespace scalesim::perf {
namespace {

using I = std::int64_t;

double D(I v) { return static_cast<double>(v); }

// "name=usd" items (each may hold several, comma-separated) by device name.
std::map<std::string, double> ParsePrices(
    const std::vector<std::string>& items,
    const std::vector<model::Device>& devices) {
  std::map<std::string, double> out;
  for (const std::string& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const std::size_t comma = std::min(item.find(',', start), item.size());
      const std::string one = item.substr(start, comma - start);
      start = comma + 1;
      if (one.empty()) continue;
      const std::size_t eq = one.find('=');
      if (eq == std::string::npos)
        FailField("prices", "expected NAME=USD, got '" + one + "'");
      const std::string name = one.substr(0, eq);
      const auto found =
          std::find_if(devices.begin(), devices.end(), [&](const auto& d) {
            return EqualsIgnoringCase(d.name, name);
          });
      if (found == devices.end())
        FailField("prices", "no device '" + name + "' in the catalog");
      char* end = nullptr;
      const std::string number = one.substr(eq + 1);
      const double usd = std::strtod(number.c_str(), &end);
      if (number.empty() || *end != '\0' || !std::isfinite(usd) || usd <= 0.0)
        FailField("prices",
                  "price of '" + name +
                      "' must be a positive number of dollars, got '" + number +
                      "'");
      out[found->name] = usd;
    }
  }
  return out;
}

bool TpAllowed(const model::Architecture& a, I t) {
  const I kv = a.mla.enabled() ? a.n_heads : a.kv_heads();
  return a.n_heads % t == 0 && (kv % t == 0 || t % kv == 0);
}

// How far a prediction is from the targets: max(tpot / target, ttft /
// target); at most 1 when it meets them.
double Violation(const ServePrediction& p, const ServeSearchOptions& s) {
  double v = 0.0;
  if (s.target_tpot_ms)
    v = std::max(v, p.tpot_seconds * 1e3 / *s.target_tpot_ms);
  if (s.target_ttft_ms)
    v = std::max(v, p.ttft_seconds * 1e3 / *s.target_ttft_ms);
  return v;
}

// What the ranking sorts by: the deployment's dollars per hour for a
// load, else dollars per million tokens; then fewer devices, lower TPOT.
bool Cheaper(const ServeCandidate& a, const ServeCandidate& b, bool load) {
  const double ka =
      load ? a.usd_per_hour : a.prediction.usd_per_million_tokens.value_or(0);
  const double kb =
      load ? b.usd_per_hour : b.prediction.usd_per_million_tokens.value_or(0);
  if (ka != kb) return ka < kb;
  if (a.devices != b.devices) return a.devices < b.devices;
  return a.prediction.tpot_seconds < b.prediction.tpot_seconds;
}

std::string Ms(double seconds) {
  return NumberText(std::round(seconds * 1e4) / 10.0);
}

}  // namespace

ServeSearchResult SearchServing(const model::Architecture& arch,
                                const std::vector<model::Device>& devices,
                                const ServeOptions& options,
                                const ServeSearchOptions& search) {
  ValidateFields(search);
  ValidateFields(options);
  model::Validate(arch, "architecture");
  const std::map<std::string, double> prices =
      ParsePrices(search.prices, devices);
  ServeSearchResult result;
  const bool load = search.load_tokens_per_second.has_value();
  std::vector<ServeCandidate> kept;
  std::optional<ServeCandidate> closest;
  const I top = search.top;

  for (const model::Device& d : devices) {
    std::optional<double> price = d.price_per_hour_usd;
    if (const auto it = prices.find(d.name); it != prices.end())
      price = it->second;
    if (!price) price = options.usd_per_hour;
    if (!price) {
      result.skipped.push_back(d.name + " (no price)");
      continue;
    }
    if (d.memory_bandwidth_bytes_per_second <= 0.0 || !d.peak_tflops_bf16) {
      result.skipped.push_back(d.name + " (no bandwidth or 16-bit peak)");
      continue;
    }
    result.devices.push_back(d.name);
    ServeOptions o = options;
    o.usd_per_hour = price;
    const ServeModel model(arch, d, o);
    const I domain = d.network.known() ? d.network.scale_up_domain : 1;
    for (I t = 1; t <= std::min(domain, search.max_devices); ++t) {
      if (domain % t != 0 || !TpAllowed(arch, t)) continue;
      if (options.expert_parallel > 1 && t % options.expert_parallel != 0)
        continue;
      for (I p = 1; p <= arch.n_layers && t * p <= search.max_devices; p *= 2) {
        if (p > 1 && !d.network.known()) break;
        ServeLayout l{t, p, options.expert_parallel, 1};
        const I largest = model.LargestBatch(l);
        if (largest == 0) {
          ++result.candidates;
          continue;
        }
        for (I b = 1;; b = std::min(2 * b, largest)) {
          l.batch = b;
          ServeCandidate c;
          c.prediction = model.Predict(l);
          ++result.candidates;
          ++result.fitting;
          const ServePrediction& pr = c.prediction;
          const double per_replica =
              pr.e2e_tokens_per_second_per_device * D(l.devices());
          c.replicas = load ? static_cast<I>(std::ceil(
                                  *search.load_tokens_per_second / per_replica))
                            : 1;
          c.devices = c.replicas * l.devices();
          c.usd_per_hour = D(c.devices) * *price;
          const double violation = Violation(pr, search);
          c.meets = violation <= 1.0;
          if (!closest || violation < Violation(closest->prediction, search))
            closest = c;
          if (c.meets) {
            ++result.meeting;
            const auto at = std::upper_bound(
                kept.begin(),
                kept.end(),
                c,
                [&](const ServeCandidate& x, const ServeCandidate& y) {
                  return Cheaper(x, y, load);
                });
            kept.insert(at, c);
            if (kept.size() > static_cast<std::size_t>(top)) kept.pop_back();
          } else {
            // Larger batches only take longer.
            break;
          }
          if (b == largest) break;
        }
      }
    }
  }
  if (result.devices.empty())
    FailField("prices",
              "the search ranks by cost and no device has a price: give "
              "--prices NAME=USD,... (or --usd-per-hour for every kind, or a "
              "--catalog with price_per_hour_usd)");
  for (std::size_t i = 0; i < kept.size(); ++i) {
    kept[i].rank = static_cast<I>(i + 1);
    result.best.push_back(kept[i]);
  }
  if (result.fitting == 0) {
    result.status = ServeSearchStatus::kNoneFits;
    result.message = "no layout of " + std::to_string(result.candidates) +
                     " fits in the usable memory";
  } else if (result.best.empty()) {
    result.status = ServeSearchStatus::kTargetNotMet;
    ServeCandidate c = *closest;
    c.rank = 1;
    const ServePrediction& p = c.prediction;
    std::string target;
    if (search.target_tpot_ms)
      target += "tpot <= " + NumberText(*search.target_tpot_ms) + " ms";
    if (search.target_ttft_ms)
      target += std::string(target.empty() ? "" : " and ") +
                "ttft <= " + NumberText(*search.target_ttft_ms) + " ms";
    result.message = "no layout meets " + target + "; the closest, " +
                     std::to_string(p.layout.devices()) + " x " + p.device +
                     " (" + p.layout.Describe() + "), gives tpot " +
                     Ms(p.tpot_seconds) + " ms and ttft " + Ms(p.ttft_seconds) +
                     " ms";
    result.best.push_back(std::move(c));
  }
  return result;
}

CheapestServing CheapestServingCost(const model::Architecture& arch,
                                    const model::Device& device,
                                    const ServeOptions& options,
                                    const ServeSearchOptions& search) {
  ServeSearchOptions s = search;
  s.prices.clear();
  s.load_tokens_per_second.reset();
  s.top = 1;
  ServeOptions o = options;
  if (!o.usd_per_hour) o.usd_per_hour = device.price_per_hour_usd;
  if (!o.usd_per_hour)
    FailField("usd_per_hour",
              "pricing inference on " + device.name +
                  " needs its price per device-hour (the catalog has none)");
  const ServeSearchResult r = SearchServing(arch, {device}, o, s);
  CheapestServing out;
  out.status = r.status;
  out.message = r.message;
  if (!r.best.empty())
    out.cost = ServingCostOf(arch, device, r.best.front().prediction);
  return out;
}

}  // namespace scalesim::perf
