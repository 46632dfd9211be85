from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += i18n_patterns(
    # Before the public pages, whose <slug:municipality>/ would take "bevaka".
    path("bevaka/", include("alerts.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
