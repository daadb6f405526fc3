#!/usr/bin/env bash
# The main job on built-in defaults (make demo).
set -euo pipefail
bin=${1:-build/release/src/cli/scalesim}
run() { echo "\$ scalesim $*"; "$bin" "$@"; echo; }
run plan
run plan --devices 512 --days 30
run compare chinchilla-gopher
run params --preset llama3-8b
cat <<'TXT'
More: results/ holds the Chinchilla-vs-Gopher comparison, each law's
compute-optimal frontier, overtraining and IsoFLOP sweeps, inference-optimal
tables and a bootstrapped fit (make results regenerates them); the figures
are in results/figures/ (make notebooks redraws them). Sweeps of your own:
scalesim sweep --help.
TXT
