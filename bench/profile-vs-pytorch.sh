#!/usr/bin/env bash
# Where a training step's time goes, operator by operator: PyTorch's own profiler run inside SmearScan
# (TrainingBenchmark with -Dsmearscan.profile) and inside PyTorch from Python (bench/profile_pytorch.py), on
# the same network (resnet18 layout, 2-class fc), batch, threads and glibc tunables. Prints each ATen
# operator's self time in ms per batch on both sides, largest first. This is how the 2x2-map convolution
# and the held activations were found (BENCHMARKS.md).
#
#   bench/profile-vs-pytorch.sh            # SIZE=64 BATCHES=5 WARMUP=3 TOP=25
#
# Profiling adds overhead on both sides: compare the columns, not these totals with train-vs-pytorch.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIZE="${SIZE:-64}" BATCHES="${BATCHES:-5}" WARMUP="${WARMUP:-3}" TOP="${TOP:-25}" THREADS="${THREADS:-2}"
pytorch_cpu_env
export OMP_NUM_THREADS="$THREADS"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Xmx4g -Dsmearscan.profile="$work/smearscan.json" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" \
  -Dai.djl.pytorch.num_interop_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$bench_cp" org.smearscan.bench.train.TrainingBenchmark \
  --size "$SIZE" --batch 64 --batches "$BATCHES" --warmup "$WARMUP" --reps 1 >&2
/usr/bin/python3 "$here/bench/profile_pytorch.py" --size "$SIZE" --batches "$BATCHES" --warmup "$WARMUP" \
  --threads "$THREADS" --trace "$work/pytorch.json" >&2
/usr/bin/python3 "$here/bench/profile_pytorch.py" --compare "$work/smearscan.json" "$work/pytorch.json" \
  --batches "$BATCHES" --top "$TOP"
