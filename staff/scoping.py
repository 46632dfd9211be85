"""Organisation scoping for the staff admin.

One mixin puts every admin entry point that reaches data (changelist, change,
delete, history, autocomplete, import, export, bulk actions and the choices in
forms) behind the models' ``.for_user(user)`` querysets, so the rule of who
sees what lives in the models and nowhere else.
"""

from __future__ import annotations

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from .deletion import ReadableDeletionMixin
from .history import ReadableChangesHelper


def is_id(value) -> bool:
    """Whether a value from an address is a database id: ASCII digits only.

    ``str.isdigit()`` also accepts "²" and other digits that int() refuses.
    """
    text = str(value if value is not None else "")
    return text.isascii() and text.isdigit()


def choices_for(model: type[models.Model], user) -> models.QuerySet | None:
    """The objects of a related model the user may pick, or None if it is not scoped."""
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        return manager.for_user(user)
    return None


def _scope_choices(db_field, request, kwargs: dict) -> None:
    """Offer only the related objects the user may pick, unless the admin chose already."""
    if "queryset" not in kwargs:
        queryset = choices_for(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset


class ForgivingChangeList(ChangeList):
    """A change list that treats an impossible date in its filters as a bad filter.

    Django's date hierarchy turns ``?date__year=99999999999`` (or the last day
    of year 9999) into an OverflowError or a ValueError outside its own check;
    as IncorrectLookupParameters the admin shows its usual message instead.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class ForgivingToFieldMixin:
    """Answer ``?_to_field=<reverse relation>`` with the admin's usual refusal.

    Django's check reads ``primary_key`` of whatever field the name finds, and
    a reverse relation (e.g. a district's ``measurements``) has none: a 500.
    """

    def to_field_allowed(self, request, to_field):
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        if not getattr(field, "concrete", False):
            return False
        return super().to_field_allowed(request, to_field)


class ScopedAdminMixin(ReadableDeletionMixin, ForgivingToFieldMixin):
    """Limit a ModelAdmin to what the request user's organisations cover.

    A user who asks for an object outside their area gets a 404, the same as
    for an object that does not exist, so that neither titles nor the
    existence of other areas' data leak.
    """

    # Every scoped admin also uses the Swedish version list (django-simple-history).
    object_history_list_template = "admin/history_list.html"
    object_history_form_template = "admin/history_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_changelist(self, request, **kwargs):
        return ForgivingChangeList

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record)

    def in_scope(self, request, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the admin index with a message; a plain 404 says
        # no more about objects of other areas than about missing ones.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _object_in_scope(self, request, object_id):
        """The object with this id in the user's area, or a 404 (also for an id that is no id)."""
        try:
            obj = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        except (ValueError, TypeError, ValidationError, OverflowError):
            obj = None
        if obj is None:
            raise Http404
        return obj

    def _require_in_scope(self, request, object_id):
        if request.user.is_superuser and request.user.is_active:
            # Superusers may also read and restore the history of deleted objects.
            try:
                return self.model._default_manager.filter(pk=unquote(object_id)).first()
            except (ValueError, TypeError, ValidationError, OverflowError):
                raise Http404 from None
        # A deleted object is in nobody's area any more; its history stays
        # with superusers rather than being shown to anyone who guesses its id.
        return self._object_in_scope(request, object_id)

    # django-simple-history looks objects up without the admin's queryset and
    # falls back to the last historical record, so both views check first.
    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._require_in_scope(request, object_id)
        # django-simple-history saves a POSTed version form for anyone who may
        # only view history: restoring a version is a change like any other.
        if request.method not in ("GET", "HEAD") and not self.has_change_permission(request, obj):
            raise PermissionDenied
        if not is_id(version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        # The version page offers "Återställ" only to those who may change the object.
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)


class ScopedInlineMixin:
    """Inline choices limited the same way as the parent admin's."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        _scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
