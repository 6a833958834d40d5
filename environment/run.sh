#!/usr/bin/env bash
# The main job: runs every notebook headless on the built-in phantom data and writes the executed
# notebooks, HTML pages and PNG figures under out/ (or the folder given as the first argument).
#   bash environment/run.sh [output-folder] [--scale Smoke|Quick|Paper]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash environment/setup.sh
out="${1:-out}"; shift || true
exec artifacts/kit/sasnet notebooks run notebooks --output "$out" "$@"
