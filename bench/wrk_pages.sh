#!/usr/bin/env bash
# Every public page on the national dataset, uncached, with wrk: each page's
# own latency (one connection) against the target of a p99 under 100 ms.
# About 7 minutes (plus the dataset, once).
#
# One gunicorn instance as production runs it (DEBUG off,
# deploy/gunicorn.conf.py) with PAGE_CACHE_SECONDS=0, so every request
# renders, loopback only, on the PostgreSQL database holding the national
# dataset. The pages are those bench/national_pages.py picks from the data.
#
#   bench/wrk_pages.sh [--db ml_bench_national] [--only TEXT] [--write docs/performance.md]
#
# DURATION (10 s) is each page's time under load. The database is made by
# bench/generate_national.sh --keep unless it exists already. The API's rate
# limit is raised for the run: all the load comes from one address.
set -euo pipefail
cd "$(dirname "$0")/.."

db=ml_bench_national
write=()
only=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --write) write=(--write "$2"); shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
DURATION=${DURATION:-10}
PORT_UNCACHED=${PORT_UNCACHED:-8117}

source bench/national_db.sh
unset DATABASE_REPLICA_URL REDIS_URL
BENCH_DEMO=0 BENCH_PORT=$PORT_UNCACHED source bench/serve_for_bench.sh

ONLY="$only" DEBUG=true timeout 300 $PY - > "$tmp/urls" <<'PY'
import os
import sys

sys.path.insert(0, "bench")
import national_pages  # noqa: E402  (sets Django up)

for label, url in national_pages.pages():
    if os.environ["ONLY"].lower() in label.lower():
        print(f"{label}\t{url}")
PY

start_instance uncached "$PORT_UNCACHED" PAGE_CACHE_SECONDS=0 RATE_LIMIT_API=100000000/m
workers=$(grep -c "Booting worker" "$tmp/uncached.log")
base="http://127.0.0.1:$PORT_UNCACHED"
manifest="$tmp/manifest"
: > "$manifest"
load_before=$(cut -d' ' -f1 /proc/loadavg)
n=0
while IFS=$'\t' read -r label path; do
    n=$((n + 1))
    # Warm every worker on the page (templates, catalogues, connections) first.
    wrk -t1 -c2 -d2s --timeout 10s "$base$path" > /dev/null
    status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    if [ "$status" != 200 ]; then
        echo "$base$path answered $status" >&2
        exit 1
    fi
    out="$tmp/page-$n.out"
    wrk -t1 -c1 -d"${DURATION}s" --timeout 10s -s bench/status_counts.lua "$base$path" > "$out"
    printf '%s\t%s\tuncached\t1\t%s\n' "page-$n" "$label \`$path\`" "$out" >> "$manifest"
    echo "$label: $(grep -E '^latency_ms' "$out")"
done < "$tmp/urls"
load_after=$(cut -d' ' -f1 /proc/loadavg)

if grep -q Traceback "$tmp/uncached.log"; then
    echo "A stack trace in gunicorn's log:" >&2
    grep -h -A 20 Traceback "$tmp/uncached.log" | head -60 >&2
    exit 1
fi

$PY bench/wrk_report.py pages "$manifest" "${write[@]}" --describe \
"Measured by \`bench/wrk_pages.sh\` on $(date -u +%Y-%m-%d): gunicorn ($workers sync workers, \`deploy/gunicorn.conf.py\`, DEBUG off, \`PAGE_CACHE_SECONDS=0\`: every request rendered) on PostgreSQL $(psql -h "$host" -p "$port" -U "$user" -At -c 'SHOW server_version' | cut -d' ' -f1) with the national dataset ($(psql -h "$host" -p "$port" -U "$user" -At -c 'SELECT count(*) FROM activities_activity' "$db") activities), wrk at one connection for ${DURATION} s per page, $(nproc) cores shared by wrk, gunicorn and PostgreSQL (load average $load_before before, $load_after after). The pages are those \`bench/national_pages.py\` picks: the busiest promise, municipality and commitment, and so on."
