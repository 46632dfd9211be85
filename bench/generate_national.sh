#!/usr/bin/env bash
# The national benchmark: a fresh PostgreSQL database with a million
# activities, the time it takes to generate them and the rows made, then the
# time of every public page (bench/national_pages.py). The database is dropped
# at the end unless --keep.
#
# Usage (from anywhere; PostgreSQL reachable as PGHOST, PGPORT, PGUSER):
#
#     bench/generate_national.sh [--activities 1000000] [--requests 30] [--db NAME]
#                                [--bulk-create] [--json FILE] [--before FILE] [--no-pages]
#                                [--keep]
#
# --bulk-create writes the activities with bulk_create instead of COPY (to
# compare), --json saves the page figures and --before shows an earlier run's
# beside them, --no-pages stops after the generation. Each step has a time
# limit, so a run never hangs.
set -euo pipefail
cd "$(dirname "$0")/.."

activities=1000000
requests=30
db=medborgarlofte_national_bench
keep=""
no_pages=""
extra=()
pages=()
while [ $# -gt 0 ]; do
    case "$1" in
        --activities) activities="$2"; shift 2 ;;
        --requests) requests="$2"; shift 2 ;;
        --db) db="$2"; shift 2 ;;
        --bulk-create) extra+=(--bulk-create); shift ;;
        --json) pages+=(--json "$2"); shift 2 ;;
        --before) pages+=(--before "$2"); shift 2 ;;
        --keep) keep=1; shift ;;
        --no-pages) no_pages=1; shift ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done

host="${PGHOST:-127.0.0.1}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
python=.venv/bin/python
# The pages are rendered each time: what the database does, not what the page cache saves.
export DEBUG=true DATABASE_URL="postgres://$user@$host:$port/$db" PAGE_CACHE_SECONDS=0
unset DATABASE_REPLICA_URL REDIS_URL

step() { printf '\n=== %s\n' "$*"; }
psql_db() { psql -h "$host" -p "$port" -U "$user" -d "$db" -At "$@"; }

if psql -h "$host" -p "$port" -U "$user" -At -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "The database $db exists already: drop it or choose another with --db." >&2
    exit 1
fi
createdb -h "$host" -p "$port" -U "$user" "$db"
cleanup() {
    if [ -z "$keep" ]; then
        dropdb -h "$host" -p "$port" -U "$user" --if-exists "$db"
        echo "Dropped $db."
    fi
}
trap cleanup EXIT

step "Migrate and load the reference data"
timeout 600 "$python" manage.py migrate --noinput -v0
timeout 300 "$python" manage.py load_reference_data

step "generate_national_data --activities $activities ${extra[*]:-}"
started=$(date +%s.%N)
timeout 3600 "$python" manage.py generate_national_data --activities "$activities" "${extra[@]}"
finished=$(date +%s.%N)
printf 'Generated in %.0f s (wall clock, with the command'"'"'s VACUUM ANALYZE).\n' \
    "$(echo "$finished - $started" | bc)"

step "Rows"
for table in promises_policearea promises_district promises_organisation promises_promise \
    promises_commitment promises_followup promises_assessment activities_activity \
    activities_activity_organisations; do
    printf '%-36s %10s\n' "$table" "$(psql_db -c "SELECT count(*) FROM $table")"
done
printf '%-36s %s\n' "activities_activity size" "$(psql_db -c "SELECT 'table ' ||
    pg_size_pretty(pg_table_size('activities_activity')) || ', indexes ' ||
    pg_size_pretty(pg_indexes_size('activities_activity')) || ', average row ' ||
    (SELECT avg(pg_column_size(a.*))::int FROM activities_activity a) || ' bytes'")"

[ -n "$no_pages" ] && exit 0
step "Public pages"
timeout 3600 "$python" bench/national_pages.py --requests "$requests" "${pages[@]}"
