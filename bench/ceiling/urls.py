"""Every URL of the site, and first a trivial view: the ceiling a page is measured against.

The view answers through the whole middleware stack and the URL resolver,
like every page; it only does no work of its own. (`/healthz` is not a fair
ceiling: HealthCheckMiddleware answers it before the rest of the middleware.)
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from medborgarlofte.urls import handler500
from medborgarlofte.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@require_safe
def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench-trivial/", trivial), *site_urlpatterns]
