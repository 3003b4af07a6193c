#!/usr/bin/env bash
# Single training-step operators (3x3 convolution, batch norm in training and eval mode, ReLU, add) timed in
# SmearScan's engine (DJL 0.36 + PyTorch 2.7.1 natives) and in PyTorch from Python (Debian's python3-torch
# 1.13), same shapes, threads and glibc tunables, in one run. It shows where bench/train-vs-pytorch.sh's gap
# comes from. Shapes: resnet18's layer1 at 64 px (64x16x16) and compact-slim's first stage (16x32x32), batch 64.
#
#   bench/ops-vs-pytorch.sh            # ITERS=50 REPS=5
#
# Run it on a quiet machine. One line per op: `<op> <shape>: smearscan X ms, pytorch Y ms, ratio Y/X`
# (above 1 means SmearScan is faster).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ITERS="${ITERS:-50}" REPS="${REPS:-5}" THREADS="${THREADS:-2}"
pytorch_cpu_env
export OMP_NUM_THREADS="$THREADS"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, threads=$THREADS iters=$ITERS reps=$REPS"
ours="$(java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$bench_cp" org.smearscan.bench.train.OpBenchmark --iters "$ITERS" --reps "$REPS")"
theirs="$(/usr/bin/python3 "$here/bench/ops_pytorch.py" --iters "$ITERS" --reps "$REPS" --threads "$THREADS")"
echo "$ours"; echo "$theirs"
join <(sed -n 's/^djl op=\([^ ]*\) shape=\([^ ]*\) median_ms=\(.*\)/\1_\2 \3/p' <<<"$ours" | sort) \
     <(sed -n 's/^pytorch op=\([^ ]*\) shape=\([^ ]*\) median_ms=\(.*\)/\1_\2 \3/p' <<<"$theirs" | sort) |
  awk '{ split($1, k, "_"); op = $1; sub(/_[^_]*$/, "", op); shape = $1; sub(/.*_/, "", shape);
         printf "%s %s: smearscan %.3f ms, pytorch %.3f ms, ratio %.2f\n", op, shape, $2, $3, $3 / $2 }'
