"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.cache import cache
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path

from medborgarlofte.urls import handler500
from medborgarlofte.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("hemlig detalj ur koden")


def database_fails(request):
    raise OperationalError("could not connect to server: Connection refused")


def uses_the_cache(request):
    return HttpResponse(cache.get("test-key", "ok"))


urlpatterns = [
    path("test-fel/", fails),
    path("test-databasfel/", database_fails),
    path("test-cache/", uses_the_cache),
    *site_urlpatterns,
]
