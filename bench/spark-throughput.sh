#!/usr/bin/env bash
# Images per second of the Spark job on local[1], local[2] and a 2-worker standalone cluster on 127.0.0.1,
# against single-process `bin/smearscan predict` on the same images, in one run. Each figure is the wall time
# of the whole command (JVM start, model load and verification, listing, classifying, writing); the job's own
# line (its time from listing to the last write) is printed too. Run it on a quiet machine:
#
#   bench/spark-throughput.sh MODEL.smear DATA_DIR [REPEATS]
#   bench/spark-throughput.sh runs/default/model.smear ../shared/data/cell_images 3
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
model="${1:?usage: $0 MODEL DATA_DIR [REPEATS]}"
data="$(cd "${2:?usage: $0 MODEL DATA_DIR [REPEATS]}" && pwd)"
repeats="${3:-1}"
work="$(mktemp -d)"
cluster_pids=()
stop_cluster() {
  for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  cluster_pids=()
}
trap 'stop_cluster; rm -rf "$work"' EXIT

"$here/bin/smearscan" --version >/dev/null   # builds the CLI jar outside the timings
"$here/bin/smearscan-spark" --help >/dev/null  # compiles the job outside the timings
target="$here/smearscan-spark/target"
images=$(find -L "$data" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) ! -name '.*' | wc -l)
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $images images under $data; $(date -u +%F)"

# A standalone cluster as Spark's sbin scripts would start it, from the jars Maven resolved: a master and two
# workers of one core each, on 127.0.0.1; the workers find Spark's jars in a Spark home of links.
start_cluster() {
  local home="$work/spark-home" cp port ui
  mkdir -p "$home/jars"
  cp="$(<"$target/spark.classpath")"
  tr ':' '\n' <<<"$cp" | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
  port=$((7077 + RANDOM % 1000)); ui=$((port + 1000))
  export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
  java -Xmx512m @"$here/smearscan-spark/spark-jvm.args" -cp "$cp" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$port" --webui-port "$ui" >"$work/master.log" 2>&1 &
  cluster_pids+=($!)
  for w in 1 2; do
    mkdir -p "$work/worker-$w"
    java -Xmx512m @"$here/smearscan-spark/spark-jvm.args" -cp "$cp" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores 1 --memory 3g --webui-port $((ui + w)) --work-dir "$work/worker-$w" \
      "spark://127.0.0.1:$port" >"$work/worker-$w.log" 2>&1 &
    cluster_pids+=($!)
  done
  for _ in $(seq 120); do
    curl -s "http://127.0.0.1:$ui/json/" | grep -q '"aliveworkers" *: *2' && { master_url="spark://127.0.0.1:$port"; return; }
    sleep 0.5
  done
  echo "the cluster did not start; see $work/*.log" >&2; exit 1
}

run_timed() { # label command...
  local start end
  start=$(date +%s.%N)
  "${@:2}" >"$work/out.txt" 2>"$work/err.txt" || { tail -20 "$work/err.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]:<28} {s:7.1f} s  {int(sys.argv[4])/s:7.1f} images/s')" \
    "$start" "$end" "$1" "$images"
  grep -ao '[0-9]* images classified.*' "$work/err.txt" | sed 's/^/    job: /' || true
}

for r in $(seq "$repeats"); do
  echo "--- repeat $r"
  run_timed "predict (one process)" "$here/bin/smearscan" predict "$model" "$data" --format csv
  rm -rf "$work/l1" "$work/l2" "$work/c2"
  run_timed "spark local[1]" "$here/bin/smearscan-spark" --master 'local[1]' "$model" "$data" --out "$work/l1"
  run_timed "spark local[2]" "$here/bin/smearscan-spark" --master 'local[2]' "$model" "$data" --out "$work/l2"
  start_cluster
  run_timed "spark standalone 2x1 core" env SMEARSCAN_JAVA_OPTS="-Xmx2g -Dspark.driver.host=127.0.0.1" \
    "$here/bin/smearscan-spark" --master "$master_url" "$model" "$data" --out "$work/c2" \
    --engine-threads 1
  stop_cluster
done
