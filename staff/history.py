"""Readable diffs in the admin's version list (django-simple-history)."""

import dataclasses
import datetime

from django.db.models import ManyToManyField
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

# Bookkeeping that every change touches; the version list shows who and when anyway.
HIDDEN_FIELDS = {"created_by", "created_at", "updated_by", "updated_at"}


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """Show labels instead of stored values: ”Utkast”, ”14 mars 2023”, names joined by commas."""

    def context_for_delta_changes(self, delta):
        changes = [c for c in delta.changes if c.field not in HIDDEN_FIELDS]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        # A foreign key that was empty comes back as a placeholder object without a pk.
        if value is None or value == "" or (field.is_relation and getattr(value, "pk", 0) is None):
            return "–"
        if isinstance(field, ManyToManyField):
            return ", ".join(str(item) for item in value) or "–"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Ja") if value else _("Nej")
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return date_format(value)
        return value
