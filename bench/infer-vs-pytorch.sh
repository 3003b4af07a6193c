#!/usr/bin/env bash
# Batched CPU inference throughput of the same networks in SmearScan (DJL 0.36 + PyTorch 2.7.1 natives) and in
# PyTorch from Python (Debian's python3-torch at /usr/bin/python3), in one run, alternating, with the same
# threads, batch, input size and glibc tunables. Each side reports several repetitions; the table shows medians.
# Optionally also times `bin/smearscan predict` end to end (reading and decoding PNGs included) on a folder.
#
# Usage: bench/infer-vs-pytorch.sh [--quick] [--threads N] [--batch N] [--size PX] [--reps N] [--iters N]
#                                  [--archs "compact-slim compact resnet18"] [--predict DATA_DIR] [--model FILE]
#   --quick          tiny run to check the script works (1 rep, 2 iterations, no figures worth keeping)
#   --predict DIR    also time `bin/smearscan predict MODEL DIR --format csv` (e.g. ../shared/data/cell_images);
#                    MODEL is --model FILE, else an untrained compact-slim model at --size (same cost as a trained one)
# The last line is `ratio <smearscan/pytorch>`: median images/s of SmearScan over PyTorch for the first
# architecture (the default model's, compact-slim). Above 1 means SmearScan is faster. Run it on a quiet machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
threads=2 batch=64 size=64 reps=5 iters=20 warmup=5 archs="compact-slim compact resnet18" predict_dir="" model=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) reps=1 iters=2 warmup=1 ;;
    --threads) threads="$2"; shift ;;
    --batch) batch="$2"; shift ;;
    --size) size="$2"; shift ;;
    --reps) reps="$2"; shift ;;
    --iters) iters="$2"; shift ;;
    --archs) archs="$2"; shift ;;
    --predict) predict_dir="$2"; shift ;;
    --model) model="$2"; shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done

python=/usr/bin/python3
"$python" -c 'import torch, torchvision' 2>/dev/null || { echo "needs $python with torch and torchvision (apt-get install python3-torch python3-torchvision)" >&2; exit 1; }

# The same environment for both sides.
pytorch_cpu_env
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
common=(--size "$size" --batch "$batch" --threads "$threads" --warmup "$warmup" --iters "$iters" --reps "$reps")
quiet_cuda=-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error  # "no GPU" is expected here
djl() { java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$quiet_cuda" \
          -cp "$bench_cp" org.smearscan.bench.inference.InferenceBenchmark "$@"; }
median_of() { awk '/^median_images_per_s/ {print $2}'; }

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, threads=$threads batch=$batch size=$size reps=$reps iters=$iters"
echo "# GLIBC_TUNABLES=$GLIBC_TUNABLES OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(default)}"
declare -A ours theirs
for arch in $archs; do
  # The head that makes the network torchvision's own for resnets; fastai's for the compact default model.
  head=fastai; [[ $arch == resnet* ]] && head=linear
  out_djl="$(djl --arch "$arch" --head "$head" "${common[@]}")"; echo "$out_djl" | sed "s/^/smearscan $arch: /"
  out_py="$("$python" "$here/bench/infer_pytorch.py" --arch "$arch" --head "$head" "${common[@]}")"; echo "$out_py" | sed "s/^/pytorch   $arch: /"
  ours[$arch]="$(echo "$out_djl" | median_of)"
  theirs[$arch]="$(echo "$out_py" | median_of)"
done

if [[ -n $predict_dir ]]; then
  if [[ -z $model ]]; then
    model="$(mktemp "${TMPDIR:-/tmp}/smearscan-bench.XXXXXX.smear")"
    trap 'rm -f "$model"' EXIT
    djl --write-model "$model" --arch compact-slim --size "$size" >/dev/null
  fi
  n="$(find -L "$predict_dir" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) | wc -l)"
  start=$(date +%s.%N)
  SMEARSCAN_JAVA_OPTS="${SMEARSCAN_JAVA_OPTS:--Xmx8g} $quiet_cuda" "$here/bin/smearscan" predict "$model" "$predict_dir" --format csv --bs "$batch" > /dev/null
  end=$(date +%s.%N)
  awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN { printf "predict: %d images in %.1f s wall (%.0f images/s, JVM start and decoding included)\n", n, e - s, n / (e - s) }'
fi

printf '%-10s %14s %14s %8s\n' arch smearscan_img/s pytorch_img/s ratio
first=""
for arch in $archs; do
  [[ -z $first ]] && first="$arch"
  awk -v a="$arch" -v o="${ours[$arch]}" -v t="${theirs[$arch]}" 'BEGIN { printf "%-10s %14.1f %14.1f %8.3f\n", a, o, t, o / t }'
done
awk -v o="${ours[$first]}" -v t="${theirs[$first]}" 'BEGIN { printf "ratio %.3f\n", o / t }'
