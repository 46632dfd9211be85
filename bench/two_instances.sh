#!/usr/bin/env bash
# Two app servers, one PostgreSQL and one Redis: a change saved through one is
# shown by the other at once, with no stale page from the shared page cache.
# About a minute, loopback only; exits non-zero if anything is not so.
#
# Two gunicorn instances as production runs them (DEBUG off,
# deploy/gunicorn.conf.py, REDIS_URL, the page cache on) on ports
# $PORT_ONE and $PORT_TWO, on the demo data in a PostgreSQL database of their own:
#   1. the promise page is requested on both, so both have it cached;
#   2. a write straight into the database (psql, past the app and its signals)
#      does not show on either: the page really comes from the cache;
#   3. a staff user logs in on instance one and changes a commitment's title
#      in the admin (its change form, over HTTP, with the CSRF token);
#   4. instance two shows the new title on its next request, and so does one.
#
#   bench/two_instances.sh [--db ml_bench_two]
#
# PGHOST, PGPORT, PGUSER: where PostgreSQL is (127.0.0.1, 5432, postgres);
# REDIS_URL defaults to database 13 of the local Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

db=ml_bench_two
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift 2 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
host="${PGHOST:-127.0.0.1}"
port="${PGPORT:-5432}"
user="${PGUSER:-postgres}"
PORT_ONE=${PORT_ONE:-8108}
PORT_TWO=${PORT_TWO:-8109}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
unset PAGE_CACHE_SECONDS DATABASE_REPLICA_URL

psql -h "$host" -p "$port" -U "$user" -At -c "SELECT 1 FROM pg_database WHERE datname = '$db'" \
    | grep -q 1 || createdb -h "$host" -p "$port" -U "$user" "$db"
export DATABASE_URL="postgres://$user@$host:$port/$db"
BENCH_DEMO=1 BENCH_PORT=$PORT_ONE source bench/serve_for_bench.sh

# A commitment of a published promise that the demo's Härryda kommunpolis may edit.
read -r commitment_id promise_url < <(DEBUG=true $PY manage.py shell -v0 -c "
from promises.models import Commitment
c = (Commitment.objects.filter(promise__status='published', promise__municipalities__slug='harryda')
     .select_related('promise').order_by('promise__period_start', 'position', 'pk').first())
print(c.pk, c.promise.get_absolute_url())
")

# No page stored by an earlier run may answer: move the site's cache version.
DEBUG=true $PY manage.py shell -v0 -c "from public.caching import SITE, bump; bump([SITE])"

start_instance one "$PORT_ONE" WEB_CONCURRENCY=2
start_instance two "$PORT_TWO" WEB_CONCURRENCY=2

status=0
timeout 120 $PY - "$PORT_ONE" "$PORT_TWO" "$commitment_id" "$promise_url" "$DATABASE_URL" <<'PY' || status=$?
import html
import http.cookiejar
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

port_one, port_two, commitment_id, promise_url, database_url = sys.argv[1:6]
one, two = f"http://127.0.0.1:{port_one}", f"http://127.0.0.1:{port_two}"
failures = []


def check(ok: bool, text: str) -> None:
    print(("ok      " if ok else "FAILED  ") + text)
    if not ok:
        failures.append(text)


class FormFields(HTMLParser):
    """The fields a browser would send from the admin's change form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def get(base: str, path: str, opener=None) -> str:
    opener = opener or urllib.request.build_opener()
    with opener.open(base + path, timeout=10) as response:
        assert response.status == 200, (base + path, response.status)
        return response.read().decode()


def title_of() -> str:
    out = subprocess.run(
        [
            "psql",
            database_url,
            "-At",
            "-c",
            f"SELECT title FROM promises_commitment WHERE id = {int(commitment_id)}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def set_title(title: str) -> None:
    """Straight into the database, past the app and its signals."""
    quoted = title.replace("'", "''")
    subprocess.run(
        [
            "psql",
            database_url,
            "-Atq",
            "-c",
            f"UPDATE promises_commitment SET title = '{quoted}' WHERE id = {int(commitment_id)}",
        ],
        check=True,
    )


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """Send `Secure` cookies to loopback over plain HTTP, as browsers do for localhost:
    with DEBUG off the session and CSRF cookies are `Secure`."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The admin's answer to a save itself: 302 when saved, 200 with the form's errors."""

    def redirect_request(self, *args, **kwargs):
        return None


original = title_of()
print(f"page: {promise_url} (commitment {commitment_id}: {original!r})")


def run() -> None:
    # 1. Both instances have the page in the shared cache.
    for base in (one, two):
        for _ in range(3):
            page = get(base, promise_url)
        check(
            html.escape(original, quote=False) in page, f"{base} shows the title before the change"
        )

    # 2. A write past the app (no signals) does not show: the page comes from the cache.
    bypass = original + " [direkt i databasen]"
    set_title(bypass)
    for base in (one, two):
        check(
            bypass not in get(base, promise_url),
            f"{base} still serves the cached page after a write that bypassed the app",
        )

    # 3. A staff user saves a new title through the admin on instance one.
    jar = http.cookiejar.CookieJar(LoopbackPolicy())
    staff = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = get(one, "/admin/login/", staff)
    form = FormFields()
    form.feed(login_page)
    fields = dict(form.fields)
    fields.update(
        username="kommunpolis.harryda", password="demo-medborgarlofte-2022", next="/admin/"
    )
    staff.open(
        urllib.request.Request(
            f"{one}/admin/login/?next=/admin/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": f"{one}/admin/login/"},
        ),
        timeout=10,
    ).read()
    check(
        any(c.name == "sessionid" for c in jar),
        "staff login on instance one (CSRF token from the form)",
    )

    change_url = f"/admin/promises/commitment/{int(commitment_id)}/change/"
    form = FormFields()
    form.feed(get(one, change_url, staff))
    # Nothing of the old title in the new one, so that a stale page is told apart.
    new_title = f"Nytt namn, sparat i adminen kl. {time.strftime('%H:%M:%S')}"
    fields = [(k, new_title if k == "title" else v) for k, v in form.fields]
    check(
        any(k == "csrfmiddlewaretoken" for k, _ in fields) and any(k == "title" for k, _ in fields),
        "the admin's change form has the CSRF token and the title",
    )
    fields.append(("_save", "Spara"))
    request = urllib.request.Request(
        one + change_url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Referer": one + change_url},
    )

    saver = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    try:
        answer = saver.open(request, timeout=10)
        saved_status, body = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        saved_status, body = error.code, error.read().decode(errors="replace")
    saved_at = time.monotonic()
    check(
        saved_status == 302, f"the admin saved the change on instance one (answered {saved_status})"
    )
    if saved_status != 302:
        print(body[:3000])
    check(title_of() == new_title, "the new title is in the database")

    # 4. The other instance shows it on its very next request.
    page = get(two, promise_url)
    elapsed = (time.monotonic() - saved_at) * 1000
    escaped = html.escape(new_title, quote=False)
    check(
        escaped in page,
        f"{two} shows the new title on its first request after the save "
        f"(answered {elapsed:.0f} ms after the admin's)",
    )
    check(html.escape(original, quote=False) not in page, f"{two} no longer shows the old title")
    check(escaped in get(one, promise_url), f"{one} shows the new title too")

    # Put the title back as it was (through the admin, so the caches follow).
    form = FormFields()
    form.feed(get(one, change_url, staff))
    fields = [(k, original if k == "title" else v) for k, v in form.fields] + [("_save", "Spara")]
    try:
        saver.open(
            urllib.request.Request(
                one + change_url,
                data=urllib.parse.urlencode(fields).encode(),
                headers={"Referer": one + change_url},
            ),
            timeout=10,
        )
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise
    check(
        html.escape(original, quote=False) in get(two, promise_url),
        f"{two} shows the original title again after it was put back through one",
    )


try:
    run()
finally:
    if title_of() != original:  # a check failed half-way: leave the demo as it was
        set_title(original)
        print("(the title was put back straight in the database)")

print("PASS" if not failures else f"FAIL: {len(failures)} check(s) failed")
sys.exit(1 if failures else 0)
PY
if grep -q Traceback "$tmp/one.log" "$tmp/two.log"; then
    echo "FAILED  a stack trace in gunicorn's log:" >&2
    grep -h -A 20 Traceback "$tmp/one.log" "$tmp/two.log" | head -60 >&2
    status=1
fi
exit "$status"
