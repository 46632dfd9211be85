from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from api.http import each_answer
from api.v1 import api as api_v1

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", each_answer(api_v1.urls)),
]

if settings.DEBUG:
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns += i18n_patterns(
    # Before public.urls, whose <slug:municipality>/ would take any page's address.
    path("", include("api.urls")),
    path("", include("public.urls")),
    prefix_default_language=False,
)
