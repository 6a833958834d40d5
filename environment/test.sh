#!/usr/bin/env bash
# Runs the whole test suite, installing and building whatever is missing first.
#   bash environment/test.sh [extra dotnet test arguments, e.g. --filter Category!=Slow]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash environment/setup.sh --test-tools
# The sweep tests submit to a real Slurm: a one-node cluster on this machine, stopped when the tests end. It needs
# root (slurmd runs jobs as their users); without it the sweep tests skip with the reason (and fail under CI).
slurm_state="${SASNET_SLURM_STATE:-/tmp/sasnet-slurm}"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
if [ "$SUDO" != none ] && $SUDO bash environment/slurm/local-cluster.sh start "$slurm_state"; then
  export SLURM_CONF="$slurm_state/slurm.conf"
  trap '$SUDO bash environment/slurm/local-cluster.sh stop "$slurm_state" >/dev/null || true' EXIT
else
  echo "[test] no local Slurm cluster (needs root or password-less sudo); the sweep tests will skip" >&2
fi
mkdir -p artifacts/test-results
rm -f artifacts/test-results/*.trx
status=0
# The code style of .editorconfig (names, layout): a change that breaks it fails the tests; `dotnet format` fixes layout.
echo "[test] dotnet format --verify-no-changes"
dotnet format SasNet.slnx --verify-no-changes --severity warn --no-restore -v q || { echo "[test] code style check failed: run 'dotnet format SasNet.slnx --severity warn' (names are fixed by hand)" >&2; status=1; }
dotnet test SasNet.slnx -c Release --no-build -nologo \
  --logger "trx" --results-directory artifacts/test-results "$@" || status=$?
# One closing line over all test projects, read from the result files.
python3 - <<'PY' || true
import glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob("artifacts/test-results/*.trx"):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error"))
    skipped += int(c.get("notExecuted"))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
