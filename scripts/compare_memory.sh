#!/usr/bin/env bash
# scalesim's training-memory estimates beside the independent Python peer
# (scripts/memory_peer.py, written from Rajbhandari et al. 2020 and
# Korthikanti et al. 2022): first the agreement table (every component,
# peer bytes vs scalesim bytes; exits 1 if a case where Korthikanti's Table 2
# applies does not agree exactly), then the timings (ns per estimate in
# process, and wall time per process for one estimate). Results go into
# docs/performance.md ("Analytic computations in process").
#
#   scripts/compare_memory.sh [SCALESIM]   (default build/release/src/cli/scalesim)
set -euo pipefail

cd "$(dirname "$0")/.."
SCALESIM=${1:-build/release/src/cli/scalesim}
# Debian's interpreter (standard library only); a pyenv `python3` on PATH
# is not what the timings were taken with.
PYTHON=/usr/bin/python3

[[ -x $SCALESIM ]] || { echo "no $SCALESIM: build first (make build)" >&2; exit 2; }
[[ -x $PYTHON ]] || { echo "no $PYTHON" >&2; exit 2; }

echo "== agreement: scripts/memory_peer.py --check $SCALESIM"
rc=0
"$PYTHON" scripts/memory_peer.py --check "$SCALESIM" || rc=$?
echo
echo "== timing: scripts/memory_peer.py --bench $SCALESIM ($(nproc) cores; $(uptime | sed 's/.*load/load/'))"
"$PYTHON" scripts/memory_peer.py --bench "$SCALESIM"
exit "$rc"
