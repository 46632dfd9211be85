"""GET forms for the public pages: validated, and forgiving of bad input."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityType
from promises.models import Commitment, Organisation, Promise
from promises.templatetags.ml import tr_html


class MunicipalitySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök kommun"),
        help_text=_("Skriv kommunens namn eller fyrsiffriga kommunkod, t.ex. 1401."),
        required=False,
        max_length=100,
    )

    def filter(self, municipalities):
        if not self.is_valid():
            return municipalities
        text = self.cleaned_data["q"].strip()
        if not text:
            return municipalities
        if text.isdigit():
            return municipalities.filter(code__startswith=text)
        # SQLite folds case for ASCII only: try the usual spellings as well.
        found = Q()
        for variant in {text, text.lower(), text.capitalize()}:
            found |= Q(name__icontains=variant)
        return municipalities.filter(found)


class ActivityFilterForm(forms.Form):
    """The filters of a promise's activities page.

    Field names are the query string's, kept short and Swedish for readable,
    shareable addresses. Fields with invalid values are ignored one by one (the
    view says which), so a bad link still shows the activities.
    """

    SORT_NEWEST = "nyast"
    SORT_OLDEST = "aldst"

    q = forms.CharField(
        label=_("Fritext"),
        help_text=_("Sök i rubrik, beskrivning, plats och typ."),
        required=False,
        max_length=200,
    )
    atagande = forms.MultipleChoiceField(
        label=_("Åtagande"), required=False, widget=forms.CheckboxSelectMultiple
    )
    typ = forms.MultipleChoiceField(
        label=_("Typ av aktivitet"), required=False, widget=forms.CheckboxSelectMultiple
    )
    organisation = forms.MultipleChoiceField(
        label=_("Genomförd av"), required=False, widget=forms.CheckboxSelectMultiple
    )
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    manad = forms.TypedChoiceField(
        label=_("Månad"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Alla månader"))] + [(str(n), name) for n, name in MONTHS.items()],
    )
    sortering = forms.ChoiceField(
        label=_("Sortera"),
        required=False,
        choices=[(SORT_NEWEST, _("Nyast först")), (SORT_OLDEST, _("Äldst först"))],
    )

    def __init__(
        self,
        data,
        *,
        promise: Promise,
        commitments: list[Commitment],
        types: list[ActivityType],
        organisations: list[Organisation],
    ):
        super().__init__(data)
        self.promise = promise
        # Labels in a lang="sv" span when they fall back to Swedish on an English page.
        self.fields["atagande"].choices = [(c.slug, tr_html(c, "title")) for c in commitments]
        self.fields["typ"].choices = [(t.slug, tr_html(t, "name")) for t in types]
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        years = range(promise.period_start.year, promise.period_end.year + 1)
        self.fields["ar"].choices = [("", _("Alla år"))] + [(str(y), str(y)) for y in years]
        for name in ("ar", "manad", "sortering"):
            self.fields[name].widget.attrs["class"] = "ml-select"

    MULTIPLE = ("atagande", "typ", "organisation")

    def _split_multiple(self, name: str) -> tuple[list[str], list[str]]:
        """A multi-select's submitted values, split into known choices and unknown ones."""
        field = self.fields[name]
        submitted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        known = {str(value) for value, _label in field.choices}
        values = [str(v) for v in submitted or []]
        return [v for v in values if v in known], [v for v in values if v not in known]

    def usable(self) -> dict:
        """The cleaned value of every field that validated; invalid ones are left out.

        A multi-select with some unknown values keeps its known ones: one bad
        value in a link does not drop the whole filter.
        """
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value}
        for name in self.MULTIPLE:
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
            if name in self.MULTIPLE:
                _valid, ignored = self._split_multiple(name)
                if ignored:
                    shown = ", ".join(f"”{value[:40]}”" for value in ignored[:5])
                    label = f"{label} ({shown})"
            labels.append(label)
        return labels

    def filter(self, activities):
        values = self.usable()
        if values.get("atagande"):
            activities = activities.filter(commitment__slug__in=values["atagande"])
        if values.get("typ"):
            activities = activities.filter(type__slug__in=values["typ"])
        if values.get("organisation"):
            # A subquery rather than a join, so that an activity done by two of
            # the chosen organisations is listed (and summed) once.
            through = Activity.organisations.through.objects.filter(
                organisation_id__in=values["organisation"]
            )
            activities = activities.filter(pk__in=through.values("activity_id"))
        if values.get("ar"):
            activities = activities.filter(date__year=values["ar"])
        if values.get("manad"):
            activities = activities.filter(date__month=values["manad"])
        if values.get("q"):
            activities = activities.search(values["q"])
        if values.get("sortering") == self.SORT_OLDEST:
            return activities.order_by("date", "pk")
        return activities.order_by("-date", "-pk")

    @property
    def is_filtered(self) -> bool:
        values = self.usable()
        return any(
            values.get(name) for name in ("q", "atagande", "typ", "organisation", "ar", "manad")
        )
