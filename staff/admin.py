"""The staff admin for promises: who gives them, where they apply, commitments, follow-ups.

Every admin here is scoped to the user's organisations (scoping.py) and writes
history. Renewing a promise and previewing it are actions on the promise; the
preview itself is a public page (public/preview.py) reached by its URL name.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity
from activities.progress import progress_for_commitments
from promises.models import (
    Abbreviation,
    ActivityType,
    Assessment,
    Commitment,
    Contact,
    County,
    District,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    PriorityArea,
    Promise,
)
from reports.models import MAX_HIGHLIGHTS, FollowUpHighlight
from reports.views import report_response

from .scoping import (
    ForgivingChangeList,
    ForgivingToFieldMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    is_id,
)


@admin.register(PoliceRegion)
class PoliceRegionAdmin(ForgivingToFieldMixin, admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(ForgivingToFieldMixin, admin.ModelAdmin):
    list_display = ["code", "name", "police_region"]
    list_filter = ["police_region"]
    search_fields = ["name", "code"]


@admin.register(PoliceArea)
class PoliceAreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    filter_horizontal = ["municipalities", "districts"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "county"]
    list_filter = [("county", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["county"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "code"]

    def site_url_for(self, obj):
        return obj.get_absolute_url()


@admin.register(District)
class DistrictAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "municipality"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["municipality"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "municipality__name"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "police_area", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(ActivityType)
class ActivityTypeAdmin(ForgivingToFieldMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_en"]


@admin.register(Abbreviation)
class AbbreviationAdmin(admin.ModelAdmin):
    """The glossary shown to residents; shared by every area, so kept by administrators."""

    list_display = ["term", "expansion", "expansion_en"]
    search_fields = ["term", "expansion", "expansion_en"]


# Up to this many choices a many-to-many field is a list of checkboxes.
CHECKBOXES_UP_TO = 15


class PromiseAdminForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    # The user who edits, set by PromiseAdmin.get_form.
    user = None

    def _keep_outside_area(self, name: str, allowed, label: str):
        """Another area's entries stay on a shared promise: removing them would take it away."""
        chosen = self.cleaned_data[name]
        user = self.user
        if self.instance.pk is None or user is None or (user.is_superuser and user.is_active):
            return chosen
        removed = getattr(self.instance, name).exclude(pk__in=[obj.pk for obj in chosen])
        outside = removed.exclude(pk__in=allowed.values("pk"))
        if outside.exists():
            raise ValidationError(
                gettext(
                    "Du kan inte ta bort %(names)s: %(label)s ligger utanför ditt område. "
                    "Be dess personal eller en administratör om hjälp."
                )
                % {"names": ", ".join(str(obj) for obj in outside), "label": label},
                code="outside_area",
            )
        return chosen

    def clean_municipalities(self):
        return self._keep_outside_area(
            "municipalities", Municipality.objects.for_user(self.user), gettext("kommunen")
        )

    def clean_police_areas(self):
        return self._keep_outside_area(
            "police_areas",
            PoliceArea.objects.for_user(self.user),
            gettext("lokalpolisområdet"),
        )

    def _post_clean(self):
        # The model's clean() checks where the promise applies against the
        # relations chosen in this form, not those stored.
        self.instance.pending_coverage = {
            "municipalities": self.cleaned_data.get("municipalities") or [],
            "districts": self.cleaned_data.get("districts") or [],
        }
        super()._post_clean()


class PriorityAreaInline(ScopedInlineMixin, admin.TabularInline):
    model = PriorityArea
    extra = 0
    fields = ["position", "title", "title_en", "description", "description_en"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("description", "description_en"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CommitmentInline(ScopedInlineMixin, admin.StackedInline):
    model = Commitment
    extra = 0
    fields = [
        ("position", "priority_area"),
        "title",
        "description",
        "parties",
        ("target_value", "target_period", "target_unit", "target_measure"),
        "target_activity_type",
    ]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "priority_area":
            object_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = PriorityArea.objects.filter(
                promise_id=object_id if is_id(object_id) else None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "parties":
            kwargs["queryset"] = Organisation.objects.for_user(request.user)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["position", "name", "role", "organisation", "phone", "email"]


class StatusActionsMixin:
    """Publish and unpublish in bulk, one save per object so that history records each."""

    def _set_status(self, request, queryset, status) -> None:
        changed, failed = 0, []
        reason = gettext("massåtgärd, %(status)s") % {
            "status": str(self.model.Status(status).label).lower()
        }
        for obj in queryset:
            if obj.status == status:
                continue
            if not self.has_change_permission(request, obj):
                # The action itself asks for change permission on the model;
                # each object is checked too, as its change page would be.
                raise PermissionDenied
            try:
                self._change_status(request, obj, status, reason)
            except ValidationError as error:
                failed.append(f"{obj}: {' '.join(error.messages)}")
                continue
            changed += 1
        if changed:
            self.message_user(
                request,
                ngettext("%(count)d ändrades.", "%(count)d ändrades.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )
        for message in failed:
            self.message_user(request, message, messages.ERROR)

    def _change_status(self, request, obj, status, reason: str) -> None:
        """Check and save one object's new status, with the reason in its history."""
        obj.status = status
        obj._change_reason = reason
        obj.full_clean()
        with transaction.atomic():
            self._save_for_action(request, obj)

    def _save_for_action(self, request, obj) -> None:
        obj._history_user = request.user
        obj.save()

    def get_urls(self):
        opts = self.model._meta
        return [
            # "Publicera" on the staff preview posts here.
            path(
                "<path:object_id>/publicera/",
                self.admin_site.admin_view(self.publish_view),
                name=f"{opts.app_label}_{opts.model_name}_publish",
            ),
            *super().get_urls(),
        ]

    def preview_url_for(self, obj) -> str:
        """Where "Publicera" returns to: the staff preview, where there is one."""
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    def publish_view(self, request, object_id):
        """Publish one object from its preview: POST only, within the user's area, as a change."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self._object_in_scope(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if obj.status != self.model.Status.PUBLISHED:
            try:
                self._change_status(
                    request,
                    obj,
                    self.model.Status.PUBLISHED,
                    gettext("publicerad från förhandsgranskningen"),
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("Det gick inte att publicera: %(errors)s")
                    % {"errors": " ".join(error.messages)},
                    messages.ERROR,
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                        args=[obj.pk],
                    )
                )
        return HttpResponseRedirect(self.preview_url_for(obj))

    @admin.action(description=_("Publicera markerade"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.PUBLISHED)

    @admin.action(description=_("Avpublicera markerade (gör till utkast)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.DRAFT)


def renew(promise: Promise, user) -> Promise:
    """A draft copy of the promise for the next period of the same length.

    The texts, who gives it and where it applies, priority areas, commitments
    with their parties and targets, and contacts are copied; activities and
    follow-ups are not.
    """
    length = promise.period_end - promise.period_start
    start = promise.period_end + timedelta(days=1)
    copy = Promise.objects.get(pk=promise.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.status = Promise.Status.DRAFT
    copy.period_start, copy.period_end = start, start + length
    copy.slug = ""
    copy.renews = promise
    copy.signed_on, copy.signed_by, copy.signed_document = None, "", ""
    copy._history_user = user
    copy._change_reason = gettext("förnyat från %(title)s") % {"title": promise}
    districts = list(promise.districts.all())
    copy.pending_coverage = {"municipalities": promise.municipalities.all(), "districts": districts}
    copy.save()
    for name in ("police_areas", "signing_municipalities", "partners", "municipalities"):
        getattr(copy, name).set(getattr(promise, name).all())
    copy.districts.set(districts)
    areas = {}
    for area in promise.priority_areas.all():
        old = area.pk
        area.pk = area.id = None
        area.promise = copy
        area.save()
        areas[old] = area
    for commitment in promise.commitments.all():
        parties = list(commitment.parties.all())
        commitment.pk = commitment.id = None
        commitment.promise = copy
        commitment.priority_area = areas.get(commitment.priority_area_id)
        commitment.save()
        commitment.parties.set(parties)
    for contact in promise.contacts.all():
        contact.pk = contact.id = None
        contact.promise = copy
        contact.save()
    return copy


@admin.register(Promise)
class PromiseAdmin(ScopedAdminMixin, StatusActionsMixin, SimpleHistoryAdmin):
    form = PromiseAdminForm
    list_display = [
        "title",
        "status",
        "preview_link",
        "period_start",
        "period_end",
        "given_by",
        "updated_at",
    ]
    list_filter = ["status", ("police_areas", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "municipalities__name", "districts__name"]
    filter_horizontal = [
        "police_areas",
        "signing_municipalities",
        "partners",
        "municipalities",
        "districts",
    ]
    inlines = [PriorityAreaInline, CommitmentInline, ContactInline]
    actions = ["publish", "unpublish", "renew_for_next_period"]
    readonly_fields = ["updated_at"]
    autocomplete_fields = ["renews"]
    fieldsets = [
        (None, {"fields": ["title", "status", "updated_at"]}),
        (
            _("Vem lovar"),
            {
                "fields": ["police_areas", "signing_municipalities", "partners"],
                "description": _(
                    "Lokalpolisområdena som ger löftet, kommunerna som skriver under (inga om "
                    "polisen lovar ensam) och namngivna samverkanspartner."
                ),
            },
        ),
        (
            _("Var löftet gäller"),
            {
                "fields": ["municipalities", "districts"],
                "description": _(
                    "Välj stadsdelar eller områden bara om löftet inte gäller i hela kommunen."
                ),
            },
        ),
        (_("Period"), {"fields": [("period_start", "period_end"), "slug", "renews"]}),
        (
            _("Innehåll"),
            {
                "fields": [
                    "focus",
                    "summary",
                    "background",
                    "commitments_intro",
                    "goal",
                    "how_to_follow",
                ]
            },
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
                    "commitments_intro_en",
                    "goal_en",
                    "how_to_follow_en",
                ],
            },
        ),
        (_("Undertecknande"), {"fields": ["signed_on", "signed_by", "signed_document"]}),
        (
            _("Exempel"),
            {
                "fields": ["is_example"],
                "description": _("Bara för demonstration: märks ”Exempeldata” på webbplatsen."),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("police_areas")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Keep what a shared promise already has, even outside the user's
        # area, so that saving does not drop it.
        object_id = request.resolver_match.kwargs.get("object_id")
        own = is_id(object_id)
        scoped = {
            "municipalities": Municipality,
            "signing_municipalities": Municipality,
            "police_areas": PoliceArea,
            "districts": District,
        }
        if db_field.name in scoped:
            model = scoped[db_field.name]
            queryset = model.objects.for_user(request.user)
            if own:
                current = getattr(Promise, db_field.name).through.objects.filter(
                    promise_id=object_id
                )
                column = f"{db_field.m2m_reverse_field_name()}_id"
                queryset = model.objects.filter(
                    pk__in=queryset.values("pk")
                ) | model.objects.filter(pk__in=current.values(column))
                queryset = queryset.distinct()
            kwargs["queryset"] = queryset
        elif db_field.name == "partners":
            kwargs["queryset"] = Organisation.objects.for_user(request.user).partners()
        queryset = kwargs.get("queryset")
        if queryset is not None and queryset.count() <= CHECKBOXES_UP_TO:
            # A user's own area offers a handful: checkboxes beat a two-pane picker.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("Ges av"))
    def given_by(self, obj):
        return ", ".join(area.name for area in obj.police_areas.all())

    def get_urls(self):
        # The old staff preview address, kept working.
        return [
            path(
                "<path:object_id>/forhandsgranska/",
                self.admin_site.admin_view(self.preview_redirect),
                name="promises_promise_preview",
            ),
            *super().get_urls(),
        ]

    def preview_redirect(self, request, object_id):
        promise = self._object_in_scope(request, object_id)
        return HttpResponseRedirect(reverse("public:promise-preview", args=[promise.pk]))

    @admin.display(description=_("Förhandsgranska"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("public:promise-preview", args=[obj.pk]),
            gettext("Förhandsgranska"),
        )

    def preview_url_for(self, obj) -> str:
        return reverse("public:promise-preview", args=[obj.pk])

    def site_url_for(self, obj):
        """The public page when published; the staff preview of a draft."""
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("public:promise-preview", args=[obj.pk])

    @admin.action(description=_("Förnya för nästa period"), permissions=["add"])
    def renew_for_next_period(self, request, queryset):
        for promise in queryset:
            if not self.has_view_permission(request, promise):
                raise PermissionDenied
            try:
                with transaction.atomic():
                    copy = renew(promise, request.user)
            except ValidationError as error:
                self.message_user(request, f"{promise}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("Ett utkast för %(period)s är skapat.") % {"period": copy.period_label},
                    reverse("admin:promises_promise_change", args=[copy.pk]),
                    copy.title,
                ),
                messages.SUCCESS,
            )


class CommitmentChangeList(ForgivingChangeList):
    """The commitment list, with the progress of the commitments on its page."""

    def get_results(self, request):
        super().get_results(request)
        # What residents see (or will see, for a promise not yet published):
        # the published activities; a fixed number of queries for the page.
        progress = progress_for_commitments(self.result_list, unpublished_promises=True)
        for commitment in self.result_list:
            commitment.progress = progress[commitment.pk]


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "number",
        "title",
        "progress_label",
        "promise_label",
        "log_activity_link",
    ]
    list_display_links = ["title"]
    list_filter = ["target_period", ("promise", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["promise"]
    search_fields = ["title", "promise__title"]
    autocomplete_fields = ["promise"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["promise", ("position", "priority_area"), "title", "slug"]}),
        (_("Vem lovar"), {"fields": ["parties"]}),
        (
            _("Mål"),
            {
                "fields": [
                    ("target_value", "target_period"),
                    ("target_unit", "target_measure"),
                    "target_activity_type",
                ]
            },
        ),
        (_("Beskrivning"), {"fields": ["description"]}),
        (
            _("Engelsk översättning (valfri)"),
            {"classes": ["collapse"], "fields": ["title_en", "description_en", "target_unit_en"]},
        ),
        (_("Ändringar"), {"fields": ["updated_at"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return CommitmentChangeList

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (
            request.resolver_match.url_name == "autocomplete"
            and request.GET.get("app_label") == "activities"
            and request.GET.get("field_name") == "commitment"
        ):
            # Choosing the commitment of an activity: new work goes on current promises.
            queryset = queryset.current()
        return queryset, may_have_duplicates

    # Short column headings, so that the list fits a laptop's width.
    @admin.display(description=_("Nr"), ordering="position")
    def number(self, obj):
        return obj.position

    @admin.display(description=_("Löfte"), ordering="promise__period_start")
    def promise_label(self, obj):
        return format_html(
            '{}<br><span class="ml-quiet">{}</span>', obj.promise.title, obj.promise.period_label
        )

    @admin.display(description=_("Hur det går"))
    def progress_label(self, obj):
        progress = getattr(obj, "progress", None)
        if progress is None:
            return "–"
        if progress.has_target:
            figure = gettext("%(counted)s av %(target)s %(unit)s (%(percent)s %%)") % {
                "counted": progress.counted,
                "target": progress.target,
                "unit": obj.target_unit or progress.measure_label,
                "percent": progress.percent_exact,
            }
        else:
            figure = ngettext(
                "%(count)s aktivitet, inget mål",
                "%(count)s aktiviteter, inget mål",
                progress.all_activities,
            ) % {"count": progress.all_activities}
        verdict = progress.pace_label or str(progress.status_label)
        if progress.quiet:
            verdict = gettext("%(verdict)s, inget på 8 veckor") % {"verdict": verdict}
        return format_html('{}<br><span class="ml-quiet">{}</span>', figure, verdict)

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if not request.user.has_perm("activities.add_activity"):
            list_display = [name for name in list_display if name != "log_activity_link"]
        return list_display

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "parties":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def site_url_for(self, obj):
        if obj.promise.is_published:
            return obj.get_absolute_url()
        return reverse("public:promise-preview", args=[obj.promise_id])

    @admin.display(description=_("Logga"))
    def log_activity_link(self, obj):
        if not obj.promise.is_current():
            # An ended promise, or one not yet begun, takes no new activities.
            if obj.promise.has_ended():
                return gettext("Löftet har slutat")
            return gettext("Löftet har inte börjat")
        return format_html(
            '<a class="addlink" href="{}?commitment={}">{}</a>',
            reverse("admin:activities_activity_add"),
            obj.pk,
            gettext("Logga aktivitet"),
        )


class AssessmentInline(ScopedInlineMixin, admin.StackedInline):
    model = Assessment
    extra = 0
    fields = ["commitment", "verdict", "explanation", "explanation_en"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("explanation", "explanation_en"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 60})
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "commitment" and formfield is not None:
            # Assessing is not the place to create or edit commitments.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = False
            wrapper.can_view_related = wrapper.can_delete_related = False
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            object_id = request.resolver_match.kwargs.get("object_id")
            promise = FollowUp.objects.filter(pk=object_id if is_id(object_id) else None).values(
                "promise_id"
            )
            kwargs["queryset"] = Commitment.objects.for_user(request.user).filter(
                promise_id__in=promise
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FollowUpHighlightInline(ScopedInlineMixin, admin.TabularInline):
    model = FollowUpHighlight
    extra = 0
    max_num = MAX_HIGHLIGHTS
    fields = ["activity", "position"]
    autocomplete_fields = ["activity"]
    verbose_name_plural = _("Utvalda aktiviteter i rapporten (högst fem)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            object_id = request.resolver_match.kwargs.get("object_id")
            promise = FollowUp.objects.filter(pk=object_id if is_id(object_id) else None).values(
                "promise_id"
            )
            kwargs["queryset"] = (
                Activity.objects.for_user(request.user)
                .published()
                .filter(commitment__promise_id__in=promise)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdminMixin, StatusActionsMixin, SimpleHistoryAdmin):
    list_display = ["title", "promise", "period_start", "period_end", "status"]
    list_filter = ["status"]
    list_select_related = ["promise"]
    search_fields = ["title", "promise__title"]
    autocomplete_fields = ["promise"]
    inlines = [AssessmentInline, FollowUpHighlightInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["published_on", "updated_at"]
    fieldsets = [
        (None, {"fields": ["promise", "title", ("period_start", "period_end"), "status"]}),
        (_("Berättelse"), {"fields": ["narrative", "next_steps"]}),
        (
            _("Engelsk översättning (valfri)"),
            {"classes": ["collapse"], "fields": ["title_en", "narrative_en", "next_steps_en"]},
        ),
        (_("Ändringar"), {"fields": ["published_on", "updated_at"]}),
    ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        promise = initial.get("promise")
        if is_id(promise):
            found = Promise.objects.for_user(request.user).filter(pk=promise).first()
            if found is None:
                initial.pop("promise")
        return initial

    def get_urls(self):
        return [
            path(
                "<path:object_id>/rapport.<str:fmt>",
                self.admin_site.admin_view(self.report_view),
                name="promises_followup_report",
            ),
            *super().get_urls(),
        ]

    def preview_url_for(self, obj) -> str:
        return reverse("public:follow-up-preview", args=[obj.pk])

    def report_view(self, request, object_id, fmt):
        """The follow-up's report for staff, drafts included; only for their own promises."""
        follow_up = self._object_in_scope(request, object_id)
        if follow_up is None or not self.has_view_permission(request, follow_up):
            raise PermissionDenied
        return report_response(request, follow_up, fmt, staff=True)


@admin.register(Contact)
class ContactAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "promise"]
    search_fields = ["name", "role", "organisation"]
    autocomplete_fields = ["promise"]


# The activity admin lives in its own module; importing it here registers it
# when Django's admin looks for this module.
from . import activity_admin, indicator_admin  # noqa: E402, F401
