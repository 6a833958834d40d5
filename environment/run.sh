#!/usr/bin/env bash
# The main job: runs every notebook headless on the built-in phantom data and writes the executed
# notebooks, HTML pages and PNG figures under out/ (or the folder given as the first argument).
#   bash environment/run.sh [output-folder] [--scale Smoke|Quick|Paper] [--param Name=Value]... [--jobs N]
#
# Above Smoke scale the notebooks' trainings run first, as a local sweep (sasnet sweep plan + submit
# --scheduler local): N trainings at a time, each on its share of the cores (one thread each by default),
# which uses a small machine better than one training on all cores. The notebooks then read every
# result from the run cache. --jobs 1 (or a one-core machine) leaves the trainings to the notebooks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash environment/setup.sh
out="${1:-out}"; shift || true

scale=Quick
jobs=""
params=()
rest=()
while (($#)); do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --param) params+=(--param "$2"); shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done

if [ -z "$jobs" ]; then
  # One training per core, as many as memory allows (a Quick training peaks below 1 GiB, a Paper one on the
  # CPU near 6 GiB).
  per_job_mib=1536; [ "${scale,,}" = paper ] && per_job_mib=6144
  available_mib=$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)
  jobs=$(nproc)
  (( available_mib / per_job_mib < jobs )) && jobs=$(( available_mib / per_job_mib ))
  (( jobs < 1 )) && jobs=1
fi

kit=artifacts/kit/sasnet
if [ "${scale,,}" != smoke ] && (( jobs > 1 )); then
  sweep="$out/trainings"
  rm -rf "$sweep"
  start=$SECONDS
  echo "[run] planning the notebooks' trainings ($scale scale)"
  "$kit" sweep plan notebooks --scale "$scale" "${params[@]}" --output "$sweep"
  echo "[run] training them, $jobs at a time (logs in $sweep/logs)"
  "$kit" sweep submit "$sweep" --scheduler local --jobs "$jobs"
  echo "[run] trainings done in $(( SECONDS - start )) s; running the notebooks on the cached results"
fi
exec "$kit" notebooks run notebooks --output "$out" --scale "$scale" "${params[@]}" "${rest[@]}"
