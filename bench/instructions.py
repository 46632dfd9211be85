"""Request URLs through Django's WSGI handler in this process: the driver of bench/instructions.sh.

    python bench/instructions.py URL COUNT

Answers 20 warm-up requests, then COUNT more; every answer must be a 200.
Run it under callgrind twice with different counts, and the difference
divided by the difference in counts gives the instructions of one request,
without the start-up and the first request (which may render and store the
page).

The process runs as a gunicorn worker does with deploy/gunicorn.conf.py:
after the warm-up, what start-up built is frozen out of the cycle
collector's sight, and the collector runs after each answer
(medborgarlofte/warmup.py), which is counted as part of the request. Left to
Python's default thresholds the collector would walk all of Django's objects
every few requests, more often the more a request allocates.
"""

import os
import sys
from wsgiref.util import setup_testing_defaults

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.ceiling.settings")
django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from medborgarlofte.warmup import collect_between_requests, freeze_startup_objects  # noqa: E402

WARM_UP = 20


def main() -> None:
    url, count = sys.argv[1], int(sys.argv[2])
    path, _, query = url.partition("?")
    app = WSGIHandler()

    def request() -> None:
        environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "localhost"}
        setup_testing_defaults(environ)  # a plain GET, as warm_up's first request
        statuses = []
        body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(body)
        body.close()
        if not statuses[0].startswith("200"):
            sys.exit(f"{url} answered {statuses[0]}")

    for _ in range(WARM_UP):
        request()
    freeze_startup_objects()
    for _ in range(count):
        request()
        collect_between_requests()


if __name__ == "__main__":
    main()
