"""The activities page's filters: a django-filter FilterSet over the public activities.

Field names are the query string's, kept short and Swedish for readable,
shareable addresses. Fields with invalid values are ignored one by one (the
page says which), so a bad link still shows the activities; a multi-select
with some unknown values keeps its known ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import django_filters
from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from promises.models import ActivityType, Commitment, Organisation, Promise

from .templatetags.ml import tr_abbr, tr_html

SORT_NEWEST = "nyast"
SORT_OLDEST = "aldst"
MULTIPLE = ("atagande", "typ", "organisation")


# The fields that narrow the list (sorting only orders it).
@dataclass(frozen=True)
class QuickRange:
    """A period one link away: ”Förra månaden” sets från and till to its first and last day."""

    key: str
    label: str
    start: date
    end: date


def quick_ranges(today: date) -> list[QuickRange]:
    """The activities page's quick periods as seen on ``today``, both ends included."""
    this_month = today.replace(day=1)
    last_month_end = this_month - timedelta(days=1)
    return [
        QuickRange("30-dagar", _("Senaste 30 dagarna"), today - timedelta(days=29), today),
        QuickRange(
            "forra-manaden", _("Förra månaden"), last_month_end.replace(day=1), last_month_end
        ),
        QuickRange("i-ar", _("I år"), today.replace(month=1, day=1), today),
    ]


class ForgivingFilterForm(forms.Form):
    """The form under the FilterSet: says which values it could not use."""

    def _split_multiple(self, name: str) -> tuple[list[str], list[str]]:
        """A multi-select's submitted values, split into known choices and unknown ones."""
        field = self.fields[name]
        submitted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        known = {str(value) for value, _label in field.choices}
        values = [str(v) for v in submitted or []]
        return [v for v in values if v in known], [v for v in values if v not in known]

    def usable(self) -> dict:
        """The cleaned value of every field that validated; invalid ones are left out."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value}
        for name in MULTIPLE:
            if name in self.errors:
                valid, _ignored = self._split_multiple(name)
                if valid:
                    values[name] = valid
        return values

    @property
    def ignored_labels(self) -> list[str]:
        """What was skipped: the field's label, with the unknown values of a multi-select."""
        self.is_valid()
        labels = []
        for name in self.errors:
            if name not in self.fields:
                continue
            label = str(self.fields[name].label)
            if name in MULTIPLE:
                _valid, ignored = self._split_multiple(name)
                if ignored:
                    shown = ", ".join(f"”{value[:40]}”" for value in ignored[:5])
                    label = f"{label} ({shown})"
            labels.append(label)
        return labels

    @property
    def is_filtered(self) -> bool:
        return self.active_count > 0

    @property
    def active_count(self) -> int:
        """How many choices narrow the list: each ticked box counts, and so does a period."""
        values = self.usable()
        count = sum(len(values.get(name, [])) for name in MULTIPLE)
        count += sum(1 for name in ("q", "ar", "manad") if values.get(name))
        return count + (1 if values.get("fran") or values.get("till") else 0)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end and start > end:
            # The later date is dropped (and named as skipped), not the whole filter.
            self.add_error("till", _("Till-datumet ligger före från-datumet."))
        return cleaned


def _select(name: str) -> forms.Select:
    return forms.Select(attrs={"class": "ml-select"})


def _date_input() -> forms.DateInput:
    # The browser's date picker sends ISO dates (2024-03-01); typed Swedish dates work too.
    return forms.DateInput(
        attrs={"class": "ml-input ml-input--date", "type": "date"}, format="%Y-%m-%d"
    )


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Fritext"),
        help_text=_("Sök i rubrik, beskrivning, plats och typ."),
        method="filter_text",
        max_length=200,
    )
    # An activity has one commitment and one type: no DISTINCT needed (it
    # would make PostgreSQL sort the promise's every activity for one page).
    atagande = django_filters.MultipleChoiceFilter(
        label=_("Åtagande"),
        field_name="commitment__slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    typ = django_filters.MultipleChoiceFilter(
        label=_("Typ av aktivitet"),
        field_name="type__slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    organisation = django_filters.MultipleChoiceFilter(
        label=_("Genomförd av"), method="filter_organisations", widget=forms.CheckboxSelectMultiple
    )
    ar = django_filters.ChoiceFilter(label=_("År"), field_name="date__year", widget=_select("ar"))
    manad = django_filters.ChoiceFilter(
        label=_("Månad"),
        field_name="date__month",
        choices=[(str(n), name) for n, name in MONTHS.items()],
        empty_label=_("Alla månader"),
        widget=_select("manad"),
    )
    fran = django_filters.DateFilter(
        label=_("Från och med"), field_name="date", lookup_expr="gte", widget=_date_input()
    )
    till = django_filters.DateFilter(
        label=_("Till och med"), field_name="date", lookup_expr="lte", widget=_date_input()
    )
    sortering = django_filters.ChoiceFilter(
        label=_("Sortera"),
        choices=[(SORT_NEWEST, _("Nyast först")), (SORT_OLDEST, _("Äldst först"))],
        method="sort",
        empty_label=None,
        widget=_select("sortering"),
    )

    class Meta:
        model = Activity
        fields: list[str] = []
        form = ForgivingFilterForm

    def __init__(
        self,
        data,
        queryset,
        *,
        promise: Promise,
        commitments: list[Commitment],
        types: list[ActivityType],
        organisations: list[Organisation],
    ):
        super().__init__(data, queryset)
        # Labels in a lang="sv" span when they fall back to Swedish on an English page.
        self.filters["atagande"].extra["choices"] = [
            (c.slug, tr_html(c, "title")) for c in commitments
        ]
        self.filters["typ"].extra["choices"] = [(t.slug, tr_abbr(t, "name")) for t in types]
        self.filters["organisation"].extra["choices"] = [(str(o.pk), o.name) for o in organisations]
        years = range(promise.period_start.year, promise.period_end.year + 1)
        self.filters["ar"].extra["choices"] = [(str(y), str(y)) for y in years]
        self.filters["ar"].extra["empty_label"] = _("Alla år")
        self.filters["sortering"].extra["required"] = False

    def filter_queryset(self, queryset):
        # Every usable value, one by one: an invalid field is skipped, not fatal.
        values = self.form.usable()
        for name, value in values.items():
            if name != "sortering":
                queryset = self.filters[name].filter(queryset, value)
        return self.sort(queryset, "sortering", values.get("sortering"))

    def filter_text(self, queryset, name, value):
        return queryset.search(value) if value else queryset

    def filter_organisations(self, queryset, name, value):
        if not value:
            return queryset
        # A subquery rather than a join, so that an activity done by two of
        # the chosen organisations is listed (and summed) once.
        through = Activity.organisations.through.objects.filter(organisation_id__in=value)
        return queryset.filter(pk__in=through.values("activity_id"))

    def sort(self, queryset, name, value):
        if value == SORT_OLDEST:
            return queryset.order_by("date", "pk")
        return queryset.order_by("-date", "-pk")
