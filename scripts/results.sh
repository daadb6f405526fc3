#!/usr/bin/env bash
# Regenerates every file of results/ (but figures/, which `make notebooks`
# draws) from the built binary. Deterministic: the same binary gives the same
# bytes (tests/results_test.sh compares the committed files with a fresh run).
#
# Usage: scripts/results.sh SCALESIM [OUTDIR]   (OUTDIR defaults to results)
set -euo pipefail
bin=$(realpath "$1")
out=${2:-results}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(realpath "$out")
cd "$root"

run() {  # run FILE ARGS...: scalesim ARGS > FILE, atomically
  local file=$1
  shift
  "$bin" "$@" --out "$out/$file"
}

# Hoffmann et al. 2022: Chinchilla vs Gopher, and Table 3 recomputed.
run chinchilla_gopher.csv compare chinchilla-gopher --format csv
run chinchilla_gopher.md compare chinchilla-gopher --format markdown
awk '/^# table3_approach1$/ {on=1; next} on && /^$/ {exit} on && !/^#/ {print}' \
  "$out/chinchilla_gopher.csv" > "$out/table3.csv.tmp"
mv "$out/table3.csv.tmp" "$out/table3.csv"

# The compute-optimal frontier of every built-in law, 1e18 to 1e27 FLOPs.
run frontiers.csv sweep budget --flops-min 1e18 --flops-max 1e27 --points 37
run frontiers.md sweep budget --flops-min 1e19 --flops-max 1e27 --points 9 \
  --format markdown

# IsoFLOP curves at Hoffmann et al.'s nine Fig. 3 budgets.
run isoflop.csv sweep isoflop --law hoffmann2022_approach3 \
  --law besiroglu2024 --span 10 --points 41

# Overtraining at three budgets (every loss law), and at Sardana et al.'s
# fixed loss with 2e12 lifetime inference tokens.
run overtraining.csv sweep overtraining --flops 1e21 1e23 1e25 \
  --inference-tokens 2e12 --points 41
run overtraining_fixed_loss.csv sweep overtraining --target-loss 1.947 \
  --inference-tokens 2e12 --law sardana2024 --points 81

# Inference-optimal models (Sardana et al. 2024): their golden case and a
# 1e24-FLOP budget served for 1e13 tokens under every law.
run inference_optimal_sardana.csv optimal --target-loss 1.947 \
  --inference-tokens 2e12 --law sardana2024 --format csv
run inference_optimal.csv optimal --flops 1e24 --inference-tokens 1e13 \
  --format csv
run inference_optimal.md optimal --flops 1e24 --inference-tokens 1e13 \
  --format markdown

# Approach 3 fit of the shipped synthetic dataset with 4,000 bootstrap
# resamples (seed 0), its residuals, every refit and the law file. Run from
# OUTDIR with data/ linked in, so every path the report prints is relative
# and the files do not depend on where OUTDIR is.
ln -sfn "$root/data" "$out/data"
trap 'rm -f "$out/data"' EXIT
(
  cd "$out"
  fit=(fit --form chinchilla --data data/datasets/synthetic_chinchilla.csv
       --bootstrap 4000 --seed 0 --budget 5.76e23)
  "$bin" "${fit[@]}" --format csv --out fit_synthetic_law.json \
    --residuals fit_synthetic_residuals.csv \
    --bootstrap-samples fit_synthetic_bootstrap.csv > fit_synthetic.csv.tmp
  mv fit_synthetic.csv.tmp fit_synthetic.csv
  "$bin" "${fit[@]}" --format markdown > fit_synthetic.md.tmp
  mv fit_synthetic.md.tmp fit_synthetic.md
)
