#!/usr/bin/env bash
# Instructions per request, counted by callgrind: a figure that does not move
# with the machine's load, unlike requests per second under wrk. Each URL is
# requested in one process through Django's WSGI handler, with the ceiling's
# settings (bench/ceiling: the site plus /bench-trivial/), DEBUG off, and the
# cache in REDIS_URL as production has it (the page cache on).
#
#     bench/instructions.sh URL...      # e.g. /bench-trivial/ /avesta/2024-2027/
#
# Each URL runs twice under callgrind, with 50 and with 250 requests after
# 20 warm-up ones; the difference divided by 200 is one request's
# instructions, without the start-up. A run without valgrind comes first, so
# that a page is in the cache before either counted run. The last column is the trivial view's
# count divided by the URL's: its share of the ceiling's rate, were the CPU
# all that mattered. About 3 minutes per URL. Needs Debian's valgrind, and
# DATABASE_URL (the national dataset, bench/generate_national.sh --keep).
# REDIS_URL defaults to database 12 of the local Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || { echo "usage: bench/instructions.sh URL..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is missing (apt-get install -y valgrind)." >&2; exit 2; }
: "${DATABASE_URL:?Set DATABASE_URL to the benchmark database.}"
export DEBUG=false PYTHONPATH=. DJANGO_SETTINGS_MODULE=bench.ceiling.settings
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/12}
export SECRET_KEY=${SECRET_KEY:-bench-instructions-not-secret-bench-instructions-not-secret}
export ALLOWED_HOSTS=localhost SECURE_SSL_REDIRECT=false
export SITE_URL=${SITE_URL:-http://localhost} FEEDBACK_EMAIL=${FEEDBACK_EMAIL:-bench@example.se}

.venv/bin/python manage.py collectstatic --noinput -v0

collected() {
    # First without valgrind: a page the cache does not hold (or no longer
    # holds: entries expire) is rendered and stored here, not in one of the
    # two counted runs, where it would be counted as if in every request.
    timeout 300 .venv/bin/python bench/instructions.py "$1" 0
    timeout 900 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python bench/instructions.py "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

trivial=$(( $(collected /bench-trivial/ 250) - $(collected /bench-trivial/ 50) ))
printf '%-60s %14s %8s\n' "URL" "per request" "share"
for url in "$@"; do
    if [ "$url" = /bench-trivial/ ]; then
        n=$trivial
    else
        n=$(( $(collected "$url" 250) - $(collected "$url" 50) ))
    fi
    printf '%-60s %14d %7d%%\n' "$url" $(( n / 200 )) $(( trivial * 100 / n ))
done
