# Sourced by the bench scripts. Sets `here` (the repository root) and `bench_cp`, the classpath that runs the
# benchmark classes. They live in smearscan-core/src/bench/java and compile with the tests into
# smearscan-core/target/test-classes, so they stay out of the shipped jar; the classpath adds target/classes and
# the runtime dependencies, listed by Maven in smearscan-core/target/bench.classpath. Both are rebuilt when missing or older than the sources or the pom.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
core="$here/smearscan-core"
bench_classpath_file="$core/target/bench.classpath"
if [[ ! -f $bench_classpath_file ]] ||
   [[ -n "$(find "$core/src/main" "$core/src/bench" "$core/pom.xml" "$here/pom.xml" -newer "$bench_classpath_file" -print -quit)" ]]; then
  echo "building the benchmarks (mvn test-compile) ..." >&2
  (cd "$here" && mvn -q -B -pl smearscan-core test-compile dependency:build-classpath -DincludeScope=runtime \
     -Dmdep.outputFile="$bench_classpath_file" >&2)
  touch "$bench_classpath_file"
fi
bench_cp="$core/target/classes:$core/target/test-classes:$(<"$bench_classpath_file")"

# The settings bin/smearscan gives PyTorch on a CPU, for both sides of a comparison.
pytorch_cpu_env() {
  export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184}"
  export OPT_OUT_TRACKING=true
}
