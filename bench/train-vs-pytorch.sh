#!/usr/bin/env bash
# Training throughput, SmearScan (DJL + PyTorch 2.7.1 natives) against PyTorch in Python (Debian's
# python3-torch), on torchvision's resnet18 layout with a 2-class fc, batch 64, 2 threads, synthetic input,
# at 64 and 128 px. Same glibc malloc tunables and OpenMP settings for both. DJL runs first, then PyTorch;
# each reports the median of REPS repetitions of BATCHES timed batches (after WARMUP untimed ones).
#
#   bench/train-vs-pytorch.sh                # defaults: REPS=5 BATCHES=40 WARMUP=5
#   REPS=1 BATCHES=3 WARMUP=1 bench/train-vs-pytorch.sh   # a quick check that it runs
#
# Run it on a quiet machine: anything else on the cores changes the numbers. Last line:
#   ratio <smearscan img/s / pytorch img/s at 64 px>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPS="${REPS:-5}"
BATCHES="${BATCHES:-40}"
WARMUP="${WARMUP:-5}"
THREADS="${THREADS:-2}"
PYTHON="${PYTHON:-/usr/bin/python3}"
jar="$here/target/smearscan.jar"

export GLIBC_TUNABLES="glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184"
export OPT_OUT_TRACKING=true
export OMP_NUM_THREADS="$THREADS"

if [[ ! -f $jar ]] || [[ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..." >&2
  (cd "$here" && mvn -q -B -DskipTests package >&2)
fi

declare -A djl pt
for size in 64 128; do
  out="$(java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
      -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$jar" org.smearscan.train.TrainingBenchmark \
      --size "$size" --batch 64 --batches "$BATCHES" --warmup "$WARMUP" --reps "$REPS")"
  echo "$out"
  djl[$size]="$(sed -n 's/.*median_img_per_s=\([0-9.]*\).*/\1/p' <<<"$out")"
done
for size in 64 128; do
  out="$("$PYTHON" "$here/bench/pytorch_train_bench.py" --size "$size" --batch 64 --batches "$BATCHES" \
      --warmup "$WARMUP" --reps "$REPS" --threads "$THREADS")"
  echo "$out"
  pt[$size]="$(sed -n 's/.*median_img_per_s=\([0-9.]*\).*/\1/p' <<<"$out")"
done
for size in 64 128; do
  awk -v s="$size" -v a="${djl[$size]}" -v b="${pt[$size]}" \
    'BEGIN { printf "size %d: smearscan %.2f img/s, pytorch %.2f img/s, ratio %.3f\n", s, a, b, a / b }'
done
awk -v a="${djl[64]}" -v b="${pt[64]}" 'BEGIN { printf "ratio %.3f\n", a / b }'
