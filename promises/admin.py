from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity

from .models import (
    Commitment,
    Contact,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    Promise,
)
from .preview import render_preview
from .scoping import ScopedAdminMixin, ScopedInlineMixin
from .views import promise_page_context


@admin.register(PoliceRegion)
class PoliceRegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(PoliceArea)
class PoliceAreaAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "police_area"]
    list_filter = [("police_area", admin.RelatedOnlyFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "code"]

    def site_url_for(self, obj):
        """The public page, which exists once a promise there is published."""
        if Promise.objects.published().for_municipality(obj).exists():
            return obj.get_absolute_url()
        return None


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "police_area", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class PromiseAdminForm(forms.ModelForm):
    class Meta:
        model = Promise
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    # The user who edits, set by PromiseAdmin.get_form.
    user = None

    def clean_municipalities(self):
        municipalities = self.cleaned_data["municipalities"]
        user = self.user
        if self.instance.pk is None or user is None or (user.is_superuser and user.is_active):
            return municipalities
        # Another area's municipality stays on a shared promise: taking it
        # away would take the promise away from that area's staff.
        removed = self.instance.municipalities.exclude(pk__in=[m.pk for m in municipalities])
        outside = removed.exclude(pk__in=Municipality.objects.for_user(user).values("pk"))
        if outside.exists():
            raise ValidationError(
                gettext(
                    "Du kan inte ta bort %(names)s: kommunen ligger utanför ditt område. "
                    "Be den kommunens personal eller en administratör om hjälp."
                )
                % {"names": ", ".join(m.name for m in outside.order_by("name"))},
                code="outside_area",
            )
        return municipalities

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


class CommitmentInline(ScopedInlineMixin, admin.StackedInline):
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
            obj.status = status
            obj._change_reason = reason
            try:
                obj.full_clean()
            except ValidationError as error:
                failed.append(f"{obj}: {' '.join(error.messages)}")
                continue
            self._save_for_action(request, obj)
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

    def _save_for_action(self, request, obj) -> None:
        obj._history_user = request.user
        obj.save()

    @admin.action(description=_("Publicera markerade"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.PUBLISHED)

    @admin.action(description=_("Avpublicera markerade (gör till utkast)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, self.model.Status.DRAFT)


@admin.register(Promise)
class PromiseAdmin(ScopedAdminMixin, StatusActionsMixin, SimpleHistoryAdmin):
    form = PromiseAdminForm
    list_display = [
        "title",
        "status",
        "preview_link",
        "period_start",
        "period_end",
        "police_area",
        "updated_at",
    ]
    list_filter = ["status", ("police_area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "municipalities__name"]
    filter_horizontal = ["municipalities"]
    inlines = [CommitmentInline, ContactInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "status", "municipalities", "police_area", "updated_at"]}),
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "municipalities":
            # Keep the municipalities a shared promise already has, even those
            # outside the user's area, so that saving does not drop them.
            queryset = Municipality.objects.for_user(request.user)
            object_id = request.resolver_match.kwargs.get("object_id")
            if object_id:
                queryset = Municipality.objects.filter(
                    pk__in=queryset.values("pk")
                ) | Municipality.objects.filter(promises__pk=object_id)
                queryset = queryset.distinct()
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        urls = super().get_urls()
        preview = [
            path(
                "<path:object_id>/forhandsgranska/",
                self.admin_site.admin_view(self.preview_view),
                name="promises_promise_preview",
            )
        ]
        return preview + urls

    @admin.display(description=_("Förhandsgranska"))
    def preview_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:promises_promise_preview", args=[obj.pk]),
            gettext("Förhandsgranska"),
        )

    def site_url_for(self, obj):
        """The public page when published; the staff preview of a draft."""
        if obj.is_published:
            return obj.get_absolute_url()
        return reverse("admin:promises_promise_preview", args=[obj.pk])

    def preview_view(self, request, object_id):
        promise = self.get_object(request, object_id)
        if promise is None or not self.has_view_permission(request, promise):
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        promise = (
            Promise.objects.select_related("police_area")
            .prefetch_related("municipalities", "contacts")
            .get(pk=promise.pk)
        )
        context = {
            # What the public page shows once the promise is published.
            **promise_page_context(
                promise.primary_municipality, promise, activities=Activity.objects.published()
            ),
            "is_preview": True,
        }
        return render_preview(
            request,
            "promises/promise_detail.html",
            context,
            back_url=reverse("admin:promises_promise_change", args=[promise.pk]),
            is_public=promise.is_published,
        )


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "position",
        "title",
        "log_activity_link",
        "promise",
        "lead_party",
        "target_value",
        "outcome",
    ]
    list_display_links = ["title"]
    list_filter = ["lead_party", "outcome"]
    list_select_related = ["promise"]
    search_fields = ["title", "promise__title"]
    autocomplete_fields = ["promise"]
    readonly_fields = ["updated_at"]

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if not request.user.has_perm("activities.add_activity"):
            list_display = [name for name in list_display if name != "log_activity_link"]
        return list_display

    def site_url_for(self, obj):
        if obj.promise.is_published:
            return obj.get_absolute_url()
        return reverse("admin:promises_promise_preview", args=[obj.promise_id])

    @admin.display(description=_("Logga aktivitet"))
    def log_activity_link(self, obj):
        return format_html(
            '<a class="addlink" href="{}?commitment={}">{}</a>',
            reverse("admin:activities_activity_add"),
            obj.pk,
            gettext("Logga aktivitet"),
        )


@admin.register(Contact)
class ContactAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation", "promise"]
    search_fields = ["name", "role", "organisation"]
    autocomplete_fields = ["promise"]
