#!/usr/bin/env bash
# A split file's two sides as folders of symbolic links, OUT/train/<class>/ and OUT/valid/<class>/, so that a
# command that takes a class-per-folder data set (compose-fields, say) can be given one side only: fields composed
# from the validation donors' crops then test a model trained on fields composed from the training donors'.
#
#   scripts/split-folders.sh SPLIT_FILE OUT_DIR
#   scripts/split-folders.sh runs/cv-default/fold-1/split.tsv /tmp/nih-fold1
set -euo pipefail
split="${1:?usage: $0 SPLIT_FILE OUT_DIR}"
out="${2:?usage: $0 SPLIT_FILE OUT_DIR}"
root="$(sed -n 's/^# root\t//p' "$split")"
[[ -d $root ]] || { echo "$0: the split's data folder $root is missing" >&2; exit 1; }
[[ ! -e $out ]] || { echo "$0: $out exists; choose a new folder" >&2; exit 1; }
awk -F'\t' '!/^#/ && $1 != "path" && ($4 == "train" || $4 == "valid") { print $4 "\t" $1 }' "$split" |
  while IFS=$'\t' read -r side rel; do
    mkdir -p "$out/$side/$(dirname "$rel")"
    ln -s "$root/$rel" "$out/$side/$rel"
  done
for d in "$out"/*/*; do echo "$d: $(find "$d" -maxdepth 1 -type l | wc -l) images"; done
