from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, ActivitySeries, types_by_use
from promises.models import ActivityType, Commitment, Organisation

from .admin import StatusActionsMixin
from .imports_admin import BackgroundImportMixin
from .models import ImportJob
from .resources import ActivityResource
from .scoping import ScopedAdminMixin, is_id

# How many of a commitment's earlier places are suggested.
PLACE_SUGGESTIONS = 30


class PlaceInput(forms.TextInput):
    """A text field with suggestions in a ``<datalist>``: the browser does the rest, no script."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField", **(attrs or {})})
        self.suggestions: list[str] = []

    def render(self, name, value, attrs=None, renderer=None):
        if not self.suggestions:
            return super().render(name, value, attrs, renderer)
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_forslag"
        attrs["list"] = list_id
        options = format_html_join(
            "", '<option value="{}"></option>', ((s,) for s in self.suggestions)
        )
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            list_id,
            options,
        )


def object_id_of(request) -> str | None:
    """The id of the activity a change or version page is about; None when adding."""
    match = request.resolver_match
    # django-simple-history's version page passes it positionally.
    value = match.kwargs.get("object_id") or (match.args[0] if match.args else None)
    return value if is_id(value) else None


def https_by_default(field, **kwargs):
    """Form fields for the model's fields; a link typed without a scheme is https."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


def user_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "–"


class ActivityAdminForm(forms.ModelForm):
    """The admin form: a title made from the type and place if left empty, and a duplicate check.

    Once the commitment is known (chosen before, given in the address, or the
    activity's own) the types used for it come first and its earlier places
    are suggested.
    """

    # The user who logs, set by ActivityAdmin.get_form.
    user = None

    confirm_duplicate = forms.BooleanField(
        label=_("Spara ändå"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Kryssa i om det verkligen är en ny aktivitet och inte en dubblett."),
    )

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown
        formfield_callback = https_by_default
        # A handful of organisations per area: checkboxes beat a two-pane picker.
        widgets = {"organisations": forms.CheckboxSelectMultiple, "place": PlaceInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _(
                "Lämna tomt för att använda typ och plats, t.ex. ”Fotpatrullering i Mölnlycke centrum”."
            )
        if self.instance.pk is None and "status" in self.fields and self.user is not None:
            self._status_for_new()
        commitment = self._chosen_commitment()
        if commitment is not None:
            self._narrow_types(commitment)
            place = self.fields.get("place")
            if place is not None and isinstance(place.widget, PlaceInput):
                place.widget.suggestions = Activity.objects.filter(
                    commitment=commitment
                ).recent_places(PLACE_SUGGESTIONS)

    def _status_for_new(self) -> None:
        """A new activity starts as the user's group says; without the right to publish at
        once it is a draft, whatever the address or the post says."""
        status = Activity.initial_status_for(self.user)
        self.initial["status"] = status
        if status == Activity.Status.DRAFT:
            field = self.fields["status"]
            field.disabled = True
            field.help_text = _(
                "Nya aktiviteter sparas som utkast och syns inte på webbplatsen förrän de "
                "publiceras, t.ex. med knappen ”Publicera” i förhandsgranskningen."
            )

    def _chosen_commitment(self) -> Commitment | None:
        """The commitment the form is about, among those the user may choose; else None."""
        field = self.fields.get("commitment")
        if field is None:
            return None
        if self.is_bound:
            value = self.data.get(self.add_prefix("commitment"))
        else:
            value = self.initial.get("commitment") or self.instance.commitment_id
        if not is_id(value):
            return None
        return field.queryset.filter(pk=int(value)).first()

    def _narrow_types(self, commitment: Commitment) -> None:
        """The types used for the commitment (its target's type too) first, the others after."""
        field = self.fields.get("type")
        if field is None:
            return
        used, others = types_by_use(commitment, field.queryset)
        if not used or not others:
            return
        choices = [
            ("", field.empty_label or "---------"),
            (gettext("Används för åtagandet"), [(t.pk, str(t)) for t in used]),
            (gettext("Andra typer"), [(t.pk, str(t)) for t in others]),
        ]
        field.choices = choices
        # The admin wraps the select; the wrapped one is what is drawn.
        inner = getattr(field.widget, "widget", None)
        if inner is not None:
            inner.choices = field.choices

    def clean(self):
        cleaned = super().clean()
        if "title" in self.fields and not cleaned.get("title") and cleaned.get("type"):
            # The same rule as the import's (one place: Activity.title_from).
            cleaned["title"] = Activity.title_from(cleaned["type"], cleaned.get("place") or "")
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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
    readonly_fields = ["created_by_name", "created_at", "updated_by_name", "updated_at"]
    actions = ["publish", "unpublish"]
    # One order for adding and changing: what is logged first, the rest below.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "commitment",
                    "type",
                    ("date", "end_date"),
                    ("start_time", "end_time"),
                    "place",
                    ("occasions", "people_reached"),
                    "organisations",
                    "title",
                    "description",
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
    ]
    # Only for an activity that exists: who logged and changed it, and when.
    changes_fieldset = (
        _("Ändringar"),
        {"fields": [("created_by_name", "created_at"), ("updated_by_name", "updated_at")]},
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.fieldsets)
        if obj is not None:
            fieldsets.append(self.changes_fieldset)
        if request.user.is_superuser:
            fieldsets.append((_("Demo"), {"fields": ["is_example"]}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    # Shown as text: a link would lead to the user admin, which staff may not open.
    @admin.display(description=_("skapad av"))
    def created_by_name(self, obj):
        return user_name(obj.created_by)

    @admin.display(description=_("ändrad av"))
    def updated_by_name(self, obj):
        return user_name(obj.updated_by)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # Only a current commitment the user may report on is filled in.
        commitment = None
        if "commitment" in initial:
            value = initial.pop("commitment")
            found = (
                Commitment.objects.for_user(request.user)
                .select_related("promise")
                .filter(pk=int(value))
                .first()
                if is_id(value)
                else None
            )
            if found is not None and found.promise.is_current():
                commitment = found
                initial["commitment"] = found.pk
            elif found is not None:
                self.message_user(
                    request,
                    gettext(
                        "”%(promise)s” gäller inte i dag (%(period)s). Nya aktiviteter kan bara "
                        "loggas på pågående medborgarlöften."
                    )
                    % {"promise": found.promise.title, "period": found.promise.period_label},
                    messages.WARNING,
                )
        if commitment is None and not Commitment.objects.for_user(request.user).current().exists():
            self.message_user(
                request,
                gettext(
                    "Inget av dina medborgarlöften pågår i dag, så det finns inget åtagande att "
                    "logga nya aktiviteter på. Äldre aktiviteter kan du fortfarande ändra."
                ),
                messages.WARNING,
            )
        initial["date"] = self._initial_date(initial.get("date"), commitment)
        if initial["date"] is None:
            initial.pop("date")
        if "organisations" not in initial:
            initial["organisations"] = list(
                Organisation.objects.staff_of(request.user).values_list("pk", flat=True)
            )
        return initial

    @staticmethod
    def _initial_date(value, commitment: Commitment | None) -> date | None:
        """The date asked for (by "Spara och logga en till") if it fits, else today.

        Only current commitments are offered, so today fits every one of them;
        a date outside the chosen commitment's period is never filled in.
        """
        today = timezone.localdate()
        try:
            asked = parse_date(value) if isinstance(value, str) else None
        except ValueError:
            asked = None
        for day in (asked, today):
            if day is None:
                continue
            if commitment is None or commitment.promise.period_start <= day <= (
                commitment.promise.period_end
            ):
                return day
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = object_id_of(request)
        if db_field.name == "type":
            # New activities pick from the types in use; an old one keeps its own.
            queryset = ActivityType.objects.filter(is_active=True)
            if own:
                queryset = queryset | ActivityType.objects.filter(activities__pk=own)
            kwargs["queryset"] = queryset.distinct()
        elif db_field.name == "commitment":
            # New work is logged on current promises only; an old activity keeps its own.
            queryset = Commitment.objects.for_user(request.user).current()
            if own:
                queryset = Commitment.objects.filter(
                    Q(pk__in=queryset.values("pk"))
                    | Q(
                        pk__in=Activity.objects.for_user(request.user)
                        .filter(pk=own)
                        .values("commitment_id")
                    )
                )
            kwargs["queryset"] = queryset.select_related("promise")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organisations":
            # Keep the organisations the activity already has, also those of
            # another area on a shared promise, so that saving does not drop them.
            queryset = Organisation.objects.for_user(request.user)
            object_id = object_id_of(request)
            if object_id:
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
            # The form shows the status it will get; this holds whatever is posted.
            obj.status = Activity.initial_status_for(request.user, obj.status)
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def _save_for_action(self, request, obj) -> None:
        obj.updated_by = request.user
        super()._save_for_action(request, obj)

    def log_another_url(self, obj, *, same_day: bool) -> str:
        """The add form filled in like ``obj``: commitment, type, place, organisations (and day)."""
        query = {"commitment": obj.commitment_id, "type": obj.type_id}
        if same_day:
            query["date"] = obj.date.isoformat()
        if obj.place:
            query["place"] = obj.place
        organisations = ",".join(str(pk) for pk in obj.organisations.values_list("pk", flat=True))
        if organisations:
            query["organisations"] = organisations
        return f"{reverse('admin:activities_activity_add')}?{urlencode(query)}"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if (
            obj is not None
            and obj.commitment.promise.is_current()
            and self.has_add_permission(request)
        ):
            context["log_another_url"] = self.log_another_url(obj, same_day=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST and "_popup" not in request.POST:
            self.message_user(
                request,
                gettext("Aktiviteten ”%(title)s” sparades. Logga nästa nedan.")
                % {"title": obj.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self.log_another_url(obj, same_day=True))
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

    def preview_url_for(self, obj) -> str:
        return reverse("public:activity-preview", args=[obj.pk])

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
