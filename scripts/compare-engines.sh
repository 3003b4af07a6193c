#!/usr/bin/env bash
# Checks that ONNX Runtime gives the PyTorch engine's answers: classifies every image under DATA with
# `predict --engine pytorch` and `predict --engine onnxruntime` and compares them file by file.
# Prints the counts and the largest probability difference; exits 1 unless every label is identical and
# every probability agrees within TOL (default 1e-4).
#
#   scripts/compare-engines.sh MODEL.smear DATA [TOL]
#   scripts/compare-engines.sh runs/default/model.smear ../shared/data/cell_images
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: $0 MODEL DATA [TOL]}"
data="${2:?usage: $0 MODEL DATA [TOL]}"
tol="${3:-1e-4}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for engine in pytorch onnxruntime; do
  SECONDS=0
  "$here/bin/smearscan" predict "$model" "$data" --engine "$engine" --format csv >"$out/$engine.csv" 2>"$out/$engine.err"
  echo "$engine: $(($(wc -l <"$out/$engine.csv") - 1)) rows in ${SECONDS} s"
done
python3 - "$out/pytorch.csv" "$out/onnxruntime.csv" "$tol" <<'PY'
import csv, sys
def rows(path):
    with open(path, newline='') as f:
        return {r['file']: r for r in csv.DictReader(f)}
a, b, tol = rows(sys.argv[1]), rows(sys.argv[2]), float(sys.argv[3])
if a.keys() != b.keys():
    sys.exit(f"the engines classified different files: {len(a.keys() ^ b.keys())} differ")
labels = sum(a[k]['label'] != b[k]['label'] for k in a)
errors = sum(bool(a[k].get('error')) for k in a)
diff = max(abs(float(a[k]['parasitized_probability']) - float(b[k]['parasitized_probability']))
           for k in a if a[k]['parasitized_probability'] and b[k]['parasitized_probability'])
print(f"images {len(a)}, unreadable {errors}, labels that differ {labels}, "
      f"max |P(Parasitized) difference| {diff:.3g} (tolerance {tol:g})")
sys.exit(0 if labels == 0 and diff <= tol else 1)
PY
