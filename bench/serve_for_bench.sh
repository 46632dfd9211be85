# Sourced by the bench/*.sh scripts: the site as production runs it (DEBUG off,
# gunicorn with deploy/gunicorn.conf.py) on loopback ports, against the
# PostgreSQL database in DATABASE_URL. Defines start_gunicorn (one instance on
# $BENCH_PORT), start_instance (any number, each on its own port and with its
# own environment) and stop_all; sets $tmp.
#
# BENCH_DEMO=0 leaves the database's data as it is (e.g. the national
# dataset); by default the demo is loaded (idempotent).

PY=.venv/bin/python
BENCH_PORT=${BENCH_PORT:-18610}
BASE_URL="http://127.0.0.1:$BENCH_PORT"

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *) echo "Set DATABASE_URL to a PostgreSQL database for the benchmark." >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install -y wrk)." >&2; exit 2; }

tmp=$(mktemp -d)
gunicorn_pid=
instance_pids=()
stop_all() {
    [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null || true
    for pid in "${instance_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap stop_all EXIT

DEBUG=true $PY manage.py migrate --noinput -v0
if [ "${BENCH_DEMO:-1}" = 1 ]; then
    DEBUG=true $PY manage.py load_demo >/dev/null
fi

export DEBUG=false SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=127.0.0.1 FEEDBACK_EMAIL=tillganglighet@example.se SECURE_SSL_REDIRECT=false \
    SITE_URL=http://127.0.0.1 PORT=$BENCH_PORT
$PY manage.py collectstatic --noinput -v0

# Wait for /readyz on a port; on failure show the log and stop the script.
_wait_ready() {
    local port=$1 log=$2
    for _ in $(seq 1 150); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && return 0
        sleep 0.2
    done
    echo "gunicorn on port $port did not become ready:" >&2
    cat "$log" >&2
    exit 1
}

start_gunicorn() {
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py > "$tmp/gunicorn.log" 2>&1 &
    gunicorn_pid=$!
    _wait_ready "$BENCH_PORT" "$tmp/gunicorn.log"
}

# start_instance NAME PORT [VARIABLE=VALUE ...]: another gunicorn, logging to
# $tmp/NAME.log, with these variables added to its environment.
start_instance() {
    local name=$1 port=$2
    shift 2
    env PORT="$port" "$@" .venv/bin/gunicorn -c deploy/gunicorn.conf.py > "$tmp/$name.log" 2>&1 &
    instance_pids+=($!)
    _wait_ready "$port" "$tmp/$name.log"
}
