from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Commitment,
    Contact,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    Promise,
)

admin.site.site_header = _("Medborgarlöften – personal")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")


@admin.register(PoliceRegion)
class PoliceRegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(PoliceArea)
class PoliceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "police_area"]
    list_filter = ["police_area__region"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "police_area", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class PromiseAdminForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        # The municipalities are validated below, with the set in this form.
        self.instance._municipalities_checked_elsewhere = True
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        municipalities = self.cleaned_data.get("municipalities")
        if (
            municipalities is None
            or self.errors.get("period_start")
            or self.errors.get("period_end")
        ):
            return
        try:
            self.instance.validate_municipalities(municipalities)
        except ValidationError as error:
            self.add_error(None, error)


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    fields = [
        "position",
        "title",
        "description",
        "lead_party",
        ("target_value", "target_unit", "target_measure"),
        "target_activity_type",
        ("outcome", "outcome_note"),
    ]
    show_change_link = True


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["position", "name", "role", "organisation", "phone", "email"]


@admin.register(Promise)
class PromiseAdmin(SimpleHistoryAdmin):
    form = PromiseAdminForm
    list_display = ["title", "period_start", "period_end", "status", "police_area"]
    list_filter = ["status", "police_area"]
    search_fields = ["title", "municipalities__name"]
    filter_horizontal = ["municipalities"]
    inlines = [CommitmentInline, ContactInline]
    fieldsets = [
        (None, {"fields": ["title", "status", "municipalities", "police_area"]}),
        (_("Period"), {"fields": [("period_start", "period_end"), "slug"]}),
        (
            _("Innehåll"),
            {"fields": ["focus", "summary", "background", "goal", "how_to_follow"]},
        ),
        (
            _("Engelsk översättning (valfri)"),
            {
                "classes": ["collapse"],
                "fields": [
                    "title_en",
                    "focus_en",
                    "summary_en",
                    "background_en",
                    "goal_en",
                    "how_to_follow_en",
                ],
            },
        ),
        (_("Undertecknande"), {"fields": ["signed_on", "signed_by", "signed_document"]}),
    ]


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "promise", "position", "lead_party", "target_value", "outcome"]
    list_filter = ["lead_party", "outcome"]
    search_fields = ["title", "promise__title"]
    autocomplete_fields = ["promise"]
    readonly_fields = ["updated_at"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "promise"]
    search_fields = ["name", "role", "organisation"]
    autocomplete_fields = ["promise"]
