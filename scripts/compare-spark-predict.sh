#!/usr/bin/env bash
# Checks that the Spark job gives `bin/smearscan predict`'s answers: classifies every image under DATA with
# `predict --format csv` (one process) and with `bin/smearscan-spark --master MASTER --format csv`, then compares
# them image by image (by absolute path). Prints the counts and the largest probability difference; exits 1
# unless both saw the same images, every label and status (ok / not_a_cell) is identical and every probability
# agrees within TOL (1e-5).
#
#   scripts/compare-spark-predict.sh MODEL.smear DATA [MASTER] [TOL]
#   scripts/compare-spark-predict.sh runs/default/model.smear ../shared/data/cell_images local[2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: $0 MODEL DATA [MASTER] [TOL]}"
data="$(cd "${2:?usage: $0 MODEL DATA [MASTER] [TOL]}" && pwd)"
master="${3:-local[2]}"
tol="${4:-1e-5}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
SECONDS=0
"$here/bin/smearscan" predict "$model" "$data" --format csv >"$out/predict.csv" 2>"$out/predict.err"
echo "predict: $(($(wc -l <"$out/predict.csv") - 1)) rows in ${SECONDS} s"
SECONDS=0
"$here/bin/smearscan-spark" --master "$master" "$model" "$data" --out "$out/spark" --format csv 2>"$out/spark.err" >/dev/null \
  || { tail -20 "$out/spark.err" >&2; exit 1; }
echo "spark ($master): $(grep -ao '[0-9]* images classified.*' "$out/spark.err") - ${SECONDS} s with start-up"
python3 - "$out/predict.csv" "$out/spark/cells" "$tol" <<'PY'
import csv, glob, os, sys
predict_csv, spark_dir, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(predict_csv, newline='') as f:
    a = {os.path.abspath(r['file']): r for r in csv.DictReader(f)}
b = {}
for part in glob.glob(os.path.join(spark_dir, 'part-*.csv')):
    with open(part, newline='') as f:
        for r in csv.DictReader(f):
            path = r['path'][len('file:'):] if r['path'].startswith('file:') else r['path']
            b[os.path.abspath(path)] = r
if a.keys() != b.keys():
    only = sorted(a.keys() - b.keys())[:3] + sorted(b.keys() - a.keys())[:3]
    sys.exit(f"predict and the job saw different images: {len(a.keys() ^ b.keys())} differ, e.g. {only}")
errors = sum(bool(a[k]['error']) != bool(b[k]['error']) for k in a)
labels = sum(a[k]['label'] != b[k]['label'] for k in a)
statuses = sum(a[k].get('status', '') != b[k].get('status', '') for k in a)
ok = [k for k in a if a[k]['parasitized_probability'] and b[k]['parasitized_probability']]
diff = max((abs(float(a[k][c]) - float(b[k][c])) for k in ok for c in ('probability', 'parasitized_probability')),
           default=0.0)
print(f"images {len(a)}, classified {len(ok)}, unreadable in one only {errors}, labels that differ {labels}, "
      f"statuses that differ {statuses}, max |probability difference| {diff:.3g} (tolerance {tol:g})")
sys.exit(0 if errors == 0 and labels == 0 and statuses == 0 and diff <= tol else 1)
PY
