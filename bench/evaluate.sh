#!/usr/bin/env bash
# Evaluation benchmark: wall time and images/s of `smearscan evaluate` (plain, then --tta) and of
# `smearscan interpret` on the validation side of a model's split.
# Usage: bench/evaluate.sh MODEL [DATA_DIR] [extra evaluate options, e.g. --split-file F --batch-size 128]
# DATA_DIR defaults to ../shared/data/cell_images (from the repository root). Run it on a quiet machine:
# scoring is CPU-bound and its speed follows whatever else is running.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: bench/evaluate.sh MODEL [DATA_DIR] [evaluate options]}"
shift
data="${1:-$here/../shared/data/cell_images}"
[[ $# -gt 0 ]] && shift
out="$(mktemp -d "${TMPDIR:-/tmp}/smearscan-eval-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(java -version 2>&1 | head -1), $(nproc) cores"
echo "# model $model, data $data"
run() {
  local label=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$here/bin/smearscan" "$@" >"$out/$label.out" 2>"$out/$label.err" || { cat "$out/$label.err" >&2; exit 1; }
  end=$(date +%s.%N)
  local n
  n=$(grep -o '"n":[0-9]*' "$out/$label.out" | head -1 | cut -d: -f2 || true)
  if [[ -n $n ]]; then
    awk -v l="$label" -v s="$start" -v e="$end" -v n="$n" \
      'BEGIN { printf "%-12s %8.1f s  %6d images  %7.1f images/s\n", l, e - s, n, n / (e - s) }'
  else
    awk -v l="$label" -v s="$start" -v e="$end" 'BEGIN { printf "%-12s %8.1f s\n", l, e - s }'
  fi
}
run plain evaluate "$model" "$data" --json "$@"
run tta evaluate "$model" "$data" --json --tta "$@"
run interpret interpret "$model" "$data" --out "$out/report" "$@"
