#!/usr/bin/env bash
# Dashboard read API benchmark: seeds one tenant with 200 accounts, 250,000 keys and 1,000,000 findings in a
# database of its own, starts the hub jar against it and drives it with wrk; then times the dashboard's pages
# (bench/dashboard-pages.py) after adding 90 days of scans and 100 suppressions (bench/seed-dashboard.sql). Not a test:
# it prints figures.
# Usage: bench/api-bench.sh   (from anywhere; needs Java 25 (JAVA_HOME or the PATH), psql and Postgres on 127.0.0.1:5432 as postgres)
# Knobs: BENCH_DURATION (30s), BENCH_WARMUP (10s, before each endpoint's measured window), BENCH_CONNECTIONS (32),
# BENCH_PORT (18080), BENCH_KEEP_DB=1 to keep the database,
# BENCH_REUSE_DB=1 to reuse a kept, seeded database (a fresh API key is minted for its tenant),
# BENCH_PAGES_ONLY=1 to time only the dashboard's pages (no wrk, CSV or plans), BENCH_PAGE_REQUESTS (50) per page.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=unusd_bench
PORT=${BENCH_PORT:-18080}
DURATION=${BENCH_DURATION:-30s}
WARMUP=${BENCH_WARMUP:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
# The hub's JVM options, as the Dockerfile runs it (the JVM's default JIT); BENCH_HUB_JAVA_OPTIONS=-XX:TieredStopAtLevel=1
# runs C1 only, as the figures in docs/benchmarks.md of 2026-12-06 were taken.
HUB_JAVA_OPTIONS=${BENCH_HUB_JAVA_OPTIONS-}
BASE=http://127.0.0.1:$PORT
ADMIN_TOKEN=bench-admin-token-0123456789
PSQL=(psql -h 127.0.0.1 -U postgres -X -q -v ON_ERROR_STOP=1)
WORK=$(mktemp -d)
HUB_PID=

cleanup() {
    if [[ -n "$HUB_PID" ]]; then kill "$HUB_PID" 2>/dev/null || true; wait "$HUB_PID" 2>/dev/null || true; fi
    if [[ "${BENCH_KEEP_DB:-0}" != 1 ]]; then "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }

JAR=$(ls "$ROOT"/hub-service/target/hub-service-*.jar 2>/dev/null | grep -v -e original -e '-demo\.jar$' | head -1 || true)
if [[ -z "$JAR" ]]; then
    (cd "$ROOT" && ./mvnw -q -B -pl hub-service -am package -DskipTests)
    JAR=$(ls "$ROOT"/hub-service/target/hub-service-*.jar | grep -v -e original -e '-demo\.jar$' | head -1)
fi

REUSE=0
if [[ "${BENCH_REUSE_DB:-0}" == 1 ]] && [[ "$("${PSQL[@]}" -d postgres -At -c "select count(*) from pg_database where datname = '$DB'")" == 1 ]]; then
    REUSE=1
fi
if [[ $REUSE == 0 ]]; then
    echo "== database $DB"
    "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"
fi

# Starts the hub against $DB; extra environment assignments (e.g. HUB_FINDINGS_CACHE_SIZE=0B) come as arguments.
start_hub() {
    env HUB_DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB HUB_ADMIN_TOKEN=$ADMIN_TOKEN HUB_PRINCIPAL=111111111111 \
        PORT=$PORT HUB_API_RATE_PER_SECOND=1000000 HUB_API_RATE_BURST=1000000 "$@" \
        "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xms512m -Xmx512m $HUB_JAVA_OPTIONS -jar "$JAR" >"$WORK/hub.log" 2>&1 &
    HUB_PID=$!
    for _ in $(seq 1 300); do
        curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && return 0
        kill -0 "$HUB_PID" 2>/dev/null || { cat "$WORK/hub.log"; exit 1; }
        sleep 1
    done
}
stop_hub() {
    kill "$HUB_PID" 2>/dev/null || true
    wait "$HUB_PID" 2>/dev/null || true
    HUB_PID=
}

echo "== starting the hub (migrates the database)"
start_hub

if [[ $REUSE == 1 ]]; then
    TENANT=$("${PSQL[@]}" -d $DB -At -c "select id from tenants where name = 'bench'")
    API_KEY=unusd_$(python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))')
    "${PSQL[@]}" -d $DB -c "insert into api_keys (id, tenant_id, prefix, key_hash)
        values (gen_random_uuid(), '$TENANT', '${API_KEY:0:12}', sha256(convert_to('$API_KEY', 'UTF8')))"
    echo "== reusing the seeded tenant $TENANT"
else
    TENANT_JSON=$(curl -fs -X POST "$BASE/api/v1/tenants" -H "Authorization: Bearer $ADMIN_TOKEN" \
        -H 'Content-Type: application/json' -d '{"name":"bench"}')
    TENANT=$(jq -r .id <<<"$TENANT_JSON")
    API_KEY=$(jq -r .apiKey <<<"$TENANT_JSON")

    echo "== seeding tenant $TENANT"
    start=$(date +%s.%N)
    # Bulk load without the secondary indexes, then build them once: far faster than maintaining a dozen
    # indexes row by row. Their definitions come from the catalog, so the migrations stay the only source.
    "${PSQL[@]}" -d $DB -At -c "select indexdef || ';' from pg_indexes where tablename in ('kms_keys', 'findings')
        and indexname not in (select conname from pg_constraint)" >"$WORK/indexes.sql"
    "${PSQL[@]}" -d $DB -At -c "select 'drop index ' || indexname || ';' from pg_indexes
        where tablename in ('kms_keys', 'findings') and indexname not in (select conname from pg_constraint)" \
        | "${PSQL[@]}" -d $DB
    "${PSQL[@]}" -d $DB -v tenant="$TENANT" -f "$ROOT/bench/seed-findings.sql"
    { echo "set maintenance_work_mem = '512MB';"; cat "$WORK/indexes.sql"; } | "${PSQL[@]}" -d $DB
    "${PSQL[@]}" -d $DB -c "vacuum analyze"
    printf 'seeded in %.1f s: ' "$(echo "$(date +%s.%N) - $start" | bc)"
    "${PSQL[@]}" -d $DB -At -c "select (select count(*) from accounts) || ' accounts, ' || (select count(*) from kms_keys)
        || ' keys, ' || (select count(*) from findings) || ' findings'"
fi
AUTH="Authorization: Bearer $API_KEY"

# A real cursor after 500,000 rows of the default list: the sort key of row 500,000 signed the way
# dev.unusd.hub.web.Cursors does (HMAC-SHA256 over scope, 0, payload; key from hub_secrets), with
# FindingQueries' scope. The bench checks the hub accepts it and continues exactly at row 500,001.
read -r RANK LAST_ID <<<"$("${PSQL[@]}" -d $DB -At -F ' ' -c "select severity_rank, id from findings where status = 'OPEN'
    order by severity_rank desc, id desc offset 499999 limit 1")"
NEXT_ID=$("${PSQL[@]}" -d $DB -At -c "select id from findings where status = 'OPEN'
    order by severity_rank desc, id desc offset 500000 limit 1")
SECRET=$("${PSQL[@]}" -d $DB -At -c "select value from hub_secrets where name = 'cursor-hmac-key'")
CURSOR=$(python3 - "$SECRET" "$TENANT" "$RANK" "$LAST_ID" <<'PY'
import base64, hashlib, hmac, sys
secret, tenant, rank, last = sys.argv[1:]
scope = f"findings:{tenant}:status=OPEN&type=&severity=&accountId=null&awsAccountId=null&region=null&ou=null&accountDeactivated=null&unverified=null&sort=-severity"
payload = f"{rank}\x1f{last}".encode()
mac = hmac.new(secret.encode(), scope.encode() + b"\0" + payload, hashlib.sha256).digest()[:16]
b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
print(b64(payload) + "." + b64(mac))
PY
)
DEEP=$(curl -s -H "$AUTH" "$BASE/api/v1/findings?status=OPEN&limit=100&cursor=$CURSOR")
[[ "$(jq -r '.items[0].id' <<<"$DEEP" 2>/dev/null)" == "$NEXT_ID" ]] \
    || { echo "deep cursor does not continue at row 500,001: ${DEEP:0:500}"; exit 1; }

pages() {
    echo
    echo "== dashboard pages, one session, one request at a time; hub page cache ${1}; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    "${PSQL[@]}" -d $DB -v tenant="$TENANT" -f "$ROOT/bench/seed-dashboard.sql"
    read -r PAGE_KEY PAGE_ACCOUNT <<<"$("${PSQL[@]}" -d $DB -At -F ' ' -c "select id, account_id from kms_keys
        where id = md5('key-1000')::uuid")"
    python3 "$ROOT/bench/dashboard-pages.py" "$BASE" "$API_KEY" "$PAGE_KEY" "$PAGE_ACCOUNT" "${BENCH_PAGE_REQUESTS:-50}"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ "${BENCH_PAGES_ONLY:-0}" == 1 ]]; then
    stop_hub
    start_hub HUB_FINDINGS_CACHE_SIZE=0B
    pages off
    exit 0
fi

run() {
    local name=$1 path=$2
    # Warm-up: JIT, connection pool, Postgres buffers.
    wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -H "$AUTH" "$BASE$path" >/dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$BASE$path" >"$WORK/wrk.txt"
    local rps p50 p90 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
    p90=$(awk '$1 == "90%" {print $2}' "$WORK/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
    errors=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
    printf '| %-44s | %10s | %8s | %8s | %8s | %6s | %s\n' "$name" "$rps" "$p50" "$p90" "$p99" "${errors:-0}" \
        "$(cut -d' ' -f1 /proc/loadavg)"
}

echo
echo "== wrk, $CONNECTIONS connections, $DURATION per endpoint, $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-44s | %10s | %8s | %8s | %8s | %6s | %s\n' endpoint req/s p50 p90 p99 non-2xx "load after"
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "$(printf -- '-%.0s' {1..12})" \
    "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..8})-|------------"
run "GET /findings?status=OPEN&limit=100" "/api/v1/findings?status=OPEN&limit=100"
run "GET /findings?status=OPEN&limit=100 (row 500,001)" "/api/v1/findings?status=OPEN&limit=100&cursor=$CURSOR"
run "GET /summary" "/api/v1/summary"
run "GET /keys?limit=100" "/api/v1/keys?limit=100"

# The same two findings pages with the hub's page cache off: every request reads and renders its page in Postgres.
# Above, wrk repeats one URL, so after its first request the hub serves the cached page (the findings do not change).
stop_hub
start_hub HUB_FINDINGS_CACHE_SIZE=0B
run "GET /findings?status=OPEN&limit=100 (cache off)" "/api/v1/findings?status=OPEN&limit=100"
run "GET /findings ... (row 500,001, cache off)" "/api/v1/findings?status=OPEN&limit=100&cursor=$CURSOR"

echo
echo "== CSV of every finding (status=OPEN: all 1,000,000), hub heap capped at 512 MB"
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$HUB_PID/status"; }
echo "hub RSS before: $(rss) MB"
( while sleep 0.5; do rss; done ) >"$WORK/rss.txt" &
SAMPLER=$!
curl -fs -H "$AUTH" -H 'Accept: text/csv' -o "$WORK/findings.csv" \
    -w 'time %{time_total} s, %{size_download} bytes, first byte after %{time_starttransfer} s\n' \
    "$BASE/api/v1/findings?status=OPEN"
kill "$SAMPLER"
echo "findings in the CSV: $(grep -c -E '^[0-9a-f]{8}-[0-9a-f]{4}-' "$WORK/findings.csv")"
sort -n "$WORK/rss.txt" | awk 'NR == 1 {min = $1} {max = $1} END {print "hub RSS during the CSV: min " min " MB, max " max " MB"}'
awk '{a[NR] = $1} END {n = NR; q = int(n / 4); s = ""; for (i = 1; i <= n; i += (q > 0 ? q : 1)) s = s a[i] " "; print "RSS samples over time (MB): " s a[n]}' "$WORK/rss.txt"
echo "hub RSS after: $(rss) MB; load: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== plans of the main queries on this data (as the hub's role, under row-level security)"
read -r ACCOUNT KEY ARN <<<"$("${PSQL[@]}" -d $DB -At -F ' ' -c "select account_id, id, arn from kms_keys order by id offset 1000 limit 1")"
"${PSQL[@]}" -d $DB -v tenant="$TENANT" -v account="$ACCOUNT" -v key="$KEY" -v arn="$ARN" -f "$ROOT/bench/plans.sql" \
    | grep -E '^-- |Scan using|Scan on|Sort Key' | sed -E 's/ +->/  ->/'

# Last: the suppressions they add mute findings, which the figures above count as open.
pages off
