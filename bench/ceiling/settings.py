"""The site's own settings, with a URLconf that adds the trivial view (bench/ceiling/urls.py)."""

from medborgarlofte.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling.urls"
