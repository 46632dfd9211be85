"""Spreadsheet import and export in the admin, the same for every kind of import.

Upload, a preview and the import itself run in the task worker (imports.py),
each step on the user's own job of this session. Replaces django-import-export's
import_action/process_import at the same addresses, and adds a page per job,
cancelling and a template file to fill in.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from . import imports, workbook
from .imports import ImportRefused
from .models import ImportJob
from .resources import IMPORT_FORMATS, SPREADSHEET_FORMATS, SpreadsheetCSV

# Multipart boundaries and the other fields of the upload form, on top of the file.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


class ImportUploadForm(forms.Form):
    import_file = forms.FileField(label=_("Fil att importera"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Efter filens namn (.xlsx eller .csv)")), *ImportJob.Format.choices],
        required=False,
    )
    # The job a corrected file replaces, when it is uploaded from that job's page.
    replaces = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None and not cleaned.get("format"):
            # The template is an .xlsx: nobody should have to say so again.
            suffix = Path(upload.name or "").suffix.lower().lstrip(".")
            if suffix in ImportJob.Format.values:
                cleaned["format"] = suffix
            else:
                self.add_error(
                    "format",
                    _("Välj format: filens namn slutar inte på .xlsx eller .csv."),
                )
        return cleaned


class BackgroundImportMixin(ImportExportMixin):
    """Import through background jobs, export and a template file, for one model's admin.

    Set ``import_kind`` (an ``ImportJob.Kind``), ``import_title``,
    ``import_help_template`` (what the file should hold) and ``export_name``.
    """

    import_kind: str = ""
    import_title = ""
    import_help_template = ""
    export_name = ""
    import_formats = IMPORT_FORMATS
    export_formats = SPREADSHEET_FORMATS
    # Swedish Excel opens UTF-8 files correctly only with a byte order mark.
    to_encoding = "utf-8-sig"
    # One fixed set of columns, so that every exported file imports back.
    export_form_class = ExportForm
    import_template_name = "admin/import_job.html"

    def _url_name(self, suffix: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{suffix}"

    def _perm(self, action: str) -> str:
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    # Allowed by the model permissions; what a file may touch is scoped by the resource.
    def has_import_permission(self, request):
        return request.user.has_perm(self._perm("add")) and request.user.has_perm(
            self._perm("change")
        )

    def has_export_permission(self, request):
        return request.user.has_perm(self._perm("view")) or request.user.has_perm(
            self._perm("change")
        )

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_valid_export_item_pks(self, request):
        # Export of selected items: only items of the user's own area are valid.
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_filename(self, request, queryset, file_format):
        return (
            f"{self.export_name}-{timezone.localdate().isoformat()}.{file_format.get_extension()}"
        )

    def _own_job(self, request, job_id) -> ImportJob | None:
        try:
            job_id = uuid.UUID(str(job_id))
        except ValueError:
            return None
        return (
            ImportJob.objects.of_session(
                request.user, request.session.session_key, self.import_kind
            )
            .filter(pk=job_id)
            .first()
        )

    def import_help_context(self, request) -> dict:
        """What the help text of the upload page needs besides the columns."""
        return {}

    def _import_context(self, request, **extra) -> dict:
        resource_class = imports.RESOURCES[self.import_kind]
        resource = resource_class(user=request.user)
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "help_template": self.import_help_template,
            "label_header": resource_class.label_header,
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
                            upload,
                            file_format,
                            request.user,
                            request.session.session_key,
                            kind=self.import_kind,
                        )
                        # A corrected file replaces the one its page showed: that
                        # one can no longer be confirmed by mistake.
                        replaced = self._own_job(request, form.cleaned_data["replaces"] or "")
                        if replaced is not None:
                            imports.cancel(replaced)
                        return HttpResponseRedirect(
                            reverse(f"admin:{self._url_name('import_job')}", args=[job.pk])
                        )
        context = self._import_context(
            request, form=form, refusal=refusal, **self.import_help_context(request)
        )
        return TemplateResponse(request, self.import_template_name, context)

    def import_job_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = self._own_job(request, job_id)
        if job is None:
            raise Http404(gettext("Importen finns inte, eller hör till en annan inloggning."))
        # Upload a corrected (or another) file from the job's own page.
        form = ImportUploadForm(initial={"replaces": job.pk})
        context = self._import_context(request, job=job, result=job.result, form=form)
        return TemplateResponse(request, self.import_template_name, context)

    def process_import(self, request, **kwargs):
        """Confirm a previewed import: the form posts only the job's id."""
        from django.contrib import messages

        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))
        job = self._own_job(request, request.POST.get("job", ""))
        if job is None:
            self.message_user(
                request,
                gettext("Importen finns inte längre. Läs in filen igen."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))
        if not imports.confirm(job):
            self.message_user(
                request,
                gettext("Den här importen är redan bekräftad eller kan inte längre bekräftas."),
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse(f"admin:{self._url_name('import_job')}", args=[job.pk]))

    def import_cancel_view(self, request, job_id):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))
        job = self._own_job(request, job_id)
        if job is not None and imports.cancel(job):
            self.message_user(request, gettext("Importen avbröts. Filen är borttagen."))
        return HttpResponseRedirect(reverse(f"admin:{self._url_name('import')}"))

    def get_urls(self):
        urls = super().get_urls()
        extra = [
            path(
                "import/<uuid:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name=self._url_name("import_job"),
            ),
            path(
                "import/<uuid:job_id>/avbryt/",
                self.admin_site.admin_view(self.import_cancel_view),
                name=self._url_name("import_cancel"),
            ),
            path(
                "mall/<str:file_format>/",
                self.admin_site.admin_view(self.template_file_view),
                name=self._url_name("import_template"),
            ),
        ]
        return extra + urls

    def template_file_view(self, request, file_format):
        """The file to fill in: a workbook with the user's own lists, or a CSV."""
        if not self.has_import_permission(request):
            return HttpResponse(status=403)
        resource = imports.RESOURCES[self.import_kind](user=request.user)
        template = resource.template()
        if file_format == "xlsx":
            content = workbook.build_xlsx(template)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        elif file_format == "csv":
            rows = workbook.template_rows(template)
            dataset = tablib.Dataset(*rows[1:], headers=rows[0])
            content = SpreadsheetCSV().export_data(dataset).encode("utf-8-sig")
            content_type = "text/csv; charset=utf-8"
        else:
            return HttpResponse(status=404)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_name}-mall.{file_format}"'
        )
        return response
