#!/usr/bin/env bash
# PostgreSQL restarted under load: gunicorn (deploy/gunicorn.conf.py, 2
# workers) and the task worker on PostgreSQL, wrk at 16 connections on a
# cheap public page that reads the database, and the database stopped for a
# few seconds in the middle. Requests meanwhile must get 503, none a 500 or
# a hang; the site must recover by itself, with neither gunicorn nor its
# workers restarted. About 40 s, loopback only.
#
# It stops the machine's PostgreSQL cluster (pg_ctlcluster, as root): every
# other connection to it is cut too. Run it on a machine of your own.
#
#   DATABASE_URL=postgres://…/bench_db bench/restart_during_load.sh [--write docs/performance.md]
#   BENCH_DRY_RUN=1 …   # everything but the restart, to try the script
#   BENCH_KEEP=folder …  # keep the logs, wrk's output and the probes there
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve_for_bench.sh

DURATION=${DURATION:-40}
RESTART_AT=${RESTART_AT:-12}
OUTAGE=${OUTAGE:-5}  # seconds from the stop command to the start command
CONNECTIONS=${CONNECTIONS:-16}
PAGE=${PAGE:-/harryda/}
read -r PG_VERSION PG_CLUSTER _ < <(pg_lsclusters -h | head -1)

events="$tmp/events"
probes="$tmp/probes"
now() { date +%s.%N; }

export WEB_CONCURRENCY=2
start_gunicorn
master=$gunicorn_pid
DEBUG=false $PY manage.py db_worker --no-reload > "$tmp/worker.log" 2>&1 &
task_worker=$!
curl -s -o /dev/null "$BASE_URL$PAGE"  # warm up

# The load balancer's view: both probes twice a second, with a short timeout.
(
    while sleep 0.5; do
        h=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE_URL/healthz")
        r=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$BASE_URL/readyz")
        echo "$(now) $h $r"
    done
) > "$probes" &
probe_loop=$!

echo "time $(now) wrk-start" > "$events"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s bench/status_counts.lua \
    "$BASE_URL$PAGE" > "$tmp/wrk.out" &
load=$!

sleep "$RESTART_AT"
stop_ms=$(date +%s%3N)
echo "time $(now) db-stop" >> "$events"
if [ -z "${BENCH_DRY_RUN:-}" ]; then
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast
fi
echo "time $(now) db-stopped" >> "$events"
# OUTAGE counts from the stop command, whose fast shutdown takes a while too.
wait_ms=$((stop_ms + OUTAGE * 1000 - $(date +%s%3N)))
if [ "$wait_ms" -gt 0 ]; then sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"; fi
echo "time $(now) db-start" >> "$events"
# When it accepts connections again, as seen from outside.
(
    until pg_isready -q -h 127.0.0.1 -t 1; do sleep 0.05; done
    echo "time $(now) db-ready" >> "$events"
) &
ready_poll=$!
if [ -z "${BENCH_DRY_RUN:-}" ]; then
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
wait "$ready_poll"

wait "$load"
kill "$probe_loop"

{
    if kill -0 "$master" 2>/dev/null; then
        echo "fact master-restarted no"
    else
        echo "fact master-restarted yes"
    fi
    echo "fact workers-renewed $(grep -c 'Autorestarting worker' "$tmp/gunicorn.log" || true)"
    echo "fact workers-lost $(grep -Ec 'WORKER TIMEOUT|exited with code|was sent SIGKILL' "$tmp/gunicorn.log" || true)"
    echo "fact tracebacks $(grep -c '^Traceback' "$tmp/gunicorn.log" || true)"
    echo "fact unavailable-logged $(grep -c 'Service unavailable for' "$tmp/gunicorn.log" || true)"
    if kill -0 "$task_worker" 2>/dev/null; then
        echo "fact task-worker still running"
    else
        echo "fact task-worker exited: $(grep -o '[A-Za-z.]*Error: .*' "$tmp/worker.log" | tail -1)"
    fi
} >> "$events"
kill "$task_worker" 2>/dev/null || true
if [ -n "${BENCH_KEEP:-}" ]; then
    mkdir -p "$BENCH_KEEP"
    cp "$tmp"/{gunicorn.log,worker.log,wrk.out,events,probes} "$BENCH_KEEP/"
fi

$PY bench/wrk_report.py restart "$tmp/wrk.out" --events "$events" --probes "$probes" \
    --describe "PostgreSQL ${PG_VERSION} stopped (fast shutdown) and started again ${OUTAGE} s later, ${RESTART_AT} s into ${DURATION} s of load: wrk, ${CONNECTIONS} connections on \`$PAGE\` (the municipality page, which reads the database); gunicorn with 2 sync workers and the task worker beside it, $(nproc) cores shared with wrk and PostgreSQL${BENCH_DRY_RUN:+ (DRY RUN: the database was not stopped)}." \
    "$@"
