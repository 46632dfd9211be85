from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from api.http import each_answer
from api.v1 import api as api_v1

# /healthz and /readyz are answered by medborgarlofte.middleware.HealthCheckMiddleware,
# before the language prefix, the HTTPS redirect and the Host check.
handler500 = "medborgarlofte.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Staff pages for the phone, in Swedish like the admin (no language prefix).
    path("personal/", include("staff.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", each_answer(api_v1.urls)),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += i18n_patterns(
    # Before public.urls, whose <slug:municipality>/ would take any page's address.
    path("", include("api.urls")),
    # Before the public pages, whose <slug:municipality>/ would take "bevaka".
    path("bevaka/", include("alerts.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
