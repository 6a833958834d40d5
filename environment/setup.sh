#!/usr/bin/env bash
# Installs whatever the kit needs that this machine lacks, restores the .NET packages (TorchSharp with
# libtorch comes from NuGet), makes TorchSharp's native wrapper loadable on this system, and builds.
# Safe to run again: each step is skipped when its result is already current.
#
#   bash environment/setup.sh                 # runtime: HDF5, OpenBLAS, Chromium, NuGet packages, build, the kit's feed
#   bash environment/setup.sh --test-tools    # also the Python reference tools the tests compare against
#                                             # (numpy, h5py, scipy, scikit-image, and PyTorch for the checkpoint tests),
#                                             # the dotnet-interactive tool behind Polyglot Notebooks (artifacts/tools),
#                                             # and Slurm with munge for the sweep tests' one-node cluster
#   bash environment/setup.sh --python-torch  # also PyTorch for Python, for `sasnet benchmark engine`
#
# Environment: TORCH_BACKEND=cuda builds against TorchSharp-cuda-linux instead of TorchSharp-cpu (on machines
# whose NuGet feed serves it).
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
packages=(libhdf5-dev libopenblas0-pthread chromium python3)
[ "$want_test_tools" = 1 ] && packages+=(python3-h5py python3-scipy python3-skimage python3-numpy python3-torch slurm-wlm munge)
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

# --- .NET ----------------------------------------------------------------------------------------
command -v dotnet >/dev/null || { echo "setup.sh: the .NET 10 SDK is needed (dotnet on PATH)" >&2; exit 1; }
backend=(-p:TorchBackend="${TORCH_BACKEND:-cpu}")
# The kit's feed (artifacts/feed, filled below) is a package source of this user's NuGet configuration, so that the
# kernel's restores (here and in VS Code) find it; a source given to `#i` would have to be an absolute path written
# into every notebook. It is pointed at this clone before the first restore: a source left pointing at another clone
# that has since been deleted would fail every restore.
feed="$ROOT/artifacts/feed"
mkdir -p "$feed"
if dotnet nuget list source --format detailed | grep -q "^ *[0-9]*\. *sasnet-kit \["; then
  dotnet nuget update source sasnet-kit --source "$feed" >/dev/null
else
  dotnet nuget add source "$feed" --name sasnet-kit >/dev/null
fi
say "restoring NuGet packages (TorchSharp and libtorch among them)"
dotnet restore SasNet.slnx "${backend[@]}" -nologo -v quiet

# TorchSharp's libLibTorchSharp.so is built with GCC 13 and names GLIBCXX_3.4.32 for one symbol it never calls;
# Debian 12's libstdc++ (GCC 12) stops at 3.4.30, so the loader would refuse it. The script marks that one
# requirement weak in the copy in the NuGet cache, which builds and notebooks both load; it changes nothing where
# the system libstdc++ has the version. See the README.
nuget_root="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
# Every copy: besides runtimes/linux-x64, TorchSharp's loader in .NET Interactive copies the natives into lib/*/cpu/.
mapfile -t wrappers < <(find "${nuget_root%/}"/torchsharp/ -name libLibTorchSharp.so 2>/dev/null)
[ "${#wrappers[@]}" -gt 0 ] || { echo "setup.sh: no libLibTorchSharp.so under ${nuget_root%/}/torchsharp after the restore" >&2; exit 1; }
python3 environment/torchsharp_glibcxx.py "${wrappers[@]}" | sed 's/^/[setup] /'

say "building the .NET projects"
dotnet build SasNet.slnx -c Release "${backend[@]}" --no-restore -nologo -v quiet -clp:ErrorsOnly
# For linux-x64, so that libtorch and TorchSharp's wrapper lie next to the assemblies: notebooks that `#r` the kit from
# artifacts/kit load them from there.
rm -rf artifacts/kit/runtimes
dotnet publish src/SasNet.Cli/SasNet.Cli.csproj -c Release "${backend[@]}" -r linux-x64 --self-contained false -o artifacts/kit -nologo -v quiet -clp:ErrorsOnly >/dev/null
# The kit must load libtorch now, not at the first notebook cell: a failure here names what is missing.
artifacts/kit/SasNet.Cli version >/dev/null || { echo "setup.sh: the built kit cannot load TorchSharp's native libraries (see the message above)" >&2; exit 1; }
# Which oneDNN instruction set computes right convolution gradients on this processor (once per processor and
# TorchSharp version; recorded under ~/.cache/sasnet-kit/engine and read by every kit process). See the README.
say "$(artifacts/kit/SasNet.Cli engine check | tail -n 1)"
ln -sf SasNet.Cli artifacts/kit/sasnet

# --- the notebook runner and the kit's NuGet feed ----------------------------------------------------
# The runner is a process of its own: notebooks take the kit from its package, as in VS Code, not from artifacts/kit.
rm -rf artifacts/kit/notebook-runner
dotnet publish src/SasNet.Notebooks/SasNet.Notebooks.csproj -c Release "${backend[@]}" --no-restore -o artifacts/kit/notebook-runner -nologo -v quiet -clp:ErrorsOnly >/dev/null
# Notebooks reference the kit as `#r "nuget: SasNet.Kit, *-*"`: the newest version in the local feed. Each set-up packs
# under a new pre-release version, so a rebuilt kit is never shadowed by an older copy in the NuGet cache.
version_suffix="dev.$(date -u +%Y%m%d%H%M%S)"
find artifacts/feed -mindepth 1 -delete
dotnet pack SasNet.slnx -c Release "${backend[@]}" --no-build --version-suffix "$version_suffix" -o artifacts/feed -nologo -v quiet -clp:ErrorsOnly >/dev/null
say "packed SasNet.Kit 0.5.0-$version_suffix into artifacts/feed (NuGet source 'sasnet-kit')"
# The kernel VS Code's Polyglot Notebooks runs, for the tests that check the kit in it.
interactive_version=1.0.712001
if [ "$want_test_tools" = 1 ] && ! artifacts/tools/dotnet-interactive --version 2>/dev/null | grep -q "^$interactive_version"; then
  say "installing the dotnet-interactive tool $interactive_version into artifacts/tools"
  rm -rf artifacts/tools
  dotnet tool install --tool-path artifacts/tools Microsoft.dotnet-interactive --version "$interactive_version" >/dev/null
fi
say "ready: artifacts/kit/sasnet"
