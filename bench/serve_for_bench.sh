# Sourced by bench/restart_during_load.sh and bench/sustained_load.sh: the
# site as production runs it (DEBUG off, gunicorn with deploy/gunicorn.conf.py)
# on a loopback port, against the PostgreSQL database in DATABASE_URL, with
# the demo loaded. Defines start_gunicorn and stop_all; sets $tmp.

PY=.venv/bin/python
BENCH_PORT=${BENCH_PORT:-18610}
BASE_URL="http://127.0.0.1:$BENCH_PORT"

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://*) ;;
    *) echo "Set DATABASE_URL to a PostgreSQL database for the benchmark (its demo data is loaded)." >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install -y wrk)." >&2; exit 2; }

tmp=$(mktemp -d)
gunicorn_pid=
stop_all() {
    [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap stop_all EXIT

DEBUG=true $PY manage.py migrate --noinput -v0
DEBUG=true $PY manage.py load_demo >/dev/null

export DEBUG=false SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=127.0.0.1 FEEDBACK_EMAIL=tillganglighet@example.se SECURE_SSL_REDIRECT=false \
    PORT=$BENCH_PORT
$PY manage.py collectstatic --noinput -v0

start_gunicorn() {
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py > "$tmp/gunicorn.log" 2>&1 &
    gunicorn_pid=$!
    for _ in $(seq 1 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/readyz")" = 200 ] && return 0
        sleep 0.2
    done
    echo "gunicorn did not become ready:" >&2
    cat "$tmp/gunicorn.log" >&2
    exit 1
}
