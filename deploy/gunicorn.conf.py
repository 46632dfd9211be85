"""Gunicorn's settings for production: `gunicorn -c deploy/gunicorn.conf.py`.

Read from the environment like the site's own settings, and failing loudly
on a bad value. See docs/deploy.md.
"""

import os


def env_int(name: str, default: int) -> int:
    # As in medborgarlofte/settings.py, which cannot be imported here without
    # the whole of Django's configuration.
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


def _cores() -> int:
    # The cores this process may run on, which in a container can be fewer
    # than the machine has.
    return len(os.sched_getaffinity(0))


wsgi_app = "medborgarlofte.wsgi:application"

# Loopback by default: the proxy in front (nginx) runs on the same host.
# GUNICORN_BIND takes any address gunicorn does, e.g. `0.0.0.0:8000` behind a
# balancer on another host, or `unix:/run/medborgarlofte/gunicorn.sock`.
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{env_int('PORT', 8000)}"

# Sync workers: each serves one request at a time, and nginx buffers slow
# clients so that none holds a worker while it reads or writes. 2 × cores + 1
# keeps the CPUs busy while some workers wait for the database.
workers = env_int("WEB_CONCURRENCY", 2 * _cores() + 1)

# A request that takes longer than this is a fault: the worker is killed and
# replaced. Long work (imports, reports) runs in the task worker instead.
timeout = env_int("GUNICORN_TIMEOUT", 30)
# On restart or shutdown, requests in flight get this long to finish.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# A worker is replaced after this many requests, which bounds any slow memory
# growth; each draws its own limit up to half as many again, so that they do not
# all restart at once. With a tenth, workers that shared an even load reached
# their limits within a second or two of each other, and while every new one
# was warming up (post_worker_init, about a second) none took requests: 1.6 s
# waits in bench/wrk_pages.sh.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 2

# No runtime control socket: systemd starts, reloads and stops the server,
# and the socket's default path would be shared by every gunicorn of the user.
control_socket_disable = True

# The heartbeat file in memory, not on a disk that may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Proxies allowed to tell gunicorn the request came over HTTPS. Django reads
# X-Forwarded-Proto itself (SECURE_PROXY_SSL_HEADER), and the client's address
# from X-Forwarded-For (TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Both logs to standard output and error, for journald or the container.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# The client as the proxy saw it first, then the usual fields, and the time
# taken in milliseconds.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)


# GUNICORN_WARM_UP=0 turns off both hooks below.
_warm_up = os.environ.get("GUNICORN_WARM_UP", "1") != "0"


def post_worker_init(worker):
    # Before the worker takes its first request: templates compiled, catalogues
    # read, the database connected, and all of that left out of the cycle
    # collector's work (medborgarlofte/warmup.py). A worker renewed after
    # max_requests would otherwise make its first visitors wait.
    if _warm_up:
        from medborgarlofte.warmup import freeze_startup_objects, warm_up

        warm_up(worker.wsgi)
        freeze_startup_objects()


def post_request(worker, req, environ, resp):
    # After the answer is sent: the request's cyclic garbage, about 1 ms,
    # instead of a full collection in the middle of a later request.
    if _warm_up:
        from medborgarlofte.warmup import collect_between_requests

        collect_between_requests()
