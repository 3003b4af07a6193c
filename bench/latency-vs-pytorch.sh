#!/usr/bin/env bash
# Single-image latency (p50, p99) and batched throughput of one model on three engines, in one run: ONNX Runtime and
# PyTorch through DJL (LatencyBenchmark: both in one JVM, the model loaded as CellClassifier.load loads it, the engines
# alternating from one repetition to the next), then PyTorch in Python (bench/latency_pytorch.py, Debian's
# python3-torch at /usr/bin/python3, the same architecture and shapes with its own random weights: timing does not
# depend on the weights). Same threads, input size, glibc tunables and OMP_WAIT_POLICY for every side.
# Single image: one normalised 3xSIZExSIZE float tensor in, logits out, each call timed on its own (no decoding or
# resizing: that is --predict's line); throughput: batches of --batch.
#
# Usage: bench/latency-vs-pytorch.sh [--quick] [--model FILE] [--threads N] [--iters N] [--reps N] [--batch N]
#                                    [--batches N] [--warmup N] [--predict] [--no-python]
#   --model FILE   a .smear model (e.g. runs/default/model.smear); default: an untrained compact-slim model at 64 px,
#                  the default model's architecture (the same cost as a trained one)
#   --predict      also time CellClassifier.predict(BufferedImage) end to end on both Java engines
#   --no-python    skip PyTorch in Python
#   --quick        tiny run to check the script works (no figures worth keeping)
# Environment: ITERS, REPS, THREADS set the defaults of --iters, --reps, --threads; OMP_WAIT_POLICY (default PASSIVE,
# as bin/smearscan runs the service) applies to both PyTorch sides; ONNX Runtime runs with the product's session
# options (threads not spinning).
# Defaults: 2 threads, 50 warm-up images, 5 repetitions of 200 single images and 10 batches of 64.
# Prints each side's lines, a table, and last `ratio R`: PyTorch-through-DJL p50 single-image latency over ONNX
# Runtime's (above 1: ONNX Runtime answers faster). Run it on a quiet machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
threads="${THREADS:-2}" iters="${ITERS:-200}" reps="${REPS:-5}" warmup=50 batch=64 batches=10 model="" predict=() python_side=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) iters=5 reps=2 warmup=2 batch=8 batches=1 ;;
    --model) model="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --iters) iters="$2"; shift ;;
    --reps) reps="$2"; shift ;;
    --batch) batch="$2"; shift ;;
    --batches) batches="$2"; shift ;;
    --warmup) warmup="$2"; shift ;;
    --predict) predict=(--predict) ;;
    --no-python) python_side=0 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

python=/usr/bin/python3
if ((python_side)); then
  "$python" -c 'import torch, torchvision' 2>/dev/null || { echo "needs $python with torch and torchvision (apt-get install python3-torch python3-torchvision), or --no-python" >&2; exit 1; }
fi

# The same environment for every side.
pytorch_cpu_env
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
common=(--threads "$threads" --warmup "$warmup" --iters "$iters" --reps "$reps" --batch "$batch" --batches "$batches")
model_args=(); [[ -n $model ]] && model_args=(--model "$model")

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, threads=$threads iters=$iters reps=$reps warmup=$warmup batch=$batch batches=$batches"
echo "# GLIBC_TUNABLES=$GLIBC_TUNABLES OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
out_java="$(java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$bench_cp" \
  org.smearscan.bench.inference.LatencyBenchmark "${model_args[@]}" "${common[@]}" "${predict[@]}")"
echo "$out_java"
# The Python side builds what the Java side loaded.
field() { sed -n "s/^# model .* $1=\([^ ]*\) .*/\1/p" <<<"$out_java" | head -1; }
arch="$(field arch)" head="$(field head)" size="$(field size)"
[[ -n $arch && -n $head && -n $size ]] || { echo "could not read arch/head/size from LatencyBenchmark's header" >&2; exit 1; }
out_py=""
if ((python_side)); then
  case "$arch" in
    compact-slim|compact|resnet18|resnet34) ;;
    *) echo "bench/latency_pytorch.py cannot build architecture $arch" >&2; exit 1 ;;
  esac
  out_py="$("$python" "$here/bench/latency_pytorch.py" --arch "$arch" --head "$head" --size "$size" "${common[@]}")"
  echo "$out_py"
fi

value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
echo
echo "# $arch/$head at $size px, $threads threads; single image: p50/p99 over $((iters * reps)) calls; throughput: median of $reps"
printf '%-16s %14s %14s %16s\n' engine single_p50_ms single_p99_ms "batch${batch}_img/s"
for engine in onnxruntime pytorch pytorch-python; do
  line="$(grep -E "^engine=$engine " <<<"$out_java"$'\n'"$out_py" || true)"
  [[ -z $line ]] && continue
  printf '%-16s %14s %14s %16s\n' "$engine" "$(value single_p50_ms "$line")" "$(value single_p99_ms "$line")" \
    "$(value batch_img_per_s "$line")"
done
djl_p50="$(value single_p50_ms "$(grep -E '^engine=pytorch ' <<<"$out_java")")"
ort_p50="$(value single_p50_ms "$(grep -E '^engine=onnxruntime ' <<<"$out_java")")"
awk -v d="$djl_p50" -v o="$ort_p50" 'BEGIN { printf "ratio %.3f\n", d / o }'
