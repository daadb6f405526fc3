#!/usr/bin/env bash
# make bench: every Google Benchmark program in <build>/bench, then the wall
# time of single analytic commands including process start (20 runs each).
# --with-peers also runs the scipy comparison of the fit (minutes).
set -euo pipefail
build=${1:-build/release}
peers=0
[[ "${2:-}" == "--with-peers" ]] && peers=1
bin="$build/src/cli/scalesim"

for b in "$build"/bench/*_bench; do
  [[ -x "$b" ]] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2 --benchmark_counters_tabular=true 2>/dev/null
done

echo "== analytic commands: wall time including process start (20 runs)"
/usr/bin/python3 - "$bin" <<'PY'
import subprocess, sys, time
binary = sys.argv[1]
commands = [
    "params --preset llama3-8b",
    "params --preset mixtral-8x7b --format json",
    "flops --preset gpt3-175b --tokens 3e11 --device a100-sxm4-80gb --devices 1024",
    "memory --preset llama2-70b --zero 1 --dp 64 --tp 8 --sequence-parallel --recompute selective --device h100-sxm",
    "loss --params 7e10 --tokens 1.4e12",
    "optimal --flops 1e24",
    "optimal --target-loss 1.947 --inference-tokens 2e12 --law sardana2024",
    "plan",
    "compare chinchilla-gopher",
    "step --preset llama2-7b --device h100-sxm --devices 8 --global-batch 128 --dtype fp8",
    "step --preset llama2-70b --device h100-sxm --devices 64 --global-batch 128 --search",
]
print(f"{'command':<60} {'mean ms':>8} {'min ms':>8}")
for c in commands:
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        subprocess.run([binary] + c.split(), stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t0) * 1e3)
    print(f"{c[:60]:<60} {sum(times)/len(times):8.2f} {min(times):8.2f}")
PY

echo "== sweeps written to a CSV file: rows per second including process start and disk (3 runs, best)"
/usr/bin/python3 - "$bin" <<'PY'
import os, subprocess, sys, tempfile, time
binary = sys.argv[1]
sweeps = [
    ("loss-grid 1000 x 1000, one law", 1_000_000,
     "sweep loss-grid --law hoffmann2022_approach3 --params-points 1000 --tokens-points 1000"),
    ("budget, 1,000,000 budgets, one law", 1_000_000,
     "sweep budget --law hoffmann2022_approach3 --points 1000000"),
    ("overtraining, 1,000,000 ratios, no serving memory", 1_000_002,
     "sweep overtraining --flops 1e23 --law hoffmann2022_approach3 --points 1000000 --no-serving-memory"),
    ("arch, 100 depths x 1,000 widths", 100_000,
     "sweep arch --layers 1:100 --d-model 128:128000:128"),
]
print(f"{'sweep':<52} {'rows':>10} {'best s':>8} {'rows/s':>12} {'MB':>7}")
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "sweep.csv")
    for name, rows, args in sweeps:
        best = None
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([binary] + args.split() + ["--out", out], check=True)
            t = time.perf_counter() - t0
            best = t if best is None else min(best, t)
        mb = os.path.getsize(out) / 1e6
        print(f"{name:<52} {rows:>10,} {best:8.3f} {rows / best:12,.0f} {mb:7.1f}")
PY

echo "== the Python peer of the memory formulas (scripts/memory_peer.py)"
/usr/bin/python3 scripts/memory_peer.py --bench "$bin" || true

if (( peers )); then
  bash scripts/compare_fit.sh
fi
