# Sourced by the bench scripts. Sets `here` (the repository root) and `jar`, building the jar first when it
# is missing or older than the sources, as bin/smearscan does.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/target/smearscan.jar"
if [[ ! -f $jar ]] || [[ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building $jar ..." >&2
  (cd "$here" && mvn -q -B -DskipTests package >&2)
fi

# The settings bin/smearscan gives PyTorch on a CPU, for both sides of a comparison.
pytorch_cpu_env() {
  export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184}"
  export OPT_OUT_TRACKING=true
}
