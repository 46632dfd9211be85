import uuid
from urllib.parse import urlencode

import tablib
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity
from promises.models import ActivityType, Commitment, Organisation

from . import imports
from .admin import StatusActionsMixin
from .imports import ImportRefused
from .models import ImportJob
from .resources import IMPORT_FORMATS, SPREADSHEET_FORMATS, ActivityResource, SpreadsheetCSV
from .scoping import ScopedAdminMixin, is_id

# Multipart boundaries and the other fields of the upload form, on top of the file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


class ImportUploadForm(forms.Form):
    import_file = forms.FileField(label=_("Fil att importera"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportJob.Format.choices)


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
class ActivityAdmin(ScopedAdminMixin, StatusActionsMixin, ImportExportMixin, SimpleHistoryAdmin):
    form = ActivityAdminForm
    resource_classes = [ActivityResource]
    import_formats = IMPORT_FORMATS
    export_formats = SPREADSHEET_FORMATS
    # Swedish Excel opens UTF-8 files correctly only with a byte order mark.
    to_encoding = "utf-8-sig"
    # One fixed set of columns, so that every exported file imports back.
    export_form_class = ExportForm
    import_template_name = "admin/activities/activity/import.html"
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
            {"classes": ["collapse"], "fields": ["end_date", "internal_note"]},
        ),
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "commitment",
                    ("date", "end_date"),
                    "title",
                    "description",
                    "type",
                    "organisations",
                    "place",
                    ("occasions", "people_reached"),
                    "state",
                    "status",
                    "confirm_duplicate",
                ]
            },
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
                wrapper.widget.attrs["style"] = "width: min(48em, 100%)"
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

    # Import and export: scoped by the resource, allowed by the model permissions.
    def has_import_permission(self, request):
        return request.user.has_perm("activities.add_activity") and request.user.has_perm(
            "activities.change_activity"
        )

    def has_export_permission(self, request):
        return request.user.has_perm("activities.view_activity") or request.user.has_perm(
            "activities.change_activity"
        )

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_valid_export_item_pks(self, request):
        # Export of selected items: only items of the user's own area are valid.
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_filename(self, request, queryset, file_format):
        return f"aktiviteter-{timezone.localdate().isoformat()}.{file_format.get_extension()}"

    # The import: upload, a preview and the import itself in the task worker,
    # each step on the user's own job of this session. Replaces the library's
    # import_action/process_import at the same addresses.

    def _own_job(self, request, job_id) -> ImportJob | None:
        try:
            job_id = uuid.UUID(str(job_id))
        except ValueError:
            return None
        return (
            ImportJob.objects.of_session(request.user, request.session.session_key)
            .filter(pk=job_id)
            .first()
        )

    def _import_context(self, request, **extra) -> dict:
        resource = ActivityResource(user=request.user)
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Importera aktiviteter"),
            "columns": [f.column_name for f in resource.get_user_visible_fields()],
            "max_megabytes": number_format(settings.IMPORT_MAX_BYTES / (1024 * 1024), 1),
            "max_rows": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True),
            **extra,
        }

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form, refusal = ImportUploadForm(), ""
        if request.method == "POST":
            # Refused from its announced length before any import work. Django has
            # already received the body (files spooled to disk): the proxy caps it.
            try:
                imports.check_size(
                    int(request.META.get("CONTENT_LENGTH") or 0) - UPLOAD_OVERHEAD_BYTES
                )
            except ImportRefused as refused:
                refusal = str(refused)
            except ValueError:
                return HttpResponse(status=400)
            else:
                form = ImportUploadForm(request.POST, request.FILES)
                if form.is_valid():
                    upload = form.cleaned_data["import_file"]
                    file_format = form.cleaned_data["format"]
                    try:
                        imports.check_upload(upload, file_format)
                    except ImportRefused as refused:
                        form.add_error("import_file", str(refused))
                    else:
                        if request.session.session_key is None:
                            request.session.save()
                        job = imports.start(
                            upload, file_format, request.user, request.session.session_key
                        )
                        return HttpResponseRedirect(
                            reverse("admin:activities_activity_import_job", args=[job.pk])
                        )
        commitments = (
            Commitment.objects.for_user(request.user)
            .select_related("promise")
            .order_by("promise__title", "position")
        )
        context = self._import_context(request, form=form, refusal=refusal, commitments=commitments)
        return TemplateResponse(request, self.import_template_name, context)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self._own_job(request, job_id)
        if job is None:
            raise Http404(gettext("Importen finns inte, eller hör till en annan inloggning."))
        context = self._import_context(request, job=job, result=job.result)
        return TemplateResponse(request, self.import_template_name, context)

    def process_import(self, request, **kwargs):
        """Confirm a previewed import: the form posts only the job's id."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:activities_activity_import"))
        job = self._own_job(request, request.POST.get("job", ""))
        if job is None:
            self.message_user(
                request,
                gettext("Importen finns inte längre. Läs in filen igen."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:activities_activity_import"))
        if not imports.confirm(job):
            self.message_user(
                request,
                gettext("Den här importen är redan bekräftad eller kan inte längre bekräftas."),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse("admin:activities_activity_import_job", args=[job.pk]))

    def import_cancel_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:activities_activity_import"))
        job = self._own_job(request, job_id)
        if job is not None and imports.cancel(job):
            self.message_user(request, gettext("Importen avbröts. Filen är borttagen."))
        return HttpResponseRedirect(reverse("admin:activities_activity_import"))

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "import/<uuid:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="activities_activity_import_job",
            ),
            path(
                "import/<uuid:job_id>/avbryt/",
                self.admin_site.admin_view(self.import_cancel_view),
                name="activities_activity_import_cancel",
            ),
            path(
                "mall/<str:file_format>/",
                self.admin_site.admin_view(self.template_file_view),
                name="activities_activity_import_template",
            ),
            # The old staff preview address, kept working.
            path(
                "<path:object_id>/forhandsgranska/",
                self.admin_site.admin_view(self.preview_redirect),
                name="activities_activity_preview",
            ),
        ]
        return extra + urls

    def template_file_view(self, request, file_format):
        """An empty file with the import columns, to fill in and import."""
        if not self.has_import_permission(request):
            return HttpResponse(status=403)
        resource = ActivityResource(user=request.user)
        headers = [f.column_name for f in resource.get_export_fields()]
        dataset = tablib.Dataset(headers=headers)
        if file_format == "xlsx":
            content = dataset.export("xlsx")
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif file_format == "csv":
            content = SpreadsheetCSV().export_data(dataset).encode("utf-8-sig")
            content_type = "text/csv; charset=utf-8"
        else:
            return HttpResponse(status=404)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="aktiviteter-mall.{file_format}"'
        return response

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
