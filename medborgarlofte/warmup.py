"""A new app server process made ready before it takes its first request.

Gunicorn renews each worker after ``max_requests`` (deploy/gunicorn.conf.py).
A fresh process compiles each template on first use, reads the translation
catalogues and formats, builds the URL resolver per language and connects to
the database: its first request took 384 ms where the same page took 60 ms
afterwards, and at national scale those first requests were most of the
slowest 1 % (docs/performance.md). ``warm_up`` does that work before the
worker accepts connections (gunicorn's ``post_worker_init``), while the other
workers serve. It never stops a worker from starting: what fails is logged.

Python's cycle collector was the rest of the slowest 1 %: every few dozen
requests a full collection walked all of Django's 160,000 long-lived objects
in the middle of a request, for up to 150 ms. After the warm-up those objects
are frozen out of the collector's sight (``gc.freeze``), and the collector
runs between requests instead (``collect_between_requests``, gunicorn's
``post_request``, after the answer is sent): about 1 ms for the 2,000 cyclic
objects a page leaves. The automatic collection stays on with a high
threshold, as a bound on memory inside one long request (a large download).
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from wsgiref.util import setup_testing_defaults

from django.apps import apps
from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")
# Objects allocated (less those freed) before an automatic collection inside a
# request: a page makes fewer, a download of thousands of rows more.
GC_THRESHOLD = (50_000, 20, 100)


@dataclass
class WarmUp:
    templates: int = 0
    failed: list[str] = field(default_factory=list)
    start_page_status: int | None = None
    milliseconds: float = 0.0


def template_dirs() -> list[Path]:
    """The project's own template folders: the site's and its apps', not third parties'."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            folders.append(path / "templates")
    return [f for f in folders if f.is_dir()]


def compile_templates(result: WarmUp) -> None:
    engine = engines["django"].engine
    for folder in template_dirs():
        for path in sorted(folder.rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES:
                continue
            name = path.relative_to(folder).as_posix()
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                result.failed.append(name)
                logger.exception("warm-up: template %s does not compile", name)
            else:
                result.templates += 1


def each_language() -> None:
    """Catalogues, formats and the URL resolver of every language of the site."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("public:home")
            translation.gettext("Medborgarlöften")
            date_format(date.today())


def request_start_page(application) -> int:
    """One request for the start page through the whole stack (middleware, database)."""
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    # The standard library fills in the rest of a plain GET of "/".
    environ = {
        "HTTP_HOST": host,
        "SERVER_NAME": host,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https" if settings.SECURE_SSL_REDIRECT else "http",
    }
    setup_testing_defaults(environ)
    status = []
    body = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0])


def warm_up(application) -> WarmUp:
    started = time.perf_counter()
    result = WarmUp()
    try:
        compile_templates(result)
        each_language()
        result.start_page_status = request_start_page(application)
    except Exception:
        # A worker that starts cold is better than one that does not start.
        logger.exception("warm-up stopped early")
    result.milliseconds = (time.perf_counter() - started) * 1000
    logger.info(
        "warm-up: %d templates compiled, start page %s, %.0f ms",
        result.templates,
        result.start_page_status,
        result.milliseconds,
    )
    return result


def freeze_startup_objects() -> None:
    """Leave what the process has built so far (modules, templates) out of every collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def collect_between_requests() -> None:
    """Collect the last request's cyclic garbage, between requests rather than during one."""
    gc.collect()
