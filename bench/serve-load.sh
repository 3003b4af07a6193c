#!/usr/bin/env bash
# Load test of `smearscan serve`'s micro-batching, on the loopback interface only and bounded in clients and
# time: N concurrent clients post one image per request for M seconds against the service with micro-batching,
# then the same against one-at-a-time inference (max batch 1), on each engine asked for (`serve --engine`).
# Latency is the client's, from sending the HTTP request to having the whole response. Reports one line per
# engine and mode, `engine=E mode=batched|single clients=N ...` with throughput, p50/p99 latency and errors; when
# both modes ran, last one line `engine=E speedup <batched/one-at-a-time>` per engine. The server runs inside the
# load generator's JVM on 127.0.0.1 (nothing else is contacted); both share the machine's cores.
#
# Usage: bench/serve-load.sh [--quick] [--model FILE] [--engine pytorch|onnxruntime|pytorch,onnxruntime]
#                            [--single-client] [--modes batched,single] [--threads N] [--images DIR]
#                            [--clients N] [--seconds M] [--max-batch N] [--max-wait-ms MS] [--warmup S]
#   --model FILE      a model file; default: an untrained compact-slim model at 64 px, the default model's
#                     architecture (inference costs the same)
#   --engine LIST     engines to serve with, comma-separated, alternating within each mode (default: pytorch)
#   --single-client   one client, one image at a time (= --clients 1): each mode's p50/p99 is then the
#                     single-request latency; mode=batched shows what the max wait costs a lone request
#   --modes LIST      batched, single or both (default: batched,single)
#   --threads N       engine threads (default: the engine's, as `smearscan serve` runs)
#   --images DIR      PNGs to send (first 200); default: ../shared/data/cell_images when present, else generated discs
#   --quick           4 clients x 2 s, to check the script works (no figures worth keeping)
# Defaults: 16 clients x 20 s, max batch 32, max wait 0 ms (the service's). OMP_WAIT_POLICY is taken from the environment
# (bin/smearscan, which runs the service, sets PASSIVE). Run it on a quiet machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
model="" images="" args=() single_client=()
[[ -d "$here/../shared/data/cell_images" ]] && images="$here/../shared/data/cell_images"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) args+=(--clients 4 --seconds 2 --warmup 1) ;;
    --model) model="$2"; shift ;;
    --images) images="$2"; shift ;;
    --single-client) single_client=(--clients 1) ;;
    --engine|--modes|--threads|--clients|--seconds|--max-batch|--max-wait-ms|--warmup) args+=("$1" "$2"); shift ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
pytorch_cpu_env
jvm=(java -Xmx4g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
     -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error -cp "$bench_cp")
if [[ -z $model ]]; then
  model="$(mktemp "${TMPDIR:-/tmp}/smearscan-load.XXXXXX.smear")"
  trap 'rm -f "$model"' EXIT
  "${jvm[@]}" org.smearscan.bench.inference.InferenceBenchmark --write-model "$model" --arch compact-slim --size 64 >/dev/null
fi
[[ -n $images ]] && args+=(--images "$images")
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(nproc) cores, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-(default)}"
"${jvm[@]}" org.smearscan.bench.serve.ServeLoadBenchmark --model "$model" "${args[@]}" "${single_client[@]}"
