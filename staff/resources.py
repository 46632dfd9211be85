"""Spreadsheet round-trip for activities (django-import-export).

Columns are in Swedish with readable values, the same on export and import, so
an exported file can be edited and imported back. Every lookup goes through
the models' ``.for_user(user)``: a row for a commitment or an activity outside
the user's area is an error, never a write. The internal note is left out:
files travel by e-mail and end up on shared drives, and the note is the one
field promised never to leave the admin.
"""

from __future__ import annotations

import datetime
import io

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from activities.models import Activity
from promises.models import ActivityType, Commitment, Organisation


class _ScopedWidget(widgets.Widget):
    """A widget that looks things up among what the importing user may see."""

    user = None


class CommitmentWidget(_ScopedWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("Ange åtagandets ID."))
        try:
            # Excel may hand back a whole number as 7.0.
            pk = (
                int(value)
                if isinstance(value, float) and value.is_integer()
                else int(str(value).strip())
            )
        except ValueError:
            raise ValueError(_("Åtagandets ID ska vara ett heltal.")) from None
        commitment = (
            Commitment.objects.for_user(self.user).select_related("promise").filter(pk=pk).first()
            if self.user
            else None
        )
        if commitment is None:
            raise ValueError(
                _("Det finns inget åtagande med ID %(pk)s i ditt område.") % {"pk": pk}
            )
        return commitment

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.pk


class ActivityTypeWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("Ange aktivitetstypen."))
        found = ActivityType.objects.filter(
            Q(name__iexact=name) | Q(name_en__iexact=name) | Q(slug=name)
        ).first()
        if found is None:
            raise ValueError(
                _("Det finns ingen aktivitetstyp som heter ”%(name)s”.") % {"name": name}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class OrganisationsWidget(_ScopedWidget, widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Organisation, separator=",", field="name")
        # The activity of the row being imported; set by the resource.
        self.instance = None

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        if not names:
            return Organisation.objects.none()
        allowed = (
            Organisation.objects.for_user(self.user) if self.user else Organisation.objects.none()
        )
        if self.user and self.instance is not None and self.instance.pk is not None:
            # An activity of a shared promise keeps the organisations of the
            # other area it already has, so that an exported file imports back.
            allowed = Organisation.objects.filter(
                Q(pk__in=allowed.values("pk")) | Q(activities__pk=self.instance.pk)
            ).distinct()
        found = {o.name.casefold(): o for o in allowed.filter(name__in=names)}
        # Names are matched exactly first, then without regard to case.
        missing = [n for n in names if n.casefold() not in found]
        if missing:
            lowered = {o.name.casefold(): o for o in allowed}
            for name in list(missing):
                if name.casefold() in lowered:
                    found[name.casefold()] = lowered[name.casefold()]
                    missing.remove(name)
        if missing:
            raise ValueError(
                _("Okänd organisation i ditt område: %(names)s.")
                % {"names": ", ".join(f"”{n}”" for n in missing)}
            )
        return Organisation.objects.filter(pk__in=[o.pk for o in found.values()])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(o.name for o in value.order_by("name"))


class IsoDateWidget(widgets.Widget):
    """YYYY-MM-DD in files; Excel's own date cells are accepted too."""

    def __init__(self, required=True):
        self.required = required
        super().__init__(coerce_to_string=True)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value or "").strip()
        if not text:
            if self.required:
                raise ValueError(_("Ange ett datum som ÅÅÅÅ-MM-DD, t.ex. 2023-03-14."))
            return None
        # Excel sometimes adds a time to a date cell that was typed as text.
        text = text.split(" ")[0].split("T")[0]
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("”%(value)s” är inte ett datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2023-03-14.")
                % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class CountWidget(widgets.Widget):
    def __init__(self, required=True):
        self.required = required
        super().__init__(coerce_to_string=True)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("Ange ett heltal."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            if self.required:
                raise ValueError(_("Ange ett antal, t.ex. 1."))
            return None
        try:
            return int(text)
        except ValueError:
            raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class StatusWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().casefold()
        if not text:
            return Activity.Status.PUBLISHED
        for choice in Activity.Status:
            if text in {choice.value, str(choice.label).casefold()}:
                return choice.value
        labels = ", ".join(f"”{choice.label}”" for choice in Activity.Status)
        raise ValueError(
            _("Okänd status ”%(value)s”. Skriv %(labels)s.") % {"value": value, "labels": labels}
        )

    def render(self, value, obj=None, **kwargs):
        return str(Activity.Status(value).label) if value else ""


class IdWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        try:
            return int(float(text)) if isinstance(value, float) else int(text)
        except ValueError:
            raise ValueError(_("ID ska vara ett heltal, eller tomt för en ny aktivitet.")) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class ActivityResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget())
    commitment = fields.Field(
        attribute="commitment", column_name="Åtagande-ID", widget=CommitmentWidget()
    )
    commitment_title = fields.Field(
        column_name="Åtagande (visas bara)", readonly=True, dehydrate_method="dehydrate_title_of"
    )
    date = fields.Field(attribute="date", column_name="Datum", widget=IsoDateWidget())
    end_date = fields.Field(
        attribute="end_date", column_name="Slutdatum", widget=IsoDateWidget(required=False)
    )
    title = fields.Field(attribute="title", column_name="Rubrik", widget=widgets.CharWidget())
    description = fields.Field(
        attribute="description", column_name="Beskrivning", widget=widgets.CharWidget()
    )
    type = fields.Field(attribute="type", column_name="Typ", widget=ActivityTypeWidget())
    organisations = fields.Field(
        attribute="organisations", column_name="Genomförd av", widget=OrganisationsWidget()
    )
    place = fields.Field(attribute="place", column_name="Plats", widget=widgets.CharWidget())
    occasions = fields.Field(
        attribute="occasions", column_name="Antal tillfällen", widget=CountWidget()
    )
    people_reached = fields.Field(
        attribute="people_reached",
        column_name="Antal nådda personer",
        widget=CountWidget(required=False),
    )
    status = fields.Field(attribute="status", column_name="Status", widget=StatusWidget())

    class Meta:
        model = Activity
        fields = [
            "id",
            "commitment",
            "commitment_title",
            "date",
            "end_date",
            "title",
            "description",
            "type",
            "organisations",
            "place",
            "occasions",
            "people_reached",
            "status",
        ]
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        # The duplicate check needs each row's instance, also in the trial run.
        store_instance = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.problems: list[dict] = []
        self.warnings: list[dict] = []
        self._missing_columns = False
        if user is not None:
            self._set_user(user)
        else:
            self.user = None

    def _set_user(self, user) -> None:
        self.user = user
        for field in self.fields.values():
            if isinstance(field.widget, _ScopedWidget):
                field.widget.user = user

    @staticmethod
    def dehydrate_title_of(activity: Activity) -> str:
        commitment = activity.commitment
        return f"{commitment.position}. {commitment.title} – {commitment.promise.title}"

    def get_queryset(self):
        if self.user is None:
            return Activity.objects.none()
        return Activity.objects.for_user(self.user).select_related("commitment__promise", "type")

    def import_data(self, dataset, *args, **kwargs):
        # All or nothing: a single invalid row rolls back every row, whoever calls.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset, **kwargs):
        user = kwargs.get("user") or self.user
        if user is None:
            raise ValueError("An import needs the importing user, to scope it.")
        self._set_user(user)
        missing = [
            f.column_name
            for f in self.get_import_fields()
            if not f.readonly and f.column_name not in (dataset.headers or [])
        ]
        if missing:
            self._missing_columns = True
            raise ValidationError(
                _("Filen saknar kolumnerna %(columns)s. Utgå från mallen.")
                % {"columns": ", ".join(f"”{c}”" for c in missing)}
            )

    def get_or_init_instance(self, instance_loader, row):
        pk = self.fields["id"].clean(row)
        if pk is None:
            return self.init_instance(row), True
        instance = self.get_queryset().filter(pk=pk).first()
        if instance is None:
            raise ValidationError(
                {
                    "id": _(
                        "Det finns ingen aktivitet med ID %(pk)s i ditt område. "
                        "Lämna ID tomt för en ny aktivitet."
                    )
                    % {"pk": pk}
                }
            )
        return instance, False

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        self.fields["organisations"].widget.instance = instance
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many values are saved after the row; check them now so that
        # an unknown organisation is a row error like any other.
        field = self.fields["organisations"]
        if field.column_name in row:
            try:
                field.clean(row)
            except ValueError as error:
                errors["organisations"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.created_by = self.user
        instance.updated_by = self.user
        instance._history_user = self.user
        instance._change_reason = _("import från fil")

    def import_row(self, row, instance_loader, **kwargs):
        if self._missing_columns:
            # The file as a whole is wrong: one message, not one per row.
            return self.get_row_result_class()()
        row_result = super().import_row(row, instance_loader, **kwargs)
        if row_result.import_type == row_result.IMPORT_TYPE_NEW and row_result.diff:
            # A new row's ID in the preview comes from the rolled-back trial
            # run and would differ after confirmation: show none.
            row_result.diff[self.get_diff_headers().index(self.fields["id"].column_name)] = ""
        number = kwargs.get("row_number")
        if row_result.import_type == row_result.IMPORT_TYPE_NEW and row_result.instance:
            self._warn_if_duplicate(number, row_result.instance)
        if row_result.validation_error is not None:
            self._describe(number, row, row_result.validation_error)
        for error in row_result.errors:
            self.problems.append(
                {
                    "line": number + 1,
                    "column": "",
                    "value": "",
                    "message": _("Raden kunde inte läsas in: %(error)s") % {"error": error.error},
                }
            )
        return row_result

    def _warn_if_duplicate(self, number, activity: Activity) -> None:
        """Warn, without refusing, about a new row that looks like one already there.

        Rows saved earlier in the same run count too, so a file imported twice,
        or a row repeated in the file, is pointed out before it is confirmed.
        """
        other = Activity.objects.likely_duplicates_of(activity).order_by("pk").first()
        if other is not None:
            self.warnings.append(
                {
                    "line": number + 1,
                    "message": _(
                        "Liknar en aktivitet som redan finns (samma åtagande, typ, datum och "
                        "plats): ”%(title)s”. Kontrollera att raden inte redan är inläst."
                    )
                    % {"title": other.title},
                }
            )

    def _describe(self, number, row, error: ValidationError) -> None:
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        try:
            by_field = error.message_dict
        except AttributeError:
            by_field = {NON_FIELD_ERRORS: error.messages}
        for attribute, messages in by_field.items():
            column = columns.get(attribute, "")
            value = row.get(column, "") if column else ""
            for message in messages:
                self.problems.append(
                    {
                        # The header is line 1 of the file, so data row n is line n + 1.
                        "line": number + 1,
                        "column": column,
                        "value": "" if value is None else value,
                        "message": message,
                    }
                )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        for error in result.base_errors:
            message = (
                " ".join(error.error.messages)
                if isinstance(error.error, ValidationError)
                else str(error.error)
            )
            self.problems.append({"line": "", "column": "", "value": "", "message": message})
        result.problems = self.problems
        result.warnings = self.warnings


class SpreadsheetCSV(base_formats.CSV):
    """CSV as Swedish Excel reads and writes it: semicolons and a byte order mark.

    Import accepts commas too, and files with or without the mark.
    """

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode("utf-8-sig")
            except UnicodeDecodeError:
                # Swedish Excel's ”CSV (semikolonavgränsad)” is Windows-1252.
                in_stream = in_stream.decode("cp1252")
        in_stream = in_stream.lstrip("\ufeff")
        first_line = in_stream.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return tablib.import_set(io.StringIO(in_stream).read(), format="csv", delimiter=delimiter)

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", ";")
        return dataset.export("csv", **kwargs)


class SpreadsheetCSVImport(SpreadsheetCSV):
    """The same CSV, read as bytes so that the encoding is chosen here, not by the admin."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


SPREADSHEET_FORMATS = [SpreadsheetCSV, base_formats.XLSX]
IMPORT_FORMATS = [SpreadsheetCSVImport, base_formats.XLSX]
