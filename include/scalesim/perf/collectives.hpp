// Collective communication on a two-tier network: alpha-beta costs.
//
// A collective among n ranks moving a buffer of S bytes costs
//   time = launch + steps * alpha + volume(S) / B
// (Hockney's alpha-beta model; Thakur, Rabenseifner and Gropp 2005,
// "Optimization of Collective Communication Operations in MPICH", Sec. 2), with
// the ring algorithms NCCL uses for large buffers:
//   all-reduce      2(n-1)/n * S / B,  2(n-1) steps
//   reduce-scatter  (n-1)/n * S / B,    n-1 steps  (S: the unsharded buffer)
//   all-gather      (n-1)/n * S / B,    n-1 steps  (S: the gathered buffer)
//   all-to-all      each rank keeps S/n and sends the rest: the (k-1)/n of S
//                   bound for its own domain over scale-up, the (n-k)/n
//                   bound elsewhere over its NIC, both at once; 1 step
//   point-to-point  S / B, 1 step
// B is the achieved bus bandwidth per rank, the nccl-tests "busbw"
// convention (NVIDIA/nccl-tests doc/PERFORMANCE.md), alpha the latency of one
// step. NCCL's own tuning model has the same shape: a base latency per
// collective plus a per-step latency that differs within and across nodes
// (NVIDIA/nccl src/graph/tuning.cc).
//
// Two tiers (model::Network): scale-up domains of D devices (NVLink/NVSwitch
// nodes, TPU ICI slices) and a scale-out fabric with one NIC per device.
// Ranks are numbered tensor-innermost (tensor, context, data, pipeline;
// Megatron-LM's order), so a group is n ranks `stride` apart. Its k ranks
// per domain are min(n, D / stride) when stride < D, else 1.
//   - k >= n: the group lies in one domain; B = scale-up bandwidth x its
//     efficiency, alpha the scale-up latency.
//   - k < n: a ring crosses domains. NCCL runs one ring per NIC, so the k
//     ranks of a domain drive k NICs at once: B = min(scale-up, k x
//     scale-out), each x its efficiency (a DGX A100 pair with 8 HDR NICs
//     reaches about 8 x 25 x 0.9 GB/s; nccl-tests issue 119 measured 85-96
//     GB/s with 4 NICs per node), alpha the scale-out latency for the
//     2(nodes - 1) steps that cross and the scale-up latency for the rest
//     (NCCL tuning.cc's ring latency).
#ifndef SCALESIM_PERF_COLLECTIVES_HPP_
#define SCALESIM_PERF_COLLECTIVES_HPP_

#include <cstdint>

namespace scalesim::perf {

// The network as the cost model sees it: achieved bandwidths (line rate x
// efficiency), latencies and the fixed cost of launching a collective.
struct NetworkModel {
  std::int64_t scale_up_domain = 1;
  double scale_up_bytes_per_second = 0.0;   // achieved, per rank
  double scale_out_bytes_per_second = 0.0;  // achieved, per NIC
  double scale_up_latency_seconds = 0.0;    // per step
  double scale_out_latency_seconds = 0.0;   // per step
  double launch_seconds = 0.0;              // per collective (NCCL)
  double kernel_seconds = 0.0;  // a plain kernel launch (one-shot collectives)
};

// n ranks `stride` apart in the tensor-innermost order.
struct Group {
  std::int64_t size = 1;
  std::int64_t stride = 1;
};

// How a group sits on the network.
struct Placement {
  std::int64_t ranks_per_domain = 1;  // k
  std::int64_t domains = 1;           // ceil(n / k)
  bool crosses_domains = false;
  double bus_bytes_per_second = 0.0;  // B above
};
Placement Place(const Group& group, const NetworkModel& net);

// Seconds for one collective over `group` on a buffer of `bytes` (see the
// formulas above). A group of one rank, or no bytes, costs nothing.
double AllReduceSeconds(double bytes,
                        const Group& group,
                        const NetworkModel& net);
double ReduceScatterSeconds(double bytes,
                            const Group& group,
                            const NetworkModel& net);
double AllGatherSeconds(double bytes,
                        const Group& group,
                        const NetworkModel& net);
// One-shot all-reduce inside one scale-up domain, for small buffers: each
// rank writes its buffer to every peer and sums what it receives (vLLM's
// custom_all_reduce, TensorRT-LLM's oneShot AllReduce, PyTorch's
// intra-node comm): two steps of scale-up latency (the write and the flag
// that says it landed) after one plain kernel launch (kernel_seconds, 2 us
// in NetworkOf, not NCCL's base latency), and every rank receives
// (n - 1) S:
//   time = kernel + 2 alpha + (n - 1) S / B.
// 2 ranks of H100 (alpha 1.9 us): 5.8 us, where NCCL measures about 6 us
// with NVLS and CUDA graphs (NVIDIA/nccl issue 1259). A group that crosses
// domains has no one-shot path: the ring all-reduce.
double OneShotAllReduceSeconds(double bytes,
                               const Group& group,
                               const NetworkModel& net);
// What a serving runtime picks for an all-reduce: the faster of the ring
// and the one-shot algorithm (vLLM and TensorRT-LLM switch by message size).
double FastestAllReduceSeconds(double bytes,
                               const Group& group,
                               const NetworkModel& net);
// `bytes`: what one rank holds before the exchange (its share S/n stays).
double AllToAllSeconds(double bytes,
                       const Group& group,
                       const NetworkModel& net);
// One send of `bytes` between neighbours of `group` (a pipeline or context
// ring): over one NIC when the group crosses domains, else scale-up.
double PointToPointSeconds(double bytes,
                           const Group& group,
                           const NetworkModel& net);

}  // namespace scalesim::perf

#endif  // SCALESIM_PERF_COLLECTIVES_HPP_
