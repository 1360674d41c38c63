#!/usr/bin/env bash
# The differential run at length (issue 18; docs/benchmarks.md, "Differential run").
#
#   bench/differential.sh [--histories 10000] [--seed 1] [--seeds 4112,5712]   (--seeds: replay just those)
#
# Replays that many random key histories (UsageDifferentialIntegrationTest: incremental scans against a from-scratch
# scan and the simulator's ground truth after every scan) and prints
#   differential: N histories, M scans, 0 differences
# with the paths the incremental machinery took. Needs what ./mvnw verify needs (PostgreSQL on 127.0.0.1:5432, or
# HUB_TEST_DB_URL). A history that differs is printed with its seed and its steps, shrunk.
set -euo pipefail
cd "$(dirname "$0")/.."
histories=10000
seed=1
seeds=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --histories) histories="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
log=bench/target/differential-$(date +%Y%m%d-%H%M%S).log
mkdir -p bench/target
start=$(date +%s)
./mvnw -B verify -pl hub-service -am -Dtest=UsageDifferentialIntegrationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhub.embedded-tests.skip=true \
  -Ddifferential.histories="$histories" -Ddifferential.seed="$seed" -Ddifferential.seeds="$seeds" > "$log" 2>&1 || status=$?
grep -E '^differential' "$log" || true
grep -A200 '^seed ' "$log" | head -400 || true
echo "elapsed: $(( $(date +%s) - start )) s; log: $log"
exit "${status:-0}"
