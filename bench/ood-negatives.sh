#!/usr/bin/env bash
# What share of real cells and of each kind of negative a model's out-of-distribution score flags (not timed).
# MODEL needs the score (models trained since it exists have it; `smearscan fit-ood` adds it to older ones);
# SPLIT is its split file, whose validation donors are split in two: the threshold is fitted again on one half
# and the share of real cells flagged by mistake measured on the other. Negatives come from the smear-field
# photographs (background, dark-stained objects, whole fields; and their boxed red cells, which are cells of
# another stain), generated text and textures, and the photographs in PHOTOS_DIR if given.
#
#   bench/ood-negatives.sh MODEL SPLIT [DATA_DIR] [FIELDS_DIR] [--photos PHOTOS_DIR] [--per-kind N]
#   bench/ood-negatives.sh runs/cv-default/fold-1/model-ood.smear runs/cv-default/fold-1/split.tsv
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
model="${1:?usage: $0 MODEL SPLIT [DATA_DIR] [FIELDS_DIR] [options]}"
split="${2:?usage: $0 MODEL SPLIT [DATA_DIR] [FIELDS_DIR] [options]}"
shift 2
data="$here/../shared/data/cell_images"
fields="$here/../shared/data/smear_fields"
[[ $# -gt 0 && $1 != --* ]] && { data="$1"; shift; }
[[ $# -gt 0 && $1 != --* ]] && { fields="$1"; shift; }
pytorch_cpu_env
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
fields_opt=()
[[ -d $fields ]] && fields_opt=(--fields "$fields")
java ${SMEARSCAN_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$bench_cp" org.smearscan.bench.ood.OodNegativesBenchmark "$model" --data "$data" --split-file "$split" \
  "${fields_opt[@]}" "$@"
