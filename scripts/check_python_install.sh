#!/usr/bin/env bash
# Installs the Python package of a build folder (BUILD/python, as
# docs/python.md says) into a fresh virtual environment with nothing
# downloaded, then imports it from elsewhere and checks one exact count.
# Debian's numpy and pandas come from the system site (the venv sees them).
#
# Usage: scripts/check_python_install.sh BUILD_PYTHON_DIR
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1/pyproject.toml" ]; then
  echo "usage: $0 BUILD/python (the folder with pyproject.toml)" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A copy: pip's setuptools build writes build/ and *.egg-info beside the
# sources, which must not land in (or race on) the build folder.
cp -r "$src" "$tmp/src"
rm -rf "$tmp/src/build" "$tmp/src"/*.egg-info
/usr/bin/python3 -m venv --system-site-packages "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --no-build-isolation --no-index \
    --disable-pip-version-check "$tmp/src"
cd "$tmp"
"$tmp/venv/bin/python" - <<'PY'
import scalesim
where = scalesim.__file__
assert "/venv/" in where, where  # the installed copy, not the build tree's
total = scalesim.params("llama3-8b").summary["total_params"]
assert total == 8_030_261_248, total  # Llama-3-8B, HF num_parameters()
assert scalesim.plan(flops=1e22).ok
print("python install: ok,", where)
PY
