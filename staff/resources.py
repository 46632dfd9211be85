"""Spreadsheet round-trip for activities and indicator values (django-import-export).

Columns are in Swedish with readable values, the same on export and import, so
an exported file can be edited and imported back. Every lookup goes through
the models' ``.for_user(user)``: a row for a commitment or an activity outside
the user's area is an error, never a write. The internal note is left out:
files travel by e-mail and end up on shared drives, and the note is the one
field promised never to leave the admin.
"""

from __future__ import annotations

import datetime
import difflib
import io
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.resources import Diff

from activities import summaries
from activities.models import Activity
from promises.models import (
    ActivityType,
    Commitment,
    District,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
)

from .workbook import ChoiceList, Template, data_sheet

# Rows shown in the preview; the totals and every problem are always complete.
PREVIEW_ROWS = 200
# What marks the template's example row; such a row is never imported.
EXAMPLE_MARKER = "Exempel"


class _ScopedWidget(widgets.Widget):
    """A widget that looks things up among what the importing user may see.

    What it may look up is read once per import (``_load``), not once per row.
    """

    user = None
    _cache = None

    def reset(self, user) -> None:
        self.user = user
        self._cache = None

    @property
    def cache(self):
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    def _load(self):
        raise NotImplementedError


def _text(value) -> str:
    """A cell's text as a message quotes it: spaces collapsed, Excel's 1401.0 as 1401."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


def _key(value) -> str:
    """A cell's text as the look-ups compare it: as ``_text``, case folded."""
    return _text(value).casefold()


def closest(value, choices: dict[str, str]) -> str | None:
    """The valid choice nearest to a misspelt value, or None if none is near.

    ``choices`` maps each folded key (a name, an address name, an English name)
    to the text to suggest. Only what the user's own scope offers is passed in,
    so a suggestion never names another area's commitment or organisation.
    """
    found = difflib.get_close_matches(_key(value), list(choices), n=1, cutoff=0.6)
    return choices[found[0]] if found else None


def not_found(value, choices: dict[str, str], reason: str) -> str:
    """”X” finns inte …, with ”Menade du …?” when a valid choice is near."""
    message = reason % {"value": _text(value)}
    suggestion = closest(value, choices)
    if suggestion is not None:
        message += " " + _("Menade du ”%(suggestion)s”?") % {"suggestion": suggestion}
    return message


class CommitmentChoices:
    """The commitments a user may import to, and every way a file may name one.

    A commitment is named by its title or by its number in the promise, as the
    public pages show it ("Åtagande 2"): "Riktade insatser mot ungdomar",
    "2. Riktade insatser mot ungdomar", "Medborgarlöfte Härryda: 2" or
    "Medborgarlöfte Härryda: 2. Riktade insatser mot ungdomar". A number alone
    means the user's one current promise (or their one promise, if none is
    current); with several, it is ambiguous and the row is refused with a
    question rather than guessed.
    """

    def __init__(self, commitments: list[Commitment], current_ids: set[int]):
        # The user's current promises' commitments first, as in the template's list.
        self.commitments = sorted(
            commitments,
            key=lambda c: (
                c.pk not in current_ids,
                -c.promise.period_start.toordinal(),
                c.promise.title,
                c.position,
                c.pk,
            ),
        )
        self.by_key: dict[str, list[Commitment]] = {}
        for commitment in self.commitments:
            for name in self._names(commitment):
                found = self.by_key.setdefault(_key(name), [])
                if commitment not in found:
                    found.append(commitment)
        promises = {c.promise_id: c.promise for c in self.commitments if c.pk in current_ids}
        if not promises:
            promises = {c.promise_id: c.promise for c in self.commitments}
        self.number_promises = list(promises.values())
        self.references = {c.pk: self._reference(c) for c in self.commitments}

    @staticmethod
    def _promise_names(commitment: Commitment) -> list[str]:
        promise = commitment.promise
        years = f"{promise.period_start.year}–{promise.period_end.year}"
        return [promise.title, f"{promise.title} ({years})"]

    def _names(self, commitment: Commitment) -> list[str]:
        own = [commitment.title, f"{commitment.position}. {commitment.title}"]
        names = list(own)
        for promise in self._promise_names(commitment):
            names.append(f"{promise}: {commitment.position}")
            names += [f"{promise}: {name}" for name in own]
        return names

    def _reference(self, commitment: Commitment) -> str:
        """The shortest name that means this commitment alone: what files and lists show."""
        short = f"{commitment.position}. {commitment.title}"
        candidates = [short] + [f"{p}: {short}" for p in self._promise_names(commitment)]
        for name in candidates:
            if len(self.by_key.get(_key(name), [])) == 1:
                return name
        return candidates[-1]

    def reference(self, commitment: Commitment) -> str:
        return self.references.get(commitment.pk, f"{commitment.position}. {commitment.title}")

    def suggestions(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for commitment in self.commitments:
            reference = self.references[commitment.pk]
            found.setdefault(_key(reference), reference)
            found.setdefault(_key(commitment.title), reference)
        return found

    def _ambiguous(self, value, commitments: list[Commitment]) -> ValueError:
        example = self.references[commitments[0].pk]
        if ": " not in example:
            example = f"{self._promise_names(commitments[0])[0]}: {commitments[0].position}"
        return ValueError(
            _(
                "”%(value)s” kan betyda flera åtaganden: %(choices)s. Skriv åtagandet som i "
                "listan i mallen, eller medborgarlöftet och numret, t.ex. ”%(example)s”."
            )
            % {
                "value": str(value).strip(),
                "choices": ", ".join(f"”{self.references[c.pk]}”" for c in commitments[:4]),
                "example": example,
            }
        )

    def _number_alone(self, value, number: int) -> ValueError:
        """A number alone with several promises: ask, naming the promises' commitments."""
        with_number = [c for c in self.commitments if c.position == number]
        example = with_number[0] if with_number else self.commitments[0]
        message = _(
            "”%(value)s”: ett nummer ensamt räcker inte när du har flera medborgarlöften. "
            "Skriv åtagandets rubrik, eller medborgarlöftet och numret, t.ex. ”%(example)s”."
        ) % {
            "value": str(value).strip(),
            "example": f"{self._promise_names(example)[0]}: {example.position}",
        }
        if with_number:
            message += " " + _("Menade du %(choices)s?") % {
                "choices": f" {_('eller')} ".join(
                    f"”{self.references[c.pk]}”" for c in with_number[:4]
                )
            }
        return ValueError(message)

    def find(self, value) -> Commitment:
        key = _key(value)
        if not key:
            raise ValueError(
                _("Ange åtagandet: dess rubrik eller nummer, t.ex. som i listan i mallen.")
            )
        found = self.by_key.get(key)
        # "2", "2." or "Åtagande 2", as the public pages write it.
        as_number = re.fullmatch(r"(?:åtagande\s*)?(\d+)\.?", key)
        if found is None and as_number:
            number = int(as_number.group(1))
            if len(self.number_promises) > 1:
                raise self._number_alone(value, number)
            found = [
                c
                for c in self.commitments
                if c.position == number and c.promise in self.number_promises
            ]
            if not found:
                numbers = sorted(
                    {c.position for c in self.commitments if c.promise in self.number_promises}
                )
                if not numbers:
                    raise ValueError(_("Du har inga åtaganden att importera till."))
                raise ValueError(
                    _(
                        "Det finns inget åtagande nummer %(number)s i ”%(promise)s”: "
                        "där finns nummer %(first)s–%(last)s."
                    )
                    % {
                        "number": number,
                        "promise": self.number_promises[0].title,
                        "first": numbers[0],
                        "last": numbers[-1],
                    }
                )
        if not found:
            raise ValueError(
                not_found(
                    value, self.suggestions(), _("”%(value)s” finns inte bland dina åtaganden.")
                )
            )
        if len(found) > 1:
            raise self._ambiguous(value, found)
        return found[0]


class CommitmentWidget(_ScopedWidget):
    """A commitment by its title or number, among those the user may import to."""

    def _load(self) -> CommitmentChoices:
        if self.user is None:
            return CommitmentChoices([], set())
        scope = Commitment.objects.for_user(self.user)
        return CommitmentChoices(
            list(scope.select_related("promise")),
            set(scope.current().values_list("pk", flat=True)),
        )

    def clean(self, value, row=None, **kwargs):
        return self.cache.find(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if self.user is None:
            return f"{value.position}. {value.title}"
        return self.cache.reference(value)


class ActivityTypeWidget(_ScopedWidget):
    """Types are not scoped, but read once per import all the same."""

    def _load(self) -> dict[str, ActivityType]:
        found: dict[str, ActivityType] = {}
        # In the model's order, so that the first type with a name wins as before.
        for activity_type in ActivityType.objects.all():
            found.setdefault(activity_type.slug, activity_type)
            found.setdefault(_key(activity_type.name), activity_type)
            if activity_type.name_en:
                found.setdefault(_key(activity_type.name_en), activity_type)
        return found

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("Ange aktivitetstypen, t.ex. som i listan i mallen."))
        found = self.cache.get(name) or self.cache.get(_key(name))
        if found is None:
            # Only the types a new activity may have are suggested.
            active = {key: t.name for key, t in self.cache.items() if t.is_active}
            raise ValueError(not_found(name, active, _("”%(value)s” finns inte bland typerna.")))
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class OrganisationsWidget(_ScopedWidget, widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Organisation, separator=",", field="name")
        # The activity of the row being imported; set by the resource.
        self.instance = None

    def _load(self) -> list[Organisation]:
        if self.user is None:
            return []
        return list(Organisation.objects.for_user(self.user))

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").split(self.separator) if n.strip()]
        if not names:
            return []
        allowed = list(self.cache) if self.user else []
        if self.user and self.instance is not None and self.instance.pk is not None:
            # An activity of a shared promise keeps the organisations of the
            # other area it already has, so that an exported file imports back.
            # (Prefetched with the activity: no query here.)
            allowed += [o for o in self.instance.organisations.all() if o not in allowed]
        exact = {o.name: o for o in allowed}
        lowered: dict[str, Organisation] = {}
        for organisation in allowed:
            lowered.setdefault(_key(organisation.name), organisation)
        # Names are matched exactly first, then without regard to case.
        found, missing = {}, []
        for name in names:
            organisation = exact.get(name) or lowered.get(_key(name))
            if organisation is None:
                missing.append(name)
            else:
                found[organisation.pk] = organisation
        if missing:
            own = {_key(o.name): o.name for o in self.cache}
            raise ValueError(
                " ".join(
                    not_found(
                        name, own, _("”%(value)s” finns inte bland organisationerna i ditt område.")
                    )
                    for name in missing
                )
            )
        return list(found.values())

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
    def __init__(self, required=True, empty_means=None):
        self.required = required
        # What the template's cell prompt says an empty cell means.
        self.empty_means = empty_means or _("Lämna tomt om det inte är känt.")
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
    """”Publicerad” or ”Utkast”; empty is what the admin form would start with (the resource)."""

    def clean(self, value, row=None, **kwargs):
        text = _key(value)
        if not text:
            return None
        for choice in Activity.Status:
            if text in {choice.value, _key(choice.label)}:
                return choice.value
        labels = f" {_('eller')} ".join(f"”{choice.label}”" for choice in Activity.Status)
        choices = {_key(choice.label): str(choice.label) for choice in Activity.Status}
        raise ValueError(
            not_found(value, choices, _("Okänd status ”%(value)s”."))
            + " "
            + _("Skriv %(labels)s, eller lämna tomt.") % {"labels": labels}
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


class DecimalValueWidget(widgets.Widget):
    """A number as Swedish Excel writes it (decimal comma, spaces) or as a number cell."""

    def __init__(self, required=True):
        self.required = required
        super().__init__(coerce_to_string=True)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(_("Ange ett tal."))
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            if self.required:
                raise ValueError(_("Ange ett värde, t.ex. 72,4."))
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                _("”%(value)s” är inte ett tal. Skriv t.ex. 72,4.") % {"value": value}
            ) from None
        if not number.is_finite():
            raise ValueError(_("”%(value)s” är inte ett tal. Skriv t.ex. 72,4.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value).replace(".", ",")


class IndicatorWidget(_ScopedWidget):
    def _load(self) -> dict[str, Indicator]:
        if self.user is None:
            return {}
        found: dict[str, Indicator] = {}
        for indicator in Indicator.objects.for_user(self.user).select_related("promise"):
            found.setdefault(_key(indicator.name), indicator)
            found.setdefault(str(indicator.pk), indicator)
        return found

    def clean(self, value, row=None, **kwargs):
        name = _key(value)
        if not name:
            raise ValueError(_("Ange indikatorns namn."))
        found = self.cache.get(name)
        if found is None:
            names = {_key(i.name): i.name for i in self.cache.values()}
            raise ValueError(
                not_found(
                    value, names, _("”%(value)s” finns inte bland indikatorerna i ditt område.")
                )
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class MunicipalityWidget(_ScopedWidget):
    def _load(self) -> dict[str, Municipality]:
        if self.user is None:
            return {}
        found: dict[str, Municipality] = {}
        for municipality in Municipality.objects.for_user(self.user):
            found.setdefault(_key(municipality.name), municipality)
            found.setdefault(municipality.code, municipality)
        return found

    def clean(self, value, row=None, **kwargs):
        name = _key(value)
        if not name:
            raise ValueError(_("Ange kommunens namn eller kommunkod."))
        found = self.cache.get(name) or self.cache.get(name.zfill(4))
        if found is None:
            names = {_key(m.name): m.name for m in self.cache.values()}
            raise ValueError(
                not_found(value, names, _("”%(value)s” finns inte bland kommunerna i ditt område."))
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class DistrictWidget(_ScopedWidget):
    """A district by name, within the row's municipality; empty for the whole municipality."""

    def __init__(self, municipality_field: str):
        super().__init__()
        self.municipality_field = municipality_field
        self.municipalities: MunicipalityWidget | None = None

    def _load(self) -> dict[tuple[int, str], District]:
        if self.user is None:
            return {}
        return {(d.municipality_id, _key(d.name)): d for d in District.objects.for_user(self.user)}

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        try:
            municipality = self.municipalities.clean(row.get(self.municipality_field), row)
        except ValueError:
            return None  # the municipality's own error is reported in its column
        found = self.cache.get((municipality.pk, _key(name)))
        if found is None:
            names = {
                _key(d.name): d.name
                for (municipality_id, _name), d in self.cache.items()
                if municipality_id == municipality.pk
            }
            message = _(
                "%(municipality)s har ingen stadsdel eller område som heter ”%(name)s”."
            ) % {"municipality": municipality.name, "name": name}
            suggestion = closest(name, names)
            if suggestion is not None:
                message += " " + _("Menade du ”%(suggestion)s”?") % {"suggestion": suggestion}
            raise ValueError(message)
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class YearWidget(CountWidget):
    """The year; taken from the date column when left empty."""

    def __init__(self, date_field: str):
        super().__init__(required=False)
        self.date_field = date_field

    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if year is None and row is not None:
            try:
                day = IsoDateWidget(required=False).clean(row.get(self.date_field), row)
            except ValueError:
                day = None
            if day is not None:
                return day.year
        if year is None:
            raise ValueError(_("Ange året som värdet gäller, eller ett datum."))
        return year


class ScopedResource(resources.ModelResource):
    """What every staff import shares: the user's scope, all or nothing, readable errors.

    Every problem is collected with its line, column and value, for the preview.
    Subclasses name their columns, how a row finds its object, and the label
    the preview shows for a row.
    """

    # The column a row's preview label is shown under, and the word for a new row's object.
    label_header = ""
    # The template's example row says EXAMPLE_MARKER in this column; such a row is
    # never imported (the preview says so), so a file where it was left imports all the same.
    example_column = ""
    # Renamed columns: the old name, the new name, and what to tell a user whose file
    # still has the old one.
    renamed_columns: dict[str, tuple[str, str]] = {}

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.problems: list[dict] = []
        self.warnings: list[dict] = []
        # What the preview tells without it being a problem, e.g. the example row left out.
        self.notices: list[dict] = []
        self._missing_columns = False
        # The file's line of each data row (1-based), once example rows are taken out.
        self._lines: list[int] = []
        if user is not None:
            self._set_user(user)
        else:
            self.user = None

    def _set_user(self, user) -> None:
        self.user = user
        self._new_rows: list[tuple[int, object]] = []
        self._diffs_made = 0
        for field in self.fields.values():
            if isinstance(field.widget, _ScopedWidget):
                field.widget.reset(user)

    def import_data(self, dataset, *args, **kwargs):
        # All or nothing: a single invalid row rolls back every row, whoever calls.
        kwargs.setdefault("rollback_on_validation_errors", True)
        # Each month's sums renewed once for the file, not once per row.
        with summaries.deferred():
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
            messages = []
            for old_name, (new_name, message) in self.renamed_columns.items():
                if new_name in missing and old_name in (dataset.headers or []):
                    missing.remove(new_name)
                    messages.append(str(message))
            if missing:
                messages.insert(
                    0,
                    _("Filen saknar kolumnerna %(columns)s. Utgå från mallen.")
                    % {"columns": ", ".join(f"”{c}”" for c in missing)},
                )
            raise ValidationError(" ".join(messages))
        self._take_out_examples(dataset)
        self._load_existing(dataset)

    def _take_out_examples(self, dataset) -> None:
        """Leave out blank rows and the template's example row, keeping every other row's line.

        A row emptied in Excel may stay in the file as a blank row: it is no error.
        """
        self._lines = list(range(2, len(dataset) + 2))
        column = None
        if self.example_column and self.example_column in (dataset.headers or []):
            column = dataset.headers.index(self.example_column)
        for index in reversed(range(len(dataset))):
            row = dataset[index]
            if not any(_key(value) for value in row):
                self._lines.pop(index)
                del dataset[index]
            elif column is not None and _key(row[column]) == _key(EXAMPLE_MARKER):
                line = self._lines.pop(index)
                del dataset[index]
                self.notices.insert(
                    0,
                    {
                        "line": line,
                        "message": _(
                            "Mallens exempelrad (”%(marker)s” i kolumnen %(column)s) läses inte "
                            "in. Ta bort ordet om raden ska importeras."
                        )
                        % {"marker": EXAMPLE_MARKER, "column": self.example_column},
                    },
                )

    def _line(self, number: int) -> int | str:
        """The file's line of data row ``number`` (the header is line 1)."""
        if 0 < number <= len(self._lines):
            return self._lines[number - 1]
        return number + 1

    def _load_existing(self, dataset) -> None:
        """Read the objects the file changes in a few queries, before the rows."""

    def template(self) -> Template:
        """The file to fill in: the import's columns, and how Excel should check them."""
        columns = [f.column_name for f in self.get_export_fields()]
        by_widget = {f.column_name: f.widget for f in self.get_export_fields()}
        return Template(
            sheet=str(self._meta.model._meta.verbose_name_plural).capitalize(),
            columns=columns,
            date_columns=[c for c, w in by_widget.items() if isinstance(w, IsoDateWidget)],
            whole_number_columns={
                c: w.empty_means
                for c, w in by_widget.items()
                if isinstance(w, CountWidget) and not isinstance(w, YearWidget)
            },
            decimal_columns=[c for c, w in by_widget.items() if isinstance(w, DecimalValueWidget)],
        )

    def row_label(self, instance) -> str:
        return ""

    def get_diff_class(self):
        return _PreviewDiff

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        instance._change_reason = _("import från fil")
        if kwargs.get("dry_run"):
            # A dry run is rolled back: no history to write. The confirmed
            # import writes one version per row (promises/history.py).
            instance.skip_history_when_saving = True

    def import_row(self, row, instance_loader, **kwargs):
        if self._missing_columns:
            # The file as a whole is wrong: one message, not one per row.
            return self.get_row_result_class()()
        row_result = super().import_row(row, instance_loader, **kwargs)
        if (
            row_result.import_type == row_result.IMPORT_TYPE_NEW
            and row_result.diff
            and "id" in self.fields
        ):
            # A new row's ID in the preview comes from the rolled-back trial
            # run and would differ after confirmation: show none.
            row_result.diff[self.get_diff_headers().index(self.fields["id"].column_name)] = ""
        number = kwargs.get("row_number")
        if row_result.diff and row_result.instance is not None:
            row_result.label = self.row_label(row_result.instance)
        if row_result.import_type == row_result.IMPORT_TYPE_NEW and row_result.instance:
            self._new_rows.append((number, row_result.instance))
        if row_result.validation_error is not None:
            self._describe(number, row, row_result.validation_error)
        for error in row_result.errors:
            self.problems.append(
                {
                    "line": self._line(number),
                    "column": "",
                    "value": "",
                    "message": _("Raden kunde inte läsas in: %(error)s") % {"error": error.error},
                }
            )
        return row_result

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
                        "line": self._line(number),
                        "column": column,
                        "value": "" if value is None else value,
                        "message": str(message),
                    }
                )

    def _after_rows(self) -> None:
        """Checks across rows, once every row is read."""

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        self._after_rows()
        for error in result.base_errors:
            message = (
                " ".join(error.error.messages)
                if isinstance(error.error, ValidationError)
                else str(error.error)
            )
            self.problems.append({"line": "", "column": "", "value": "", "message": message})
        result.problems = self.problems
        result.warnings = self.warnings
        result.notices = self.notices


class ActivityResource(ScopedResource):
    # The commitment is a column of its own, by title: no label column in the preview.
    label_header = ""
    example_column = "ID"
    renamed_columns = {
        "Åtagande-ID": (
            "Åtagande",
            _(
                "Kolumnen ”Åtagande-ID” heter nu ”Åtagande” och tar åtagandets nummer eller "
                "rubrik, t.ex. ”2. Riktade insatser mot ungdomar”, i stället för ett ID. "
                "Ladda ned en ny mall, eller byt namn på kolumnen och skriv åtagandena så."
            ),
        )
    }

    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget())
    commitment = fields.Field(
        attribute="commitment", column_name="Åtagande", widget=CommitmentWidget()
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
    # Left empty: 1 for a new activity, as the admin form starts; unchanged for one
    # already there.
    occasions = fields.Field(
        attribute="occasions",
        column_name="Antal tillfällen",
        widget=CountWidget(required=False, empty_means=_("Tomt räknas som 1.")),
        saves_null_values=False,
    )
    people_reached = fields.Field(
        attribute="people_reached",
        column_name="Antal nådda personer",
        widget=CountWidget(required=False),
    )
    # Left empty: what a new activity of this user starts as; unchanged for one already there.
    status = fields.Field(
        attribute="status",
        column_name="Status",
        widget=StatusWidget(),
        saves_null_values=False,
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "commitment",
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

    def _set_user(self, user) -> None:
        super()._set_user(user)
        self._existing: dict[int, Activity] = {}

    def row_label(self, instance) -> str:
        commitment = instance.commitment
        return f"{commitment.position}. {commitment.title}"

    def dehydrate_organisations(self, activity: Activity) -> str:
        """The organisations as the file gave them in a preview, else as saved."""
        from_file = getattr(activity, "_organisations_from_file", None)
        if from_file is not None:
            return ", ".join(sorted(o.name for o in from_file))
        return self.fields["organisations"].widget.render(activity.organisations)

    def template(self) -> Template:
        template = super().template()
        template.sheet = str(_("Aktiviteter"))
        choices: CommitmentChoices = self.fields["commitment"].widget.cache
        today = timezone.localdate()
        commitment_rows = [
            [
                choices.references[c.pk],
                c.position,
                c.title,
                c.promise.title,
                f"{c.promise.period_start.isoformat()} – {c.promise.period_end.isoformat()}",
                _("pågår")
                if c.promise.period_start <= today <= c.promise.period_end
                else _("avslutat")
                if c.promise.period_end < today
                else _("inte börjat"),
            ]
            for c in choices.commitments
        ]
        types = [[t.name] for t in ActivityType.objects.filter(is_active=True)]
        organisations = list(Organisation.objects.for_user(self.user).order_by("name"))
        own = list(Organisation.objects.staff_of(self.user).order_by("name"))
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        template.lists = [
            ChoiceList(
                column=columns["commitment"],
                headers=[
                    _("Åtagande"),
                    _("Nummer"),
                    _("Rubrik"),
                    _("Medborgarlöfte"),
                    _("Period"),
                    _("Löftet"),
                ],
                rows=commitment_rows,
                strict=False,
                prompt=_(
                    "Välj åtagandet i listan. Du kan också skriva dess rubrik, eller dess nummer "
                    "om du bara har ett pågående medborgarlöfte."
                ),
            ),
            ChoiceList(
                column=columns["type"],
                headers=[_("Typ")],
                rows=types,
                prompt=_("Välj typen av aktivitet."),
            ),
            ChoiceList(
                column=columns["organisations"],
                headers=[_("Genomförd av"), _("Slag")],
                rows=[[o.name, str(o.get_kind_display())] for o in organisations],
                strict=False,
                prompt=_("Välj vem som genomförde aktiviteten. Flera skiljs åt med kommatecken."),
            ),
            ChoiceList(
                column=columns["status"],
                headers=[_("Status")],
                rows=[[str(choice.label)] for choice in Activity.Status],
                prompt=_("Lämna tomt för det som gäller nya aktiviteter för dig."),
            ),
        ]
        if choices.commitments:
            promises = [c.promise for c in choices.commitments]
            template.date_range = (
                min(p.period_start for p in promises),
                max(p.period_end for p in promises),
            )
        first = choices.commitments[0] if choices.commitments else None
        example_date = today
        if first is not None and not (
            first.promise.period_start <= today <= first.promise.period_end
        ):
            example_date = first.promise.period_start
        initial_status = Activity.Status(Activity.initial_status_for(self.user)).label
        template.example = {
            columns["id"]: EXAMPLE_MARKER,
            columns["commitment"]: choices.references[first.pk] if first else "1",
            columns["date"]: example_date,
            columns["type"]: types[0][0] if types else "",
            columns["organisations"]: (own or organisations)[0].name
            if (own or organisations)
            else "",
            columns["place"]: _("Centrum"),
            columns["description"]: _("Exempel: fotpatrullering en kväll med fokus på busstorget."),
            columns["occasions"]: 1,
        }
        template.notes = {
            columns["id"]: _(
                "Lämna tomt för en ny aktivitet. En exporterad fil har ID: raden ändrar då den "
                "aktiviteten. Rad 2 är ett exempel (”%(marker)s” här) och läses inte in: skriv "
                "över den, eller skriv dina rader under."
            )
            % {"marker": EXAMPLE_MARKER},
            columns["commitment"]: _(
                "Välj i listan, eller skriv rubriken. Numret ensamt (t.ex. 2) räcker om du har "
                "ett pågående medborgarlöfte; annars ”medborgarlöfte: nummer”."
            ),
            columns["date"]: _("ÅÅÅÅ-MM-DD, inom medborgarlöftets period."),
            columns["end_date"]: _("Om aktiviteten pågick flera dagar. Annars tomt."),
            columns["title"]: _(
                "Lämna tomt för att använda typ och plats, t.ex. ”Fotpatrullering i Centrum”."
            ),
            columns["description"]: _(
                "Visas för alla. Skriv inget som kan peka ut enskilda personer."
            ),
            columns["organisations"]: _("Flera skiljs åt med kommatecken."),
            columns["occasions"]: _("Tomt räknas som 1."),
            columns["people_reached"]: _("Lämna tomt om ingen räknade: då visas ”uppgift saknas”."),
            columns["status"]: _("Lämna tomt: nya aktiviteter blir ”%(status)s”.")
            % {"status": initial_status},
        }
        return template

    def get_queryset(self):
        if self.user is None:
            return Activity.objects.none()
        return Activity.objects.for_user(self.user).select_related("commitment__promise", "type")

    def _load_existing(self, dataset) -> None:
        """The activities the file changes, in a few queries instead of one per row."""
        column = self.fields["id"].column_name
        ids = set()
        for value in dataset[column] if column in dataset.headers else []:
            try:
                pk = self.fields["id"].widget.clean(value)
            except ValueError:
                continue
            if pk is not None:
                ids.add(pk)
        ids = sorted(ids)
        queryset = self.get_queryset().prefetch_related("organisations")
        # In chunks, to stay well within every database's limit on parameters.
        for start in range(0, len(ids), 500):
            for activity in queryset.filter(pk__in=ids[start : start + 500]):
                self._existing[activity.pk] = activity

    def get_or_init_instance(self, instance_loader, row):
        pk = self.fields["id"].clean(row)
        if pk is None:
            return self.init_instance(row), True
        # Each loaded activity serves one row; a repeated ID is read again.
        instance = self._existing.pop(pk, None) or self.get_queryset().filter(pk=pk).first()
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
        # What the admin form may leave empty, a file may leave empty, with the same outcome.
        instance.fill_in_title()
        if instance._state.adding:
            # An empty cell gets the user's default; a status in the file only
            # where their group may publish at once.
            asked = instance.status if _key(row.get(self.fields["status"].column_name)) else None
            instance.status = Activity.initial_status_for(self.user, asked)
        # Many-to-many values are saved after the row; check them now so that
        # an unknown organisation is a row error like any other.
        field = self.fields["organisations"]
        if field.column_name in row:
            try:
                # Kept for the preview: a trial run saves no links to show.
                instance._organisations_from_file = field.clean(row)
            except ValueError as error:
                errors["organisations"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, without its per-row queries.

        ``full_clean`` would check the primary key's uniqueness and the
        CheckConstraint with a query each; the database enforces the first and
        ``Activity.clean()`` holds the same rule as the second.
        """
        errors = dict(import_validation_errors or {})
        # A commitment and a type set here came from this import's own
        # look-ups; validating them again would cost a query each.
        exclude = set(errors) | {
            name for name in ("commitment", "type") if getattr(instance, f"{name}_id")
        }
        if "type" in errors and not instance.title:
            # The title would have come from the type: its error says what to fix.
            exclude.add("title")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.created_by = self.user
        instance.updated_by = self.user
        super().before_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            # The organisations were checked in import_instance; the preview
            # needs no rows in the link table.
            return
        super().save_m2m(instance, row, **kwargs)

    def _after_rows(self) -> None:
        self._warn_about_duplicates()

    def _warn_about_duplicates(self) -> None:
        """Warn, without refusing, about new rows that look like activities already there.

        Rows saved earlier in the same run count too, so a file imported twice,
        or a row repeated in the file, is pointed out before it is confirmed.
        One query for all new rows (they are saved by now, also in a dry run).
        """
        if not self._new_rows:
            return
        new_pks = {activity.pk for _number, activity in self._new_rows}
        candidates = (
            Activity.objects.filter(
                commitment_id__in={a.commitment_id for _n, a in self._new_rows},
                date__in={a.date for _n, a in self._new_rows},
            )
            .order_by("pk")
            .values_list("pk", "commitment_id", "type_id", "date", "place", "title")
        )
        by_key: dict[tuple, list[tuple[int, str]]] = {}
        for pk, commitment_id, type_id, day, place, title in candidates:
            key = (commitment_id, type_id, day, (place or "").casefold())
            by_key.setdefault(key, []).append((pk, title))
        for number, activity in self._new_rows:
            key = (
                activity.commitment_id,
                activity.type_id,
                activity.date,
                (activity.place or "").strip().casefold(),
            )
            other = next(
                (
                    title
                    for pk, title in by_key.get(key, [])
                    if pk != activity.pk and (pk not in new_pks or pk < activity.pk)
                ),
                None,
            )
            if other is not None:
                self.warnings.append(
                    {
                        "line": self._line(number),
                        "message": _(
                            "Liknar en aktivitet som redan finns (samma åtagande, typ, datum och "
                            "plats): ”%(title)s”. Kontrollera att raden inte redan är inläst."
                        )
                        % {"title": other},
                    }
                )


class MeasurementResource(ScopedResource):
    """Indicator values from a spreadsheet.

    A row finds its value by indicator, place and time: a file imported again
    changes the values it gave before instead of adding them twice.
    """

    label_header = _("Indikator")

    indicator = fields.Field(
        attribute="indicator", column_name="Indikator", widget=IndicatorWidget()
    )
    municipality = fields.Field(
        attribute="municipality", column_name="Kommun", widget=MunicipalityWidget()
    )
    district = fields.Field(
        attribute="district",
        column_name="Stadsdel eller område",
        widget=DistrictWidget(municipality_field="Kommun"),
    )
    year = fields.Field(attribute="year", column_name="År", widget=YearWidget(date_field="Datum"))
    date = fields.Field(attribute="date", column_name="Datum", widget=IsoDateWidget(required=False))
    value = fields.Field(attribute="value", column_name="Värde", widget=DecimalValueWidget())
    ci_low = fields.Field(
        attribute="ci_low", column_name="KI nedre", widget=DecimalValueWidget(required=False)
    )
    ci_high = fields.Field(
        attribute="ci_high", column_name="KI övre", widget=DecimalValueWidget(required=False)
    )
    sample_size = fields.Field(
        attribute="sample_size", column_name="Antal svarande", widget=CountWidget(required=False)
    )
    note = fields.Field(attribute="note", column_name="Kommentar", widget=widgets.CharWidget())

    KEY = ("indicator", "municipality", "district", "year", "date")

    class Meta:
        model = Measurement
        fields = [
            "indicator",
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
        import_id_fields = ["indicator", "municipality", "district", "year", "date"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        store_instance = True

    def _set_user(self, user) -> None:
        super()._set_user(user)
        self.fields["district"].widget.municipalities = self.fields["municipality"].widget

    def get_queryset(self):
        if self.user is None:
            return Measurement.objects.none()
        return Measurement.objects.for_user(self.user).select_related(
            "indicator", "municipality", "district"
        )

    def row_label(self, instance) -> str:
        return instance.indicator.name

    def template(self) -> Template:
        template = super().template()
        template.sheet = str(_("Mätvärden"))
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        indicators = Indicator.objects.for_user(self.user).order_by("name")
        municipalities = Municipality.objects.for_user(self.user).order_by("name")
        districts = District.objects.for_user(self.user).select_related("municipality")
        template.lists = [
            ChoiceList(
                column=columns["indicator"],
                headers=[_("Indikator"), _("Enhet")],
                rows=[[i.name, i.unit] for i in indicators],
                prompt=_("Välj indikatorn."),
            ),
            ChoiceList(
                column=columns["municipality"],
                headers=[_("Kommun"), _("Kommunkod")],
                rows=[[m.name, m.code] for m in municipalities],
                strict=False,
                prompt=_("Välj kommunen, eller skriv kommunkoden."),
            ),
            ChoiceList(
                column=columns["district"],
                headers=[_("Stadsdel eller område"), _("Kommun")],
                rows=[
                    [d.name, d.municipality.name]
                    for d in sorted(districts, key=lambda d: (d.municipality.name, d.name))
                ],
                strict=False,
                prompt=_("Lämna tomt för hela kommunen."),
            ),
        ]
        return template

    def get_or_init_instance(self, instance_loader, row):
        key, errors = {}, {}
        for name in self.KEY:
            try:
                key[name] = self.fields[name].clean(row)
            except ValueError as error:
                errors[name] = [str(error)]
        if errors:
            raise ValidationError(errors)
        instance = self.get_queryset().filter(**key).first()
        if instance is None:
            return self.init_instance(row), True
        return instance, False

    def import_instance(self, instance, row, **kwargs):
        # Note and sample size may be left empty in the file.
        if row.get("Kommentar") is None:
            row["Kommentar"] = ""
        super().import_instance(instance, row, **kwargs)


class _PreviewDiff(Diff):
    """A row's new values as plain text, for the rows the preview shows, and nothing for the rest.

    The library's diff exports every row twice (a query or two each) and
    renders HTML that a stored, plain-data preview cannot keep.
    """

    def __init__(self, resource, instance, new):
        self.show = resource._diffs_made < PREVIEW_ROWS
        resource._diffs_made += 1
        self.left, self.right, self.new = [], [], new

    def compare_with(self, resource, instance):
        if self.show:
            # Through the resource, so that its dehydrate_* methods count as in an export.
            self.right = [resource.export_field(f, instance) for f in resource.get_import_fields()]

    def as_html(self):
        return [force_str(value) for value in self.right]


def decode_csv(content: bytes | str) -> tuple[str, str]:
    """A CSV file's text and delimiter, as Swedish Excel writes it or as UTF-8.

    UTF-8 with or without a byte order mark, else Windows-1252 (Swedish
    Excel's "CSV (semikolonavgränsad)"); semicolons when the header has more
    of them than commas.
    """
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = content.decode("cp1252")
    text = content.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    return text, ";" if first_line.count(";") > first_line.count(",") else ","


class SpreadsheetCSV(base_formats.CSV):
    """CSV as Swedish Excel reads and writes it: semicolons and a byte order mark.

    Import accepts commas too, and files with or without the mark.
    """

    def create_dataset(self, in_stream, **kwargs):
        text, delimiter = decode_csv(in_stream)
        return tablib.import_set(text, format="csv", delimiter=delimiter)

    def export_data(self, dataset, **kwargs):
        kwargs.setdefault("delimiter", ";")
        return dataset.export("csv", **kwargs)


class SpreadsheetCSVImport(SpreadsheetCSV):
    """The same CSV, read as bytes so that the encoding is chosen here, not by the admin."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class SpreadsheetXLSX(base_formats.XLSX):
    """An Excel workbook, read from its data sheet even if it was saved with "Listor" showing."""

    def create_dataset(self, in_stream):
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = data_sheet(book).iter_rows(values_only=True)
            dataset = tablib.Dataset()
            dataset.headers = list(next(rows, []))
            for row in rows:
                # A row may be shorter or longer than the header in a hand-made file.
                values = list(row)[: len(dataset.headers)]
                dataset.append(values + [None] * (len(dataset.headers) - len(values)))
            return dataset
        finally:
            book.close()


SPREADSHEET_FORMATS = [SpreadsheetCSV, base_formats.XLSX]
IMPORT_FORMATS = [SpreadsheetCSVImport, SpreadsheetXLSX]
