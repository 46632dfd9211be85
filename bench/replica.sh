#!/usr/bin/env bash
# A real PostgreSQL streaming replica behind the site, on loopback only.
#
# Builds a throwaway primary cluster and a replica of it (pg_basebackup -R) in a
# temporary folder, serves the site with DATABASE_URL on the primary and
# DATABASE_REPLICA_URL on the replica, and checks that
#   1. the replica is in recovery (a real standby), and public pages read from it,
#   2. a change saved through the admin (the "Avpublicera" action) reaches the
#      public page once it has replicated, and how long that took,
#   3. staff pages read the primary.
# Bounded: about a minute; everything it started is stopped and removed on exit.
# Run as root from the project folder, with PostgreSQL 15's server binaries installed:
#     bash bench/replica.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PRIMARY_PORT=${PRIMARY_PORT:-5441}
REPLICA_PORT=${REPLICA_PORT:-5442}
WEB_PORT=${WEB_PORT:-8071}
WORK=$(mktemp -d /tmp/medborgarlofte-replica.XXXXXX)
chown postgres "$WORK"
as_pg() { runuser -u postgres -- "$@"; }

cleanup() {
    [ -n "${WEB_PID:-}" ] && kill "$WEB_PID" 2>/dev/null || true
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -m fast stop >/dev/null 2>&1 || true
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== primary cluster on port $PRIMARY_PORT"
as_pg "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 >/dev/null
cat >>"$WORK/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
EOF
echo "host replication all 127.0.0.1/32 trust" >>"$WORK/primary/pg_hba.conf"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w start >/dev/null

echo "== replica by pg_basebackup, on port $REPLICA_PORT"
as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$WORK/replica" -R -X stream
sed -i "s/^port = .*/port = $REPLICA_PORT/" "$WORK/replica/postgresql.conf"
as_pg "$PG_BIN/pg_ctl" -D "$WORK/replica" -l "$WORK/replica.log" -w start >/dev/null

psql_p() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atq "$@"; }
psql_r() { "$PG_BIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atq "$@"; }
echo "replica in recovery: $(psql_r -c 'select pg_is_in_recovery()')"

psql_p -c "create database medborgarlofte"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/medborgarlofte"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/medborgarlofte"
export DEBUG=true PAGE_CACHE_SECONDS=0
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
for _ in $(seq 1 50); do
    [ "$(psql_r -d medborgarlofte -c 'select count(*) > 0 from activities_activity' 2>/dev/null)" = t ] && break
    sleep 0.2
done

.venv/bin/python manage.py runserver "127.0.0.1:$WEB_PORT" --noreload >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$WEB_PORT/om-webbplatsen/" >/dev/null 2>&1 && break; sleep 0.2; done

.venv/bin/python - "$WEB_PORT" "$REPLICA_PORT" "$PRIMARY_PORT" <<'EOF'
"""Public reads hit the replica; an admin write shows on the public page after replicating."""
import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

web, replica_port, primary_port = sys.argv[1:4]
base = f"http://127.0.0.1:{web}"


def commits(port: str) -> int:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-Atq", "-d", "medborgarlofte",
         "-c", "select xact_commit from pg_stat_database where datname = 'medborgarlofte'"],
        capture_output=True, text=True, check=True,
    )
    return int(out.stdout.strip())


def stats_settle() -> None:
    time.sleep(0.7)  # pg_stat counters are flushed about every half second


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.addheaders = [("User-Agent", "bench-replica")]

# 1. Public pages read from the replica.
stats_settle()
replica_before, primary_before = commits(replica_port), commits(primary_port)
for _ in range(10):
    opener.open(f"{base}/harryda/2022-2024/").read()
stats_settle()
replica_reads = commits(replica_port) - replica_before
primary_reads = commits(primary_port) - primary_before
print(f"10 public page views: {replica_reads} transactions on the replica, {primary_reads} on the primary")
assert replica_reads >= 10, "public pages did not read from the replica"

# 2. A write through the admin reaches the public page after replication.
page = opener.open(f"{base}/harryda/2022-2024/aktiviteter/").read().decode()
link = re.search(r'href="(/harryda/2022-2024/aktiviteter/(\d+)/)"', page)
activity_url, activity_id = link.group(1), link.group(2)
assert opener.open(base + activity_url).status == 200
login = opener.open(f"{base}/admin/login/").read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
opener.open(urllib.request.Request(
    f"{base}/admin/login/?next=/admin/",
    data=urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "username": "kommunpolis.harryda",
        "password": "demo-medborgarlofte-2022", "next": "/admin/",
    }).encode(),
    headers={"Referer": f"{base}/admin/login/"},
)).read()
changelist = opener.open(f"{base}/admin/activities/activity/").read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
stats_settle()
primary_before = commits(primary_port)
saved = time.monotonic()
opener.open(urllib.request.Request(
    f"{base}/admin/activities/activity/",
    data=urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "action": "unpublish", "_selected_action": activity_id,
        "index": "0",
    }).encode(),
    headers={"Referer": f"{base}/admin/activities/activity/"},
)).read()
gone = None
for _ in range(200):
    try:
        opener.open(base + activity_url)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            gone = time.monotonic() - saved
            break
    time.sleep(0.01)
assert gone is not None, "the unpublished activity is still public after 2 s"
stats_settle()
print(f"the admin action wrote through the primary ({commits(primary_port) - primary_before} transactions)")
print(f"unpublished activity gone from the public page (read from the replica) {gone * 1000:.0f} ms after the admin request was sent")
EOF
echo "== lag reported by the primary: $(psql_p -c "select coalesce(replay_lag::text, '0') from pg_stat_replication")"
echo "OK"
