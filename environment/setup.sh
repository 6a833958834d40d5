#!/usr/bin/env bash
# Installs whatever the kit needs that this machine lacks, then builds the native shim and the
# .NET projects. Safe to run again: each step is skipped when its result is already current.
#
#   bash environment/setup.sh                 # runtime: libtorch, HDF5, build tools, Chromium, plotly.js, build
#   bash environment/setup.sh --test-tools    # also the Python reference tools the tests compare against
#                                             # (numpy, h5py, scipy, scikit-image)
#   bash environment/setup.sh --python-torch  # also PyTorch for Python, for `sasnet benchmark engine`
#
# Environment: Torch_DIR=/path/to/libtorch/share/cmake/Torch builds the shim against another
# libtorch (for example the CUDA one inside a PyTorch install) instead of Debian's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

want_test_tools=0; want_python_torch=0
for arg in "$@"; do
  case "$arg" in
    --test-tools) want_test_tools=1 ;;
    --python-torch) want_python_torch=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }

# --- Debian packages ---------------------------------------------------------------------------
# Chromium renders figures to PNG; OpenBLAS replaces Debian's reference BLAS for libtorch's matrix kernels.
packages=(libtorch-dev libhdf5-dev cmake g++ make pkg-config libopenblas0-pthread chromium)
# npm may come with a Node.js that is not Debian's; only ask Debian for it when there is none.
command -v npm >/dev/null || packages+=(npm)
[ "$want_test_tools" = 1 ] && packages+=(python3-h5py python3-scipy python3-skimage python3-numpy)
[ "$want_python_torch" = 1 ] && packages+=(python3-torch)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"
  else
    echo "setup.sh: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup.sh: run this script as root, or give this user password-less sudo, or install them:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- npm: plotly.js for figures ------------------------------------------------------------------
if [ ! -f environment/node_modules/plotly.js-dist-min/plotly.min.js ]; then
  command -v npm >/dev/null || { echo "setup.sh: npm is needed for plotly.js (Debian package 'npm')" >&2; exit 1; }
  say "installing plotly.js from npm"
  (cd environment && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# --- native shim ---------------------------------------------------------------------------------
cmake_args=(-S src/native -B artifacts/native-build -DCMAKE_BUILD_TYPE=Release)
[ -n "${Torch_DIR:-}" ] && cmake_args+=("-DTorch_DIR=$Torch_DIR")
if [ ! -f artifacts/native-build/CMakeCache.txt ] || [ -n "${Torch_DIR:-}" ]; then
  say "configuring the native shim"
  cmake "${cmake_args[@]}" >/dev/null
fi
say "building the native shim"
cmake --build artifacts/native-build -j "$(nproc)" >/dev/null
mkdir -p artifacts/native
cp -u artifacts/native-build/libtorch_shim.so artifacts/native/

# --- .NET ----------------------------------------------------------------------------------------
command -v dotnet >/dev/null || { echo "setup.sh: the .NET 10 SDK is needed (dotnet on PATH)" >&2; exit 1; }
say "building the .NET projects"
dotnet build SasNet.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet publish src/SasNet.Cli/SasNet.Cli.csproj -c Release --no-build -o artifacts/kit -nologo -v quiet >/dev/null
ln -sf SasNet.Cli artifacts/kit/sasnet
say "ready: artifacts/kit/sasnet"
