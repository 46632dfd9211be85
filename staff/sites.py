"""The staff admin site: Django's, with "view on site" kept inside the user's area.

Django's own "view on site" (``/admin/r/<content type>/<id>/``) redirects any
staff user to the public address of any object, drafts of other areas
included, which reveals their addresses. Here the object is looked up through
its model admin, so the user's scoping applies, and a draft goes to the staff
preview rather than to a public address that does not answer.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .scoping import is_id


class StaffAdminSite(admin.AdminSite):
    site_header = _("Medborgarlöften – personal")
    site_title = _("Medborgarlöften")
    index_title = _("Administration")

    def get_urls(self):
        urls = super().get_urls()
        for n, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[n] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str):
        if not is_id(content_type_id):
            raise Http404
        content_type = ContentType.objects.filter(pk=int(content_type_id)).first()
        model = content_type.model_class() if content_type else None
        model_admin = self._registry.get(model)
        where = getattr(model_admin, "site_url_for", None)
        if where is None:
            raise Http404
        # get_object() goes through the admin's scoped queryset and returns
        # None for an id that is not one.
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        url = where(obj)
        if not url:
            raise Http404
        return HttpResponseRedirect(url)
