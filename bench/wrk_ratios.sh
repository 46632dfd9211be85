#!/usr/bin/env bash
# Speed against the ceiling, on the national dataset: requests per second of
# public pages as a share of a trivial Django view's, and their latencies,
# measured with wrk in one run. About 8 minutes (plus the dataset, once).
#
# Two gunicorn instances as production runs them (DEBUG off,
# deploy/gunicorn.conf.py, Redis as the cache via REDIS_URL), loopback only,
# on one PostgreSQL database holding the national dataset:
#   - "cached" on $PORT_CACHED, with the page cache on (PAGE_CACHE_SECONDS's
#     production default with Redis), each page requested once before;
#   - "uncached" on $PORT_UNCACHED, with PAGE_CACHE_SECONDS=0: every request renders.
# Each is measured at $CONNECTIONS connections (throughput, with queueing) and
# at one connection (the page's own latency). The ceiling is a view that does
# nothing, behind the site's whole middleware and URLconf
# (bench/ceiling/urls.py); /healthz, which a middleware answers first, is
# shown beside it.
#
#   bench/wrk_ratios.sh [--db ml_bench_national] [--write docs/performance.md]
#
# The database is made by bench/generate_national.sh --keep (a million
# activities, a few minutes) unless it exists already. PGHOST, PGPORT and
# PGUSER say where PostgreSQL is (127.0.0.1, 5432, postgres by default);
# REDIS_URL defaults to database 12 of the local Redis. DURATION (15 s) and
# CONNECTIONS (8) change the load. The API's rate limit is raised for the
# run: all the load comes from one address.
set -euo pipefail
cd "$(dirname "$0")/.."

db=ml_bench_national
write=()
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift 2 ;;
        --write) write=(--write "$2"); shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-8}
PORT_CACHED=${PORT_CACHED:-8106}
PORT_UNCACHED=${PORT_UNCACHED:-8107}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/12}

source bench/national_db.sh
unset DATABASE_REPLICA_URL
BENCH_DEMO=0 BENCH_PORT=$PORT_CACHED source bench/serve_for_bench.sh

# The pages, picked from the data as bench/national_pages.py picks them.
DEBUG=true timeout 300 $PY - > "$tmp/urls" <<'PY'
import sys

sys.path.insert(0, "bench")
import national_pages  # noqa: E402  (sets Django up)

wanted = {
    "Promise, busiest current": "promise",
    "Activities, type": "activities",
    "API, all activities": "api",
    "API, municipality": "api_municipality",
}
for label, url in national_pages.pages():
    if label in wanted:
        print(wanted[label], url)
PY
url() { awk -v k="$1" '$1 == k {print $2}' "$tmp/urls"; }
promise=$(url promise)
activities=$(url activities)
api=$(url api)
api_municipality=$(url api_municipality)
facts=$(DEBUG=true $PY manage.py shell -v0 -c "
from django.urls import resolve
from activities.models import Activity
from promises.models import Promise
match = resolve('$promise')
promise = Promise.objects.get(slug=match.kwargs['promise'], municipalities__slug=match.kwargs['municipality'])
public = Activity.objects.public().for_promise(promise)
print(f'{promise.primary_municipality.name}: {public.count()} public activities in the promise, {Activity.objects.count()} in all')
")

common=(DJANGO_SETTINGS_MODULE=bench.ceiling.settings RATE_LIMIT_API=100000000/m)
start_instance cached "$PORT_CACHED" "${common[@]}"
start_instance uncached "$PORT_UNCACHED" "${common[@]}" PAGE_CACHE_SECONDS=0
workers=$(grep -c "Booting worker" "$tmp/cached.log")

manifest="$tmp/manifest"
: > "$manifest"
# measure KEY LABEL MODE PATH: wrk at $CONNECTIONS connections, then at one.
measure() {
    local key=$1 label=$2 mode=$3 path=$4 base
    base="http://127.0.0.1:$([ "$mode" = cached ] && echo "$PORT_CACHED" || echo "$PORT_UNCACHED")"
    for _ in 1 2 3; do curl -s -o /dev/null "$base$path"; done  # warm: workers, cache
    status=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    [ "$status" = 200 ] || { echo "$base$path answered $status" >&2; exit 1; }
    for conns in "$CONNECTIONS" 1; do
        local out="$tmp/$key-$mode-$conns.out"
        wrk -t"$([ "$conns" = 1 ] && echo 1 || echo 2)" -c"$conns" -d"${DURATION}s" --timeout 10s \
            -s bench/status_counts.lua "$base$path" > "$out"
        printf '%s\t%s\t%s\t%s\t%s\n' "$key" "$label" "$mode" "$conns" "$out" >> "$manifest"
        echo "$label, $mode, $conns connections: $(grep -E '^requests' "$out")"
    done
}

load_before=$(cut -d' ' -f1 /proc/loadavg)
measure ceiling "(a) trivial Django view \`/bench-trivial/\`" cached /bench-trivial/
measure healthz "\`/healthz\` (answered by the first middleware)" cached /healthz
measure promise "(b) promise page \`$promise\`" cached "$promise"
measure promise "(b) promise page \`$promise\`" uncached "$promise"
measure activities "(c) activities, filtered \`$activities\`" cached "$activities"
measure activities "(c) activities, filtered \`$activities\`" uncached "$activities"
measure api "(d) API list \`$api\`" cached "$api"
measure api "(d) API list \`$api\`" uncached "$api"
measure api_municipality "(d) API list \`$api_municipality\`" cached "$api_municipality"
measure api_municipality "(d) API list \`$api_municipality\`" uncached "$api_municipality"
load_after=$(cut -d' ' -f1 /proc/loadavg)

if grep -q Traceback "$tmp/cached.log" "$tmp/uncached.log"; then
    echo "A stack trace in gunicorn's log:" >&2
    grep -h -A 20 Traceback "$tmp/cached.log" "$tmp/uncached.log" | head -60 >&2
    exit 1
fi

$PY bench/wrk_report.py ratios "$manifest" "${write[@]}" --describe \
"Measured by \`bench/wrk_ratios.sh\` on $(date -u +%Y-%m-%d): gunicorn ($workers sync workers each, \`deploy/gunicorn.conf.py\`, DEBUG off, Redis cache) on PostgreSQL $(psql -h "$host" -p "$port" -U "$user" -At -c 'SHOW server_version' | cut -d' ' -f1) with the national dataset ($facts), wrk for ${DURATION} s per row and column, $(nproc) cores shared by wrk, gunicorn, PostgreSQL and Redis (load average $load_before before, $load_after after). *cached*: the page cache on, the page requested before; *uncached*: a second instance with \`PAGE_CACHE_SECONDS=0\`, every request rendered. The API stores no answers (only \`Cache-Control\` and an ETag for clients): every request reads its page of items; the cached instance keeps a list's exact \`count\` in the cache until the data changes (\`api/counts.py\`), the uncached one counts every request. Share of (a): requests per second divided by the trivial view's at the same connections."
