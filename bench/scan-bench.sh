#!/usr/bin/env bash
# The scan benchmark at organisation scale (issue 7; docs/benchmarks.md, "Scan benchmark").
#
#   bench/scan-bench.sh [--accounts 20] [--regions 2] [--keys 150] [--latency-ms 20] [--seed 42] [--xmx 512m]
#                       [--profile uniform]   (org: keys crowded in a home region, most regions AWS-managed keys or none)
#                       [--worker-threads N]   (HUB_SCAN_WORKER_THREADS; unset: the hub's default)
#                       [--modes LAST_USAGE,CLOUDTRAIL_ONLY] [--markdown FILE]
#                       [--cloudtrail-assist true]   (false: LAST_USAGE asks LookupEvents only for the gaps)
#                       [--gap-sweep true]   (false: one LookupEvents search per key for the gap before tracking began)
#                       [--hub-java-options ""]   (the hub's JVM options, the Dockerfile's by
#                        default; with -XX:NativeMemoryTracking=summary the hub's memory by JVM area is printed)
#                       [--sim-java-options ""]   (the simulator's JVM options)
#                       [--warm-up false]   (true or a number: another tenant scans the organisation first, once or that
#                        many times, so the hub is warm)
#                       [--floor false]   (true: then the scan's AWS calls alone, bench/src/SdkFloor.java on the hub's
#                        libraries: the floor under the hub's figures; only: the floor without the hub)
#
# Builds the jars if they are missing, starts spoke-sim's runnable jar with a generated organisation, and for each
# usage mode a fresh database (unusd_bench_<timestamp>_<mode>, dropped at the end) and a fresh hub process; runs a
# full scan and a rescan and prints the figures. Everything it starts is stopped, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/bench/target"
mkdir -p "$work"

hub_jar=$(ls hub-service/target/hub-service-*.jar 2>/dev/null | grep -v -e '-plain' -e '-sources' -e '-demo\.jar$' | head -1 || true)
sim_jar=$(ls spoke-sim/target/spoke-sim-*-exec.jar 2>/dev/null | head -1 || true)
# Whether a source, migration or build file changed after the jar $1 was built: a stale jar measures old code.
older_than_sources() {
  [[ -n "$(find hub-service/src spoke-sim/src spoke-role-cfn/src db/migration pom.xml ./*/pom.xml \
    -newer "$1" -print -quit 2>/dev/null)" ]]
}
if [[ -z "$hub_jar" || -z "$sim_jar" || -n "${BENCH_REBUILD:-}" ]] || older_than_sources "$hub_jar" \
    || older_than_sources "$sim_jar"; then
  echo "building the hub and spoke-sim jars (./mvnw -q -B -DskipTests package)"
  ./mvnw -q -B -DskipTests package
  hub_jar=$(ls hub-service/target/hub-service-*.jar | grep -v -e '-plain' -e '-sources' -e '-demo\.jar$' | head -1)
  sim_jar=$(ls spoke-sim/target/spoke-sim-*-exec.jar | head -1)
fi

# Compiles $4 into $3 against the runnable jar $1, unpacked in $2, unless what was built is newer than both.
compile_against() {
  local jar=$1 lib=$2 classes=$3 source=$4
  if [[ ! -d "$lib" || "$jar" -nt "$lib" || "$source" -nt "$classes/$(basename "$source" .java).class" ]]; then
    rm -rf "$lib" "$classes"
    mkdir -p "$lib" "$classes"
    (cd "$lib" && unzip -q "$root/$jar" 'BOOT-INF/*')
    "${JAVA_HOME:+$JAVA_HOME/bin/}javac" -d "$classes" -cp "$lib/BOOT-INF/classes:$lib/BOOT-INF/lib/*" "$source"
  fi
}
# The driver compiles against the simulator's classes (its organisation generator computes the quota bound from the
# same seeded scenario) and Jackson, both taken from the simulator's runnable jar.
classes="$work/classes"
lib="$work/sim-lib"
compile_against "$sim_jar" "$lib" "$classes" bench/src/ScanBench.java
# The SDK floor runs on the hub's own libraries (the AWS SDK and its HTTP client, at the hub's versions).
floor_classes="$work/floor-classes"
hub_lib="$work/hub-lib"
compile_against "$hub_jar" "$hub_lib" "$floor_classes" bench/src/SdkFloor.java

run_dir="$work/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
driver_pid=""
cleanup() {
  # The driver stops what it started; this only catches what a killed driver left behind.
  if [[ -n "$driver_pid" ]] && kill -0 "$driver_pid" 2>/dev/null; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [[ -f "$run_dir/started" ]]; then
    while read -r kind value _; do
      if [[ "$kind" == pid ]] && kill -0 "$value" 2>/dev/null \
          && grep -qa -e "$hub_jar" -e "$sim_jar" -e SdkFloor "/proc/$value/cmdline" 2>/dev/null; then
        kill "$value" 2>/dev/null || true
      fi
    done < "$run_dir/started"
    grep -o '^unusd_bench_[a-z0-9_]*' "$run_dir/started" | while read -r db; do
      psql -h 127.0.0.1 -U postgres -d postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# JAVA_HOME's java if set (Java 25 or later, README); the driver starts the hub and the simulator with the same java.
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$classes:$lib/BOOT-INF/classes:$lib/BOOT-INF/lib/*" ScanBench \
  --hub-jar "$hub_jar" --sim-jar "$sim_jar" --work-dir "$run_dir" --floor-classpath "$floor_classes:$hub_lib/BOOT-INF/lib/*" \
  --command "bench/scan-bench.sh${*:+ $*}" "$@" &
driver_pid=$!
wait "$driver_pid"
