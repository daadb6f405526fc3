#include "scalesim/perf/collectives.hpp"

#include <algorithm>

namespace scalesim::perf {
namespace {

double D(std::int64_t v) { return static_cast<double>(v); }

// launch + alpha per step, `cross` of the steps over scale-out.
double Latency(std::int64_t steps,
               std::int64_t cross,
               const NetworkModel& net) {
  return net.launch_seconds + D(steps - cross) * net.scale_up_latency_seconds +
         D(cross) * net.scale_out_latency_seconds;
}

// A ring of `steps_per_domain_boundary` x (domains - 1) crossing steps out
// of `steps`, moving `volume` bytes per rank.
double Ring(double volume,
            std::int64_t steps,
            std::int64_t crossings_per_boundary,
            const Group& group,
            const NetworkModel& net) {
  if (group.size <= 1 || volume <= 0.0) return 0.0;
  const Placement p = Place(group, net);
  const std::int64_t cross =
      std::min(steps, crossings_per_boundary * (p.domains - 1));
  return Latency(steps, cross, net) + volume / p.bus_bytes_per_second;
}

}  // namespace

Placement Place(const Group& group, const NetworkModel& net) {
  Placement p;
  const std::int64_t n = std::max<std::int64_t>(group.size, 1);
  const std::int64_t stride = std::max<std::int64_t>(group.stride, 1);
  p.ranks_per_domain =
      stride < net.scale_up_domain
          ? std::min(n, std::max<std::int64_t>(net.scale_up_domain / stride, 1))
          : 1;
  p.domains = (n + p.ranks_per_domain - 1) / p.ranks_per_domain;
  p.crosses_domains = p.domains > 1;
  p.bus_bytes_per_second =
      p.crosses_domains
          ? std::min(net.scale_up_bytes_per_second,
                     D(p.ranks_per_domain) * net.scale_out_bytes_per_second)
          : net.scale_up_bytes_per_second;
  return p;
}

double AllReduceSeconds(double bytes,
                        const Group& group,
                        const NetworkModel& net) {
  const double n = D(group.size);
  return Ring(2.0 * (n - 1.0) / n * bytes, 2 * (group.size - 1), 2, group, net);
}

double ReduceScatterSeconds(double bytes,
                            const Group& group,
                            const NetworkModel& net) {
  const double n = D(group.size);
  return Ring((n - 1.0) / n * bytes, group.size - 1, 1, group, net);
}

double AllGatherSeconds(double bytes,
                        const Group& group,
                        const NetworkModel& net) {
  return ReduceScatterSeconds(bytes, group, net);
}

double OneShotAllReduceSeconds(double bytes,
                               const Group& group,
                               const NetworkModel& net) {
  if (group.size <= 1 || bytes <= 0.0) return 0.0;
  const Placement p = Place(group, net);
  if (p.crosses_domains) return AllReduceSeconds(bytes, group, net);
  return net.kernel_seconds + 2.0 * net.scale_up_latency_seconds +
         (D(group.size) - 1.0) * bytes / p.bus_bytes_per_second;
}

double FastestAllReduceSeconds(double bytes,
                               const Group& group,
                               const NetworkModel& net) {
  return std::min(AllReduceSeconds(bytes, group, net),
                  OneShotAllReduceSeconds(bytes, group, net));
}

double AllToAllSeconds(double bytes,
                       const Group& group,
                       const NetworkModel& net) {
  if (group.size <= 1 || bytes <= 0.0) return 0.0;
  const Placement p = Place(group, net);
  const double n = D(group.size);
  const double k = D(p.ranks_per_domain);
  const double inside = bytes * (k - 1.0) / n / net.scale_up_bytes_per_second;
  const double outside =
      p.crosses_domains ? bytes * (n - k) / n / net.scale_out_bytes_per_second
                        : 0.0;
  return Latency(1, p.crosses_domains ? 1 : 0, net) + std::max(inside, outside);
}

double PointToPointSeconds(double bytes,
                           const Group& group,
                           const NetworkModel& net) {
  if (group.size <= 1 || bytes <= 0.0) return 0.0;
  const bool cross = Place(group, net).crosses_domains;
  return Latency(1, cross ? 1 : 0, net) +
         bytes / (cross ? net.scale_out_bytes_per_second
                        : net.scale_up_bytes_per_second);
}

}  // namespace scalesim::perf
