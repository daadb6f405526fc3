#!/usr/bin/env bash
# scalesim's Chinchilla Approach 3 fit beside the plain scipy implementation
# of the same procedure (scripts/fit_scipy.py): wall-clock times of the
# 4,500-start grid and of the bootstrap, and how far apart the optima are.
# Results go into docs/performance.md ("Chinchilla Approach 3 fit").
#
#   scripts/compare_fit.sh [BUILD_DIR] [DATA_CSV] [RESAMPLES]
#   (defaults: build/release, data/datasets/synthetic_chinchilla.csv, 4000)
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DATA=${2:-data/datasets/synthetic_chinchilla.csv}
RESAMPLES=${3:-4000}
SCALESIM=$BUILD/src/cli/scalesim
# Debian's interpreter has python3-scipy; a pyenv `python3` on PATH may not.
PYTHON=/usr/bin/python3

[[ -x $SCALESIM ]] || { echo "no $SCALESIM: build first (make build)" >&2; exit 2; }
"$PYTHON" -c 'import scipy' 2>/dev/null || { echo "$PYTHON lacks scipy (apt-get install python3-scipy)" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }

echo "data: $DATA; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
t0=$(now)
"$SCALESIM" fit --form chinchilla --data "$DATA" --bootstrap 0 --format json >"$TMP/grid.json" || true
t1=$(now)
"$SCALESIM" fit --form chinchilla --data "$DATA" --bootstrap "$RESAMPLES" --format json >"$TMP/boot.json" || true
t2=$(now)
"$PYTHON" scripts/fit_scipy.py "$DATA" --bootstrap "$RESAMPLES" >"$TMP/scipy.json"

"$PYTHON" - "$TMP" "$t0" "$t1" "$t2" <<'PY'
import json, sys
tmp, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:])
grid = json.load(open(f"{tmp}/grid.json"))
scipy = json.load(open(f"{tmp}/scipy.json"))
fit = grid["tables"]["fit"][0]
const = {r["constant"]: r["value"] for r in grid["tables"]["constants"]}
cpp_grid, cpp_boot = t1 - t0, (t2 - t1) - (t1 - t0)
py_grid, py_boot = scipy["grid_seconds"], scipy.get("bootstrap_seconds", float("nan"))
print(f"{'':24}{'scalesim':>14}{'scipy':>14}{'scipy/scalesim':>16}")
print(f"{'grid, 4500 starts (s)':24}{cpp_grid:14.3f}{py_grid:14.3f}{py_grid / cpp_grid:15.1f}x")
print(f"{'bootstrap (s)':24}{cpp_boot:14.3f}{py_boot:14.3f}{py_boot / cpp_boot:15.1f}x")
print(f"{'objective':24}{fit['objective']:14.8g}{scipy['objective']:14.8g}"
      f"  rel. diff {(scipy['objective'] - fit['objective']) / fit['objective']:.2e}")
for k in ("E", "A", "B", "alpha", "beta"):
    print(f"{k:24}{const[k]:14.8g}{scipy[k]:14.8g}  rel. diff {(scipy[k] - const[k]) / const[k]:.2e}")
print(f"{'best-basin starts':24}{fit['best_basin_starts']:14d}{scipy['best_basin_starts']:14d}")
print("(scalesim bootstrap time = run with --bootstrap minus run without; both include the grid)")
PY
