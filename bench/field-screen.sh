#!/usr/bin/env bash
# Seconds per smear field of `screen`, end to end (read, segment, crop, classify): the per-field distribution
# from one JVM (after a warm-up pass), with reading and segmenting alone timed in the same run as the baseline
# shares; then the whole `bin/smearscan screen` command over the folder (JVM start and model load included),
# divided by the number of fields. Run it on a quiet machine:
#
#   bench/field-screen.sh MODEL FIELDS_DIR [REPEATS]
#   bench/field-screen.sh runs/fields/model.smear ../shared/data/smear_fields/fields 3
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
model="${1:?usage: $0 MODEL FIELDS_DIR [REPEATS]}"
fields="${2:?usage: $0 MODEL FIELDS_DIR [REPEATS]}"
repeats="${3:-3}"
pytorch_cpu_env
"$here/bin/smearscan" --version >/dev/null   # builds the CLI jar outside the timings
n=$(find "$fields" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $n fields in $fields"
java ${SMEARSCAN_JAVA_OPTS:--Xmx4g} -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$bench_cp" org.smearscan.bench.fields.FieldScreenBenchmark "$model" "$fields" --repeats "$repeats"
walls=()
for ((r = 1; r <= repeats; r++)); do
  start=$(date +%s.%N)
  "$here/bin/smearscan" screen "$model" "$fields" --format csv >/dev/null 2>&1
  walls+=("$(echo "$(date +%s.%N) - $start" | bc -l)")
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
printf 'whole command: bin/smearscan screen MODEL FIELDS_DIR, median of %d: %.1f s for %d fields = %.3f s per field\n' \
  "$repeats" "$median" "$n" "$(echo "$median / $n" | bc -l)"
