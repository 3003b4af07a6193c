#!/usr/bin/env bash
# Confident learning, screened on one donor fold of `smearscan cv`: find the training crops whose label the
# data contradicts, train the default recipe without them, and score on the fold's validation donors.
#
#   bench/cv/confident-learning.sh CV_FOLD_DIR WORK_DIR [INNER_EPOCHS]
#   bench/cv/confident-learning.sh runs/cv-default/fold-1 /tmp/cl/fold-1 8
#
# 1. The fold's two sides become folders of links (scripts/split-folders.sh).
# 2. Out-of-fold scores for every training crop, without looking at the validation donors: the training donors
#    are split in two (`train --folds 2`), a short run on each half scores the other half.
# 3. A crop is flagged as mislabelled when the other class's out-of-fold probability reaches that class's mean
#    self-confidence (Northcutt et al.'s per-class threshold, two classes).
# 4. The default recipe trains on the rest (`--split folders`, the validation side unchanged), then `evaluate`
#    scores it on the validation donors exactly as `cv` does for a fold.
# The validation donors' crops are never scored by the inner runs, so nothing about them chooses what is left out.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
fold="${1:?usage: $0 CV_FOLD_DIR WORK_DIR [INNER_EPOCHS]}"
work="${2:?usage: $0 CV_FOLD_DIR WORK_DIR [INNER_EPOCHS]}"
inner_epochs="${3:-8}"
smearscan="${SMEARSCAN:-$here/bin/smearscan}"
mkdir -p "$work"
if [[ ! -d $work/sides ]]; then  # built aside and renamed, so that a killed run leaves no half-made folder
  rm -rf "$work/sides.part"
  "$here/scripts/split-folders.sh" "$fold/split.tsv" "$work/sides.part" >/dev/null
  mv "$work/sides.part" "$work/sides"
fi

for k in 1 2; do
  run="$work/inner-$k"
  if [[ ! -f $run/oof.csv ]]; then
    [[ -f $run/model.smear ]] || "$smearscan" train "$work/sides/train" --folds 2 --fold "$k" \
        --epochs "$inner_epochs" --out "$run" > "$run.log" 2>&1
    awk -F'\t' '!/^#/ && $1 != "path" && $4 == "valid" { print $1 }' "$run/split.tsv" |
      sed "s|^|$work/sides/train/|" > "$run/held-out.txt"
    xargs -a "$run/held-out.txt" -d '\n' "$smearscan" predict --format csv "$run/model.smear" \
        > "$run/oof.part" 2> "$run/predict.log"
    mv "$run/oof.part" "$run/oof.csv"
  fi
done

python3 - "$work" <<'PY'
import csv, os, sys
work = sys.argv[1]
rows = []
for k in (1, 2):
    with open(f"{work}/inner-{k}/oof.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["file"] == "file":  # xargs ran predict more than once: a header again
                continue
            if r["error"]:
                sys.exit(f"{r['file']}: {r['error']}")
            rows.append((r["file"], "/Parasitized/" in r["file"], float(r["parasitized_probability"])))
# self-confidence per class: mean probability of the given label among crops with that label
p_sick = [p for _, sick, p in rows if sick]
p_well = [1 - p for _, sick, p in rows if not sick]
t_sick, t_well = sum(p_sick) / len(p_sick), sum(p_well) / len(p_well)
flagged = [f for f, sick, p in rows if (sick and 1 - p >= t_well) or (not sick and p >= t_sick)]
with open(f"{work}/flagged.txt", "w") as out:
    out.write("\n".join(flagged) + "\n")
n_sick = sum(1 for f in flagged if "/Parasitized/" in f)
print(f"{len(rows)} training crops scored out of fold; thresholds parasitized {t_sick:.3f}, uninfected {t_well:.3f}; "
      f"flagged {len(flagged)} ({n_sick} labelled Parasitized, {len(flagged) - n_sick} Uninfected)")
PY

clean="$work/clean"
if [[ ! -d $clean ]]; then
  rm -rf "$clean.part"
  mkdir -p "$clean.part"
  cp -a "$work/sides/valid" "$clean.part/valid"
  cp -a "$work/sides/train" "$clean.part/train"
  # the flagged paths name the links under sides/train; remove their twins under the clean copy
  sed "s|^$work/sides/train/|$clean.part/train/|" "$work/flagged.txt" | xargs -d '\n' rm -f
  mv "$clean.part" "$clean"
fi
final="$work/final"
[[ -f $final/model.smear ]] || "$smearscan" train "$clean" --split folders --out "$final" > "$final.log" 2>&1
"$smearscan" evaluate "$final/model.smear" "$clean" --json > "$work/evaluate.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print({k: d[k] for k in d if k in ('n','accuracy','auc','sensitivity','specificity')})" "$work/evaluate.json"
