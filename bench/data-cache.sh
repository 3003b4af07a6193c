#!/usr/bin/env bash
# Image cache and batch assembly benchmark.
#  1. Builds the decoded-image cache of the real images at 64 and 128 px in a fresh, empty cache folder
#     (2 decoding threads), timed; then reopens it (checksums verified), timed.
#  2. Measures training-batch assembly from the cache: img/s at batch 64 with random dihedral views, first
#     with everything on the one consumer thread (prefetch off), then with the background prefetch thread.
# Usage: bench/data-cache.sh [DATA_DIR] [extra options, e.g. --limit 500 --sizes 64 --epochs 1]
# DATA_DIR defaults to ../shared/data/cell_images (from the repository root). Run it on a quiet machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
data="${1:-$here/../shared/data/cell_images}"
[[ $# -gt 0 ]] && shift
cache="$(mktemp -d "${TMPDIR:-/tmp}/smearscan-cache-bench.XXXXXX")"
trap 'rm -rf "$cache"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm), $(java -version 2>&1 | head -1)"
echo "# cache folder (fresh): $cache"
java ${SMEARSCAN_JAVA_OPTS:--Xmx4g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$bench_cp" org.smearscan.bench.data.DataCacheBenchmark "$data" --cache-dir "$cache" "$@"
