#!/usr/bin/env bash
# Executes every notebook of notebooks/ headless with Debian's Python
# (python3-matplotlib, python3-pandas, jupyter-nbconvert, python3-ipykernel)
# and checks the PNG figures they write to results/figures/. Executed copies
# go to build/notebooks/ (git-ignored): the committed notebooks stay
# output-free. Reads the CSVs of results/ (scripts/results.sh writes them)
# and calls the library through the Python module built beside the binary
# (BUILD/python for BUILD/src/cli/scalesim: import scalesim).
#
# Usage: scripts/notebooks.sh SCALESIM_BINARY
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 SCALESIM_BINARY" >&2
  exit 2
fi
if [ ! -x "$1" ]; then
  echo "$0: $1 is not an executable scalesim binary" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "$1")
py=/usr/bin/python3  # not the python3 on PATH, which may lack these packages
py_build=$(cd "$(dirname "$bin")/../.." && pwd)/python
if [ ! -f "$py_build/scalesim/__init__.py" ]; then
  echo "$0: no Python module in $py_build (build with pybind11-dev and python3-dev installed: scripts/install-deps.sh)" >&2
  exit 2
fi
export SCALESIM_PYTHON="$py_build" SCALESIM_ROOT="$root" MPLBACKEND=Agg
export PYDEVD_DISABLE_FILE_VALIDATION=1  # quiets ipykernel's frozen-modules debugger warning
cd "$root"

# A private kernelspec that names Debian's interpreter explicitly, so a user's
# or pyenv's "python3" kernel cannot substitute another one.
out=build/notebooks
kernel=scalesim-debian-python3
mkdir -p "$out/jupyter/kernels/$kernel" results/figures
cat > "$out/jupyter/kernels/$kernel/kernel.json" <<JSON
{"argv": ["$py", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "Python 3 (Debian, scalesim)", "language": "python"}
JSON
export JUPYTER_PATH="$root/$out/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

failed=()
for nb in notebooks/*.ipynb; do
  name=$(basename "$nb" .ipynb)
  rm -f "results/figures/$name.png"  # a failed run must not pass on an old figure
  start=$SECONDS
  if "$py" -m nbconvert --to notebook --execute --output-dir "$out" \
      --ExecutePreprocessor.kernel_name="$kernel" \
      --ExecutePreprocessor.timeout=600 "$nb" 2> "$out/$name.log"; then
    echo "notebooks: $name ok ($((SECONDS - start)) s)"
  else
    echo "notebooks: $name FAILED ($((SECONDS - start)) s); nbconvert says:" >&2
    sed "s/\x1b\[[0-9;]*m//g" "$out/$name.log" | tail -n 30 >&2
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "notebooks: ${#failed[@]} failed: ${failed[*]}" >&2
  exit 1
fi
"$py" scripts/check_figures.py results/figures
