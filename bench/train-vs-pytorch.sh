#!/usr/bin/env bash
# Training throughput, SmearScan (DJL + PyTorch 2.7.1 natives) against PyTorch in Python (Debian's
# python3-torch), on torchvision's resnet18 layout with a 2-class fc, batch 64, 2 threads, synthetic input,
# at 64 and 128 px. Same glibc malloc tunables and OpenMP settings for both. The two sides alternate, one
# repetition each (BATCHES timed batches after WARMUP untimed ones, in a fresh process), REPS times, so a
# machine that speeds up or slows down during the run moves both sides alike; each side's figure is the
# median of its REPS repetitions.
#
#   bench/train-vs-pytorch.sh                # defaults: REPS=5 BATCHES=40 WARMUP=5
#   REPS=1 BATCHES=3 WARMUP=1 bench/train-vs-pytorch.sh   # a quick check that it runs
#
# Run it on a quiet machine: anything else on the cores changes the numbers. Last line:
#   ratio <smearscan img/s / pytorch img/s at 64 px>
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
REPS="${REPS:-5}"
BATCHES="${BATCHES:-40}"
WARMUP="${WARMUP:-5}"
THREADS="${THREADS:-2}"
PYTHON="${PYTHON:-/usr/bin/python3}"
pytorch_cpu_env
export OMP_NUM_THREADS="$THREADS"

djl_rep() {
  java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
      -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
      -cp "$bench_cp" org.smearscan.bench.train.TrainingBenchmark \
      --size "$1" --batch 64 --batches "$BATCHES" --warmup "$WARMUP" --reps 1 | grep ' rep='
}
pt_rep() {
  "$PYTHON" "$here/bench/pytorch_train_bench.py" --size "$1" --batch 64 --batches "$BATCHES" \
      --warmup "$WARMUP" --reps 1 --threads "$THREADS" | grep ' rep='
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, threads=$THREADS reps=$REPS batches=$BATCHES warmup=$WARMUP"
declare -A djl pt
declare -A djl_runs pt_runs
for rep in $(seq "$REPS"); do
  for size in 64 128; do
    line="$(djl_rep "$size")"; echo "${line/rep=1/rep=$rep}"
    djl_runs[$size]+="$(sed -n 's/.* img_per_s=\([0-9.]*\).*/\1/p' <<<"$line") "
    line="$(pt_rep "$size")"; echo "${line/rep=1/rep=$rep}"
    pt_runs[$size]+="$(sed -n 's/.* img_per_s=\([0-9.]*\).*/\1/p' <<<"$line") "
  done
done
for size in 64 128; do
  djl[$size]="$(tr ' ' '\n' <<<"${djl_runs[$size]}" | grep . | median)"
  pt[$size]="$(tr ' ' '\n' <<<"${pt_runs[$size]}" | grep . | median)"
done
for size in 64 128; do
  awk -v s="$size" -v a="${djl[$size]}" -v b="${pt[$size]}" \
    'BEGIN { printf "size %d: smearscan %.2f img/s, pytorch %.2f img/s, ratio %.3f\n", s, a, b, a / b }'
done
awk -v a="${djl[64]}" -v b="${pt[64]}" 'BEGIN { printf "ratio %.3f\n", a / b }'
