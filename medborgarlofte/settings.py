"""Settings for medborgarlofte: one file, configured from the environment.

Every variable is read through a small helper that fails loudly on a bad value,
so a misconfigured production server refuses to start instead of running with
a silent default.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "template_partials",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks_db",
    "django_ratelimit",
    # Serves Swagger UI from its own static files (never a CDN) when installed.
    "ninja",
    "corsheaders",
    # The domain: promises, and the activities built on them.
    "promises",
    "activities",
    # Follow-up reports (PDF, XLSX, CSV, HTML), built on the domain.
    "reports",
    # The public site, the staff tooling and the open-data API, each depending
    # only on the domain.
    "public",
    "staff",
    "api",
    # E-mail alerts: subscribers' addresses, kept apart from the public pages.
    "alerts",
]

MIDDLEWARE = [
    # The load balancer's probes, before the HTTPS redirect and the Host check.
    "medborgarlofte.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer on its own, so that those answers carry
    # the CORS headers too (it only acts on CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Permissions-Policy, beside the CSP (see "Security headers" below).
    "medborgarlofte.middleware.SecurityHeadersMiddleware",
    # 503 with Retry-After, not 500, while the database or cache is unreachable.
    "medborgarlofte.middleware.ServiceUnavailableMiddleware",
    # ETag on every GET and HEAD answer, and 304 when the client has it already.
    "medborgarlofte.middleware.SuccessETagMiddleware",
    # WhiteNoise: hashed, compressed static files, cached for a year.
    "medborgarlofte.middleware.StaticFilesMiddleware",
    "medborgarlofte.db.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, without Vary: Accept-Language on public pages (the address says the language).
    "medborgarlofte.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "medborgarlofte.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "medborgarlofte.urls"
WSGI_APPLICATION = "medborgarlofte.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default so that a fresh clone runs with nothing else installed;
# PostgreSQL in production and CI through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
# A read replica (PostgreSQL streaming replication): residents' reads of public
# pages go there, everything else to the primary (medborgarlofte/db.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    # Tests run against one database; the replica mirrors it there.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["medborgarlofte.db.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # A database host that does not answer fails the request within
        # seconds (a 503) instead of holding the worker until gunicorn kills
        # it. A `?connect_timeout=` in the database's URL wins.
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Requests that always read the primary: staff pages, previews, the language switch.
PRIMARY_ONLY_PATHS = r"^/(?:en/)?(?:admin|personal|forhandsgranska|i18n)/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sessions: a working day at most, and gone when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Security headers, all in this block: Django's SecurityMiddleware and
# XFrameOptionsMiddleware send most, django-csp the Content-Security-Policy
# (below), and medborgarlofte.middleware.SecurityHeadersMiddleware those that
# have no setting elsewhere (Permissions-Policy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses these, so nothing on the site (nor anything it might embed) may.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering index's INCLUDE columns are for PostgreSQL (activities
    # migration 0011); SQLite keeps the index without them, which is all a
    # development database needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
if not DEBUG:
    # The proxy in front sets X-Forwarded-Proto and overwrites any the client
    # sent (deploy/nginx.conf); without a proxy, nothing may reach gunicorn.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is redirected to HTTPS. Off only where the proxy redirects by
    # itself (or for a local trial over plain HTTP): then Django's deploy check
    # for the redirect is silenced, as a deliberate choice.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading writes the domain into the browsers' own lists, which takes
    # months to undo, so it is the site owner's choice, not a default.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")

# Content-Security-Policy (django-csp): everything from this site only; no
# inline scripts or styles, no eval, no frames. htmx is configured to fit
# (templates/base.html), and SVG charts use attributes, not style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # The favicon is an empty data: URL; report charts are inline SVG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# django-axes: lock a username and address pair out after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Behind reverse proxies, the number of them that append to X-Forwarded-For;
# the client is the address the outermost one saw. 0: the connection's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)


def axes_client_ip(request) -> str | None:
    """The client address for django-axes, from X-Forwarded-For only if proxies are configured."""
    from django.conf import settings

    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each proxy appends the address it received from; anything further
        # left was sent by the client and could be made up.
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


AXES_CLIENT_IP_CALLABLE = axes_client_ip

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["medborgarlofte.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

LOGIN_URL = "admin:login"

# The cache: Redis when REDIS_URL is set (shared by every app server, which the
# rate limits need to hold across them), otherwise this process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "medborgarlofte.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "medborgarlofte",
            # An unreachable Redis fails fast (a 503 page, /readyz says so)
            # instead of holding a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Staff sessions are kept in the database, so that every app server knows
# them. With Redis they are cached there too (cached_db), and a Redis restart
# only sends the next lookup to the database: nobody is logged out.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# Rendered public pages are kept in the cache and dropped on every change that
# shows on them (public/caching.py). The versions that drop them live in the
# cache too, so caching is on by default only where every app server shares it.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)
# How long browsers and proxies may reuse a public page before asking again
# (with its ETag, answered 304 when it has not changed).
PUBLIC_MAX_AGE = env_int("PUBLIC_MAX_AGE", 60)

# Rate limits (django-ratelimit, counted in the cache above): requests per
# client address, answered with 429 and Retry-After when exceeded.
RATELIMIT_USE_CACHE = "default"
RATE_LIMIT_API = os.environ.get("RATE_LIMIT_API", "300/m")
RATE_LIMIT_SUBSCRIBE = os.environ.get("RATE_LIMIT_SUBSCRIBE", "10/h")
SILENCED_SYSTEM_CHECKS += [
    # Django's own Redis backend increments atomically, which is all
    # django-ratelimit needs; the library's list of backends predates it.
    "django_ratelimit.W001",
]
if not REDIS_URL:
    # Without Redis each process counts for itself: right for one process
    # (`make run`), documented as not enough for several app servers.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# The open-data API may be read from any web page: anonymous, read-only, no
# cookies, so no credentials. Only the API's own addresses answer CORS.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-type", "if-none-match", "user-agent"]
# Scripts may read these, for conditional requests and to back off when limited.
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# Background work (spreadsheet imports) runs in `manage.py db_worker`, never
# inside a web request; the queue is a table in the same database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Spreadsheet imports: refused before any work when a file is over a limit.
IMPORT_ROOT = Path(os.environ.get("IMPORT_ROOT", BASE_DIR / "var" / "imports"))
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
IMPORT_FILE_MAX_AGE_HOURS = env_int("IMPORT_FILE_MAX_AGE_HOURS", 3)
# Uploads larger than this go to a temporary file instead of memory, and a
# request body other than a file upload may not be larger.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Who runs the site and where residents send accessibility feedback: shown on
# "Om webbplatsen" and in the accessibility statement.
SITE_OWNER = os.environ.get("SITE_OWNER", "")
FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", "").strip()
if not FEEDBACK_EMAIL:
    # The accessibility statement must give residents a real way to report
    # problems (the DOS law), so production refuses to start without one.
    if not DEBUG:
        raise ImproperlyConfigured("FEEDBACK_EMAIL must be set when DEBUG is off.")
    FEEDBACK_EMAIL = "tillganglighet@example.se"
elif "@" not in FEEDBACK_EMAIL or " " in FEEDBACK_EMAIL:
    raise ImproperlyConfigured(f"FEEDBACK_EMAIL must be an e-mail address, not {FEEDBACK_EMAIL!r}")

# The site's own address, for absolute links in e-mail (confirmation links,
# digests, unsubscribe links), which are sent outside any request.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DEBUG is off, e.g. https://medborgarlofte.example.se"
        )
    SITE_URL = "http://127.0.0.1:8000"
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname or _site.query or _site.fragment:
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address such as https://medborgarlofte.example.se, "
        f"not {SITE_URL!r}"
    )

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed to the console (development).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# STARTTLS (usually port 587) unless implicit TLS (usually port 465) is asked for.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) exclude each other: "
        "set one of them to false."
    )
# Seconds before a stalled mail server gives up, so that the worker and the
# digest command never hang on it.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"Medborgarlöften <noreply@{_site.hostname}>"
).strip()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
