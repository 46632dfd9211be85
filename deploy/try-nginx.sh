#!/usr/bin/env bash
# Try deploy/nginx.conf for real, on loopback only: gunicorn with
# deploy/gunicorn.conf.py and DEBUG off, behind Debian's nginx running in the
# foreground from a temporary prefix on high ports, with a self-signed
# certificate. Checks what the configuration promises and prints each result.
#
#   deploy/try-nginx.sh            # DATABASE_URL as set, else the project's SQLite
#
# Needs nginx, openssl and curl (apt-get install -y nginx); touches nothing
# outside a temporary folder and the project's staticfiles/.
set -euo pipefail
cd "$(dirname "$0")/.."

HTTP_PORT=${HTTP_PORT:-18080}
HTTPS_PORT=${HTTPS_PORT:-18443}
APP_PORT=${APP_PORT:-18602}
HOST=medborgarlofte.example.se
PY=.venv/bin/python

tmp=$(mktemp -d)
chmod 755 "$tmp"
gunicorn_pid=
nginx_pid=
trial_user=nginx.trial.$$
stop() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    [ -n "$gunicorn_pid" ] && kill "$gunicorn_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    $PY manage.py shell -v0 -c "from django.contrib.auth.models import User; User.objects.filter(username='$trial_user').delete()" || true
    rm -rf "$tmp"
}
trap stop EXIT

export DEBUG=false SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    ALLOWED_HOSTS=$HOST FEEDBACK_EMAIL=tillganglighet@example.se TRUSTED_PROXY_COUNT=1 \
    MEDIA_ROOT="$tmp/media" PORT=$APP_PORT WEB_CONCURRENCY=2

# A signed document to serve from disk, and a report file that must not be.
mkdir -p "$tmp/media/promises/signed" "$tmp/media/reports"
printf '%%PDF-1.4 test\n' > "$tmp/media/promises/signed/0123abcd.pdf"
printf '%%PDF-1.4 draft\n' > "$tmp/media/reports/0123abcd.pdf"
chmod -R a+rX "$tmp/media"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$HOST" \
    -addext "subjectAltName=DNS:$HOST" -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

# The sample, with the trial's ports, certificate, media folder and upstream.
sed -e "s|listen 80|listen $HTTP_PORT|; s|listen \[::\]:80|listen [::]:$HTTP_PORT|" \
    -e "s|listen 443|listen $HTTPS_PORT|; s|listen \[::\]:443|listen [::]:$HTTPS_PORT|" \
    -e "s|/etc/letsencrypt/live/$HOST/fullchain.pem|$tmp/cert.pem|" \
    -e "s|/etc/letsencrypt/live/$HOST/privkey.pem|$tmp/key.pem|" \
    -e "s|/srv/medborgarlofte/media/|$tmp/media/|" \
    -e "s|server 127.0.0.1:8000|server 127.0.0.1:$APP_PORT|" \
    deploy/nginx.conf > "$tmp/site.conf"
cat > "$tmp/nginx.conf" <<EOF
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/error.log warn;
events {}
http {
    include /etc/nginx/mime.types;
    access_log $tmp/access.log;
    include $tmp/site.conf;
}
EOF
mkdir -p "$tmp/logs"
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf"

$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
# A staff account for the login check, removed again on exit.
trial_password=$($PY -c 'import secrets; print(secrets.token_urlsafe(16))')
$PY manage.py shell -v0 -c "from django.contrib.auth.models import User; User.objects.create_user('$trial_user', password='$trial_password', is_staff=True)"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py > "$tmp/gunicorn.log" 2>&1 &
gunicorn_pid=$!
nginx -p "$tmp" -c "$tmp/nginx.conf" &
nginx_pid=$!
for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

failures=0
check() {
    local what=$1 expected=$2 actual=$3
    if [[ "$actual" == *"$expected"* ]]; then
        printf 'ok    %s\n' "$what"
    else
        printf 'FAIL  %s: expected %q, got %q\n' "$what" "$expected" "$actual"
        failures=$((failures + 1))
    fi
}
https() {
    curl -s --resolve "$HOST:$HTTPS_PORT:127.0.0.1" --cacert "$tmp/cert.pem" "$@"
}
base="https://$HOST:$HTTPS_PORT"

check "plain HTTP is redirected to HTTPS by nginx" \
    "301 https://$HOST/harryda/" \
    "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $HOST" "http://127.0.0.1:$HTTP_PORT/harryda/")"
check "a page over HTTPS" "200" "$(https -o /dev/null -w '%{http_code}' "$base/om-webbplatsen/")"
headers=$(https -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base/om-webbplatsen/" | tr -d '\r')
check "HSTS from Django, a year" "strict-transport-security: max-age=31536000; includesubdomains" "${headers,,}"
check "the page compressed by nginx" "content-encoding: gzip" "${headers,,}"
check "Permissions-Policy" "permissions-policy: accelerometer=()" "${headers,,}"
css=$(https "$base/om-webbplatsen/" | grep -o '/static/css/site\.[0-9a-f]*\.css' | head -1)
static_headers=$(https -D - -o /dev/null -H 'Accept-Encoding: gzip' "$base$css" | tr -d '\r')
check "hashed stylesheet $css cached a year" "cache-control: max-age=31536000, public, immutable" "${static_headers,,}"
check "hashed stylesheet compressed" "content-encoding: gzip" "${static_headers,,}"
check "a signed document from disk" "200 application/pdf" \
    "$(https -o /dev/null -w '%{http_code} %{content_type}' "$base/media/promises/signed/0123abcd.pdf")"
check "no other media from disk" "404" \
    "$(https -o /dev/null -w '%{http_code}' "$base/media/reports/0123abcd.pdf")"
check "a body over 6 MB is refused by nginx" "413" \
    "$(head -c 7000000 /dev/zero | https -o /dev/null -w '%{http_code}' --data-binary @- "$base/admin/login/")"
check "an unknown host name is dropped" "000" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: other.example' "http://127.0.0.1:$HTTP_PORT/")"
check "/readyz through nginx" "200" "$(https -o /dev/null -w '%{http_code}' "$base/readyz")"
https -o /dev/null -H 'X-Forwarded-For: 198.51.100.99' "$base/om-webbplatsen/?xff-check"
check "gunicorn's log shows the header as nginx passed it on" \
    '198.51.100.99, 127.0.0.1 127.0.0.1' "$(grep 'xff-check' "$tmp/gunicorn.log" || true)"

# The staff login over HTTPS: the CSRF check, secure cookies, the session.
# The trial's port is not 443, so Host (nginx's $host) has no port: send the
# Referer a browser would send on 443.
jar="$tmp/cookies"
token=$(https -c "$jar" "$base/admin/login/" | grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' | cut -d'"' -f4)
login=$(https -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    -e "https://$HOST/admin/login/" --data-urlencode "csrfmiddlewaretoken=$token" \
    --data-urlencode "username=$trial_user" --data-urlencode "password=$trial_password" \
    "$base/admin/login/?next=/admin/")
check "a staff login over HTTPS" "302 https://$HOST:$HTTPS_PORT/admin/" "$login"
check "its session cookie is Secure and HttpOnly" "#HttpOnly_$HOST	FALSE	/	TRUE" "$(grep sessionid "$jar" || true)"
check "the admin with that session" "200" "$(https -b "$jar" -o /dev/null -w '%{http_code}' "$base/admin/")"

echo
if [ "$failures" -eq 0 ]; then echo "All checks passed."; else echo "$failures checks failed."; fi
exit "$failures"
