"""Delete confirmation pages that name every related object as a person would.

Django's own list names a many-to-many row by its generated model, e.g.
"Activity-organisation relation: Activity_organisations object (362)". Here
such a row is named by its field and the object at its other end ("Genomförd
av: LPO Storgöteborg syd"); everything else is as in Django's
``get_deleted_objects``, which this follows line by line.
"""

from __future__ import annotations

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext


def _m2m_field(model):
    """The many-to-many field whose generated through model this is, or None."""
    owner = model._meta.auto_created
    if not owner:
        return None
    for field in owner._meta.many_to_many:
        if field.remote_field.through is model:
            return field
    return None


def get_deleted_objects(objs, request, admin_site):
    """Django's ``get_deleted_objects`` with readable labels; the same four results."""
    try:
        obj = objs[0]
    except IndexError:
        return [], {}, set(), []
    using = router.db_for_write(obj._meta.model)
    collector = NestedObjects(using=using, origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def deleted(instance) -> bool:
        return instance in collector.data.get(instance.__class__, ())

    def format_callback(obj):
        model = obj.__class__
        opts = obj._meta
        field = _m2m_field(model)
        if field is not None:
            source = getattr(obj, field.m2m_field_name())
            target = getattr(obj, field.m2m_reverse_field_name())
            if deleted(source):
                # Listed under the object being deleted: name the other end.
                return f"{capfirst(field.verbose_name)}: {target}"
            return f"{capfirst(source._meta.verbose_name)}: {source} ({field.verbose_name})"
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if admin_site.is_registered(model):
            if not admin_site.get_model_admin(model).has_delete_permission(request, obj):
                perms_needed.add(opts.verbose_name)
            try:
                admin_url = reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    None,
                    (quote(obj.pk),),
                )
            except NoReverseMatch:
                return no_edit_link
            return format_html(
                '{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), admin_url, obj
            )
        return no_edit_link

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {}
    for model, found in collector.model_objs.items():
        field = _m2m_field(model)
        name = (
            gettext("kopplingar ”%(field)s”") % {"field": field.verbose_name}
            if field is not None
            else model._meta.verbose_name_plural
        )
        model_count[name] = len(found)
    return to_delete, model_count, perms_needed, protected


class ReadableDeletionMixin:
    """A ModelAdmin whose delete pages (one object or the bulk action) use readable labels."""

    def get_deleted_objects(self, objs, request):
        return get_deleted_objects(objs, request, self.admin_site)
