#!/usr/bin/env bash
# 60 seconds at 64 connections on a cheap public page with the demo data:
# gunicorn as configured for production (2 x cores + 1 workers unless
# WEB_CONCURRENCY says otherwise) on PostgreSQL, loopback only. Every answer
# must be a 2xx.
#
#   DATABASE_URL=postgres://…/bench_db bench/sustained_load.sh [--write docs/performance.md]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve_for_bench.sh

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-64}
PAGE=${PAGE:-/harryda/}

start_gunicorn
workers=$(grep -c "Booting worker" "$tmp/gunicorn.log")
load_before=$(cut -d' ' -f1 /proc/loadavg)
curl -s -o /dev/null "$BASE_URL$PAGE"  # warm up
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/status_counts.lua \
    "$BASE_URL$PAGE" > "$tmp/wrk.out"

$PY bench/wrk_report.py sustained "$tmp/wrk.out" \
    --describe "$CONNECTIONS connections for $DURATION s on \`$PAGE\` (the municipality page, which reads the database), gunicorn with $workers sync workers, PostgreSQL on the same machine, $(nproc) cores shared with wrk; load average $load_before before the run, $(cut -d' ' -f1 /proc/loadavg) after." \
    "$@"
