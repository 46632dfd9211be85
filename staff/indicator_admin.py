"""The staff admin for outcome indicators and their measured values.

Scoped like the rest of the admin: staff reach the indicators of their own
promises and of the municipalities they work in. Values can also be imported
from a spreadsheet (MeasurementAdmin), with the same preview and all-or-nothing
import as activities.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from promises.models import Indicator, Measurement, check_indicator_scope

from .admin import StatusActionsMixin
from .imports_admin import BackgroundImportMixin
from .models import ImportJob
from .resources import MeasurementResource
from .scoping import ScopedAdminMixin, ScopedInlineMixin


class IndicatorAdminForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("länk till källan"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Indicator
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        try:
            check_indicator_scope(cleaned.get("promise"), cleaned.get("municipalities") or [])
        except ValidationError as error:
            self.add_error("municipalities", error)
        return cleaned


class MeasurementInline(ScopedInlineMixin, admin.TabularInline):
    model = Measurement
    extra = 1
    fields = [
        "municipality",
        "district",
        "year",
        "date",
        "value",
        "ci_low",
        "ci_high",
        "sample_size",
        "note",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"municipality", "district"} and formfield is not None:
            # Entering values is not the place to create or edit places.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = False
            wrapper.can_view_related = wrapper.can_delete_related = False
        return formfield


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, StatusActionsMixin, SimpleHistoryAdmin):
    form = IndicatorAdminForm
    list_display = ["name", "promise", "unit", "direction", "status", "is_example"]
    list_filter = ["status", "direction"]
    list_select_related = ["promise"]
    search_fields = ["name", "source_name"]
    autocomplete_fields = ["promise"]
    filter_horizontal = ["municipalities"]
    inlines = [MeasurementInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "unit", "direction", "status", "position"]}),
        (_("Var indikatorn visas"), {"fields": ["promise", "municipalities"]}),
        (_("Källa och beskrivning"), {"fields": ["source_name", "source_url", "description"]}),
        (
            _("Engelsk översättning (valfri)"),
            {"classes": ["collapse"], "fields": ["name_en", "unit_en", "description_en"]},
        ),
        (None, {"fields": ["is_example", "updated_at"]}),
    ]


@admin.register(Measurement)
class MeasurementAdmin(BackgroundImportMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    resource_classes = [MeasurementResource]
    import_kind = ImportJob.Kind.MEASUREMENTS
    import_title = _("Importera mätvärden")
    import_help_template = "admin/promises/measurement/import_help.html"
    export_name = "matvarden"
    list_display = ["indicator", "municipality", "district", "year", "date", "value"]
    list_filter = ["year"]
    list_select_related = ["indicator", "municipality", "district"]
    search_fields = ["indicator__name", "municipality__name"]
    autocomplete_fields = ["indicator"]

    def import_help_context(self, request) -> dict:
        return {"indicators": Indicator.objects.for_user(request.user).order_by("name")}
