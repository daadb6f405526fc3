#!/usr/bin/env bash
# Installs the Debian 12 packages scalesim needs, skipping those already present.
# Idempotent; works as root or through sudo. Set SCALESIM_DEPS=build to skip
# the notebook packages (the Python module's own are build packages).
set -euo pipefail

BUILD_PKGS=(
  cmake g++ make ninja-build
  libgtest-dev libgmock-dev libbenchmark-dev
  libceres-dev libeigen3-dev
  libboost-math-dev libboost-program-options-dev
  libfccp-dev nlohmann-json3-dev libfmt-dev
  # the Python module (src/python) and its test suite (tests/python)
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest
  # installing it from the build folder (pip install, a venv: python_install)
  python3-pip python3-venv python3-setuptools
)
NOTEBOOK_PKGS=(
  jupyter-nbconvert jupyter-client python3-ipykernel python3-nbformat
  python3-matplotlib python3-pandas python3-scipy
)

want=("${BUILD_PKGS[@]}")
if [[ "${SCALESIM_DEPS:-all}" != "build" ]]; then
  want+=("${NOTEBOOK_PKGS[@]}")
fi

missing=()
for pkg in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
