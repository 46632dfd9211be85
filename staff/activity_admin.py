from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, ActivitySeries
from promises.models import ActivityType, Commitment, Organisation

from .admin import StatusActionsMixin
from .imports_admin import BackgroundImportMixin
from .models import ImportJob
from .resources import ActivityResource
from .scoping import ScopedAdminMixin, is_id


class ActivityAdminForm(forms.ModelForm):
    """The admin form: a title made from the type and place if left empty, and a duplicate check."""

    confirm_duplicate = forms.BooleanField(
        label=_("Spara ändå"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Kryssa i om det verkligen är en ny aktivitet och inte en dubblett."),
    )

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        # A handful of organisations per area: checkboxes beat a two-pane picker.
        widgets = {"organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _(
                "Lämna tomt för att använda typ och plats, t.ex. ”Fotpatrullering i Mölnlycke centrum”."
            )

    def clean(self):
        cleaned = super().clean()
        if "title" in self.fields and not cleaned.get("title") and cleaned.get("type"):
            place = (cleaned.get("place") or "").strip()
            name = cleaned["type"].name
            cleaned["title"] = (
                gettext("%(type)s i %(place)s") % {"type": name, "place": place} if place else name
            )
            self.instance.title = cleaned["title"]
            if "title" in self.errors:
                del self.errors["title"]
        elif "title" in self.fields and not cleaned.get("title"):
            self.add_error("title", _("Ange en rubrik eller välj en typ."))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        duplicates = Activity.objects.likely_duplicates_of(self.instance)
        if not duplicates.exists() or self.cleaned_data.get("confirm_duplicate"):
            return
        other = duplicates.order_by("-pk").first()
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
        self.add_error(
            None,
            forms.ValidationError(
                _(
                    "Det finns redan en aktivitet med samma åtagande, typ, datum och plats: "
                    "”%(title)s” (%(date)s). Kryssa i ”Spara ändå” nedan och spara igen "
                    "om det här är en annan aktivitet."
                ),
                params={"title": other.title, "date": date_format(other.date)},
                code="duplicate",
            ),
        )


@admin.register(Activity)
class ActivityAdmin(
    BackgroundImportMixin, ScopedAdminMixin, StatusActionsMixin, SimpleHistoryAdmin
):
    form = ActivityAdminForm
    resource_classes = [ActivityResource]
    import_kind = ImportJob.Kind.ACTIVITIES
    import_title = _("Importera aktiviteter")
    import_help_template = "admin/activities/activity/import_help.html"
    export_name = "aktiviteter"
    list_display = [
        "title",
        "date",
        "state",
        "status",
        "type",
        "occasions",
        "commitment_label",
        "preview_link",
    ]
    # RelatedOnly: the filter offers the promises in the user's own list, never all.
    list_filter = [
        "status",
        "state",
        "type",
        ("commitment__promise", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["commitment", "type"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["commitment"]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    actions = ["publish", "unpublish"]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "commitment",
                    "type",
                    "date",
                    "place",
                    ("occasions", "people_reached"),
                    "title",
                    "description",
                    "organisations",
                    "state",
                    "status",
                    "confirm_duplicate",
                ]
            },
        ),
        (
            _("Mer"),
            {
                "classes": ["collapse"],
                "fields": ["end_date", ("start_time", "end_time"), "link", "internal_note"],
            },
        ),
        (
            _("På engelska"),
            {"classes": ["collapse"], "fields": ["title_en", "description_en"]},
        ),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "commitment",
                    ("date", "end_date"),
                    ("start_time", "end_time"),
                    "title",
                    "description",
                    "type",
                    "organisations",
                    "place",
                    ("occasions", "people_reached"),
                    "link",
                    "state",
                    "status",
                    "confirm_duplicate",
                ]
            },
        ),
        (
            _("På engelska"),
            {"classes": ["collapse"], "fields": ["title_en", "description_en"]},
        ),
        (
            _("Bara för personal"),
            {
                "fields": ["internal_note"],
                "description": _("Visas aldrig på webbplatsen och följer inte med i exporten."),
            },
        ),
        (
            _("Ändringar"),
            {"fields": [("created_by", "created_at"), ("updated_by", "updated_at")]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.add_fieldsets if obj is None else self.fieldsets
        if request.user.is_superuser:
            fieldsets = [*fieldsets, (_("Demo"), {"fields": ["is_example"]})]
        return fieldsets

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("date", timezone.localdate())
        if "organisations" not in initial:
            initial["organisations"] = list(
                Organisation.objects.staff_of(request.user).values_list("pk", flat=True)
            )
        # Only a commitment the user may report on is filled in.
        commitment = initial.get("commitment")
        if commitment is not None and not (
            is_id(commitment)
            and Commitment.objects.for_user(request.user).filter(pk=int(commitment)).exists()
        ):
            initial.pop("commitment")
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "type":
            # New activities pick from the types in use; an old one keeps its own.
            queryset = ActivityType.objects.filter(is_active=True)
            object_id = request.resolver_match.kwargs.get("object_id")
            if object_id and is_id(object_id):
                queryset = queryset | ActivityType.objects.filter(activities__pk=object_id)
            kwargs["queryset"] = queryset.distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organisations":
            # Keep the organisations the activity already has, also those of
            # another area on a shared promise, so that saving does not drop them.
            queryset = Organisation.objects.for_user(request.user)
            object_id = request.resolver_match.kwargs.get("object_id")
            if object_id and is_id(object_id):
                queryset = Organisation.objects.filter(
                    Q(pk__in=queryset.values("pk")) | Q(activities__pk=object_id)
                ).distinct()
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"commitment", "type"} and formfield is not None:
            # Logging an activity is not the place to create or edit commitments or types.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = False
            wrapper.can_view_related = wrapper.can_delete_related = False
            if db_field.name == "commitment":
                # Commitment titles are whole sentences: give them room.
                wrapper.widget.attrs["class"] = "ml-wide-select"
        return formfield

    @admin.display(description=_("åtagande"), ordering="commitment__position")
    def commitment_label(self, obj):
        title = obj.commitment.title
        short = title if len(title) <= 60 else title[:57].rstrip() + "…"
        return format_html('<span title="{}">{}. {}</span>', title, obj.commitment.position, short)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def _save_for_action(self, request, obj) -> None:
        obj.updated_by = request.user
        super()._save_for_action(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST and "_popup" not in request.POST:
            self.message_user(
                request,
                gettext("Aktiviteten ”%(title)s” sparades. Logga nästa nedan.")
                % {"title": obj.title},
                messages.SUCCESS,
            )
            query = urlencode({"commitment": obj.commitment_id, "type": obj.type_id})
            return HttpResponseRedirect(f"{reverse('admin:activities_activity_add')}?{query}")
        return super().response_add(request, obj, post_url_continue)

    def import_help_context(self, request) -> dict:
        commitments = (
            Commitment.objects.for_user(request.user)
            .select_related("promise")
            .order_by("promise__title", "position")
        )
        return {"commitments": commitments}

    def get_urls(self):
        return [
            # The old staff preview address, kept working.
            path(
                "<path:object_id>/forhandsgranska/",
                self.admin_site.admin_view(self.preview_redirect),
                name="activities_activity_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("Förhandsgranska"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("public:activity-preview", args=[obj.pk]),
            gettext("Förhandsgranska"),
        )

    def site_url_for(self, obj):
        """The public page when residents can see it; the staff preview otherwise."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("public:activity-preview", args=[obj.pk])

    def preview_redirect(self, request, object_id):
        activity = self._object_in_scope(request, object_id)
        return HttpResponseRedirect(reverse("public:activity-preview", args=[activity.pk]))


SERIES_FIELDS = [
    "commitment",
    "type",
    "title",
    "description",
    "place",
    "weekdays",
    ("start_time", "end_time"),
    ("first_date", "last_date"),
    "organisations",
    ("created_by", "created_at"),
]


@admin.register(ActivitySeries)
class ActivitySeriesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Recurring activities, to look up: made with their occurrences at /personal/aterkommande/.

    Read only: each planned occurrence is an activity of its own, edited,
    confirmed or cancelled as one; changing the series would change none of them.
    """

    list_display = ["title", "commitment", "first_date", "last_date", "created_by"]
    list_select_related = ["commitment", "created_by"]
    fieldsets = [(None, {"fields": SERIES_FIELDS})]
    readonly_fields = flatten_fieldsets(fieldsets)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
