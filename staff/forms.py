"""Forms of the staff pages outside the admin: the quick log and the week's log.

Both are model forms, so the model's ``full_clean()`` (its ``clean()``: the
promise's period, no finished work in the future, a type still in use) is the
rule; the forms only choose what may be picked and fill in the defaults.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Max, Q
from django.forms import formset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, types_by_use
from promises.models import ActivityType, Commitment, Organisation

# Most suggestions a place field offers: enough for an area's usual places.
MAX_PLACES = 30
WEEK_ROWS = 7
MAX_WEEK_ROWS = 30


def commitments_for(user) -> list[Commitment]:
    """The user's own current commitments, the one they last logged work on first."""
    return list(
        Commitment.objects.for_user(user)
        .current()
        .select_related("promise")
        .annotate(last_used=Max("activities__created_at", filter=Q(activities__created_by=user)))
        .order_by(
            F("last_used").desc(nulls_last=True),
            "promise__title",
            "promise_id",
            "position",
            "pk",
        )
    )


def commitment_label(commitment: Commitment) -> str:
    return f"{commitment.position}. {commitment.title} ({commitment.promise.title})"


def places_for(commitments) -> list[str]:
    """Places earlier work under the commitments was logged at, the latest first."""
    return Activity.objects.filter(commitment__in=commitments).recent_places(MAX_PLACES)


class LoadedChoiceField(forms.ModelChoiceField):
    """A choice among objects the page has loaded already (the user's own, in scope).

    Picking resolves against those objects, so a posted id of anything else,
    another area's commitment included, is refused, and a form with many rows
    asks the database nothing per row.
    """

    def __init__(self, *args, **kwargs):
        self.loaded: dict[str, object] = {}
        super().__init__(*args, **kwargs)

    def load(self, objects, label, empty: str = "–") -> None:
        self.loaded = {str(obj.pk): obj for obj in objects}
        self.choices = [("", empty)] + [(str(obj.pk), label(obj)) for obj in objects]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = self.loaded.get(str(value))
        if obj is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return obj


def _period_hint(commitment: Commitment | None) -> str:
    if commitment is None:
        return ""
    return _("Medborgarlöftets period: %(period)s. Datumet måste ligga inom den.") % {
        "period": commitment.promise.period_label
    }


def _date_bounds(commitment: Commitment | None, today: date) -> tuple[date | None, date | None]:
    """The earliest and latest day work under the commitment may be logged as done."""
    if commitment is None:
        return None, today
    return commitment.promise.period_start, min(commitment.promise.period_end, today)


class QuickLogForm(forms.ModelForm):
    """One activity, done, under one of the user's own current commitments."""

    TODAY, YESTERDAY, OTHER = "i-dag", "i-gar", "annat"

    when = forms.ChoiceField(
        label=_("Datum"),
        choices=[(TODAY, _("I dag")), (YESTERDAY, _("I går")), (OTHER, _("Annat datum"))],
        initial=TODAY,
        widget=forms.RadioSelect(attrs={"class": "ml-radios__input"}),
        error_messages={
            "required": _("Välj när aktiviteten gjordes."),
            "invalid_choice": _("Välj när aktiviteten gjordes."),
        },
    )
    date = forms.DateField(
        label=_("Datum (åååå-mm-dd)"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "ml-input ml-input--date"}, format="%Y-%m-%d"
        ),
        error_messages={"invalid": _("Skriv datumet som åååå-mm-dd, t.ex. 2026-03-14.")},
    )

    class Meta:
        model = Activity
        fields = [
            "commitment",
            "type",
            "date",
            "place",
            "occasions",
            "people_reached",
            "description",
            "internal_note",
            "title",
            "organisations",
        ]
        field_classes = {"commitment": LoadedChoiceField, "type": LoadedChoiceField}
        widgets = {
            "commitment": forms.Select(attrs={"class": "ml-select ml-select--wide"}),
            "type": forms.Select(attrs={"class": "ml-select ml-select--wide"}),
            "place": forms.TextInput(
                attrs={"class": "ml-input", "list": "ml-places", "autocomplete": "off"}
            ),
            "occasions": forms.NumberInput(
                attrs={"class": "ml-input ml-input--number", "min": "0", "inputmode": "numeric"}
            ),
            "people_reached": forms.NumberInput(
                attrs={"class": "ml-input ml-input--number", "min": "0", "inputmode": "numeric"}
            ),
            "description": forms.Textarea(attrs={"class": "ml-input ml-textarea", "rows": 3}),
            "internal_note": forms.Textarea(attrs={"class": "ml-input ml-textarea", "rows": 2}),
            "title": forms.TextInput(attrs={"class": "ml-input"}),
            "organisations": forms.CheckboxSelectMultiple(attrs={"class": "ml-checkboxes__input"}),
        }
        help_texts = {
            "occasions": _("T.ex. 12 för tolv patrulleringar."),
            "people_reached": _("Lämna tomt om ni inte räknade."),
            "title": _(
                "Lämna tomt för att använda typ och plats, t.ex. ”Fotpatrullering i "
                "Mölnlycke centrum”."
            ),
        }
        error_messages = {
            "commitment": {
                "required": _("Välj vilket åtagande aktiviteten hör till."),
                "invalid_choice": _(
                    "Välj ett av dina egna pågående åtaganden. Det valda åtagandet går inte "
                    "att logga på här."
                ),
            },
            "type": {
                "required": _("Välj vilken typ av aktivitet det var."),
                "invalid_choice": _("Välj en av typerna i listan."),
            },
            "occasions": {
                "required": _("Skriv hur många tillfällen, t.ex. 1."),
                "invalid": _("Skriv antalet tillfällen som en siffra, t.ex. 1."),
                "min_value": _("Antalet tillfällen kan inte vara negativt."),
            },
            "people_reached": {
                "invalid": _("Skriv antalet nådda personer som en siffra."),
                "min_value": _("Antalet nådda personer kan inte vara negativt."),
            },
        }

    def __init__(self, *args, user, commitments: list[Commitment], **kwargs):
        kwargs["instance"] = Activity(
            status=Activity.initial_status_for(user),
            state=Activity.State.DONE,
            created_by=user,
            updated_by=user,
        )
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = timezone.localdate()
        self.fields["commitment"].load(commitments, commitment_label)
        self.fields["commitment"].label = _("Åtagande")
        self.fields["commitment"].help_text = _(
            "Dina pågående åtaganden, det senast använda först."
        )
        self.fields["title"].required = False
        self.fields["title"].label = _("Rubrik (frivillig)")
        self.fields["date"].label = _("Datum (åååå-mm-dd)")
        organisations = self.fields["organisations"]
        organisations.queryset = Organisation.objects.for_user(user)
        organisations.label = _("Genomförd av")
        if not self.is_bound and "organisations" not in self.initial:
            self.initial["organisations"] = list(
                Organisation.objects.staff_of(user).values_list("pk", flat=True)
            )
        self.chosen = self._chosen_commitment(commitments)
        self._load_types()
        self.places = places_for([self.chosen]) if self.chosen else []
        self.date_min, self.date_max = _date_bounds(self.chosen, self.today)
        self.fields["date"].help_text = _period_hint(self.chosen)
        self.fields["when"].help_text = self.fields["date"].help_text
        # With JavaScript, picking another commitment refreshes what depends on it.
        self.fields["commitment"].widget.attrs.update(
            {
                "data-hx-get": reverse("personal:quick-log"),
                "data-hx-trigger": "change",
                "data-hx-target": "#ml-commitment-fields",
                "data-hx-swap": "outerHTML",
                # Not the type: the new commitment's own most used type is chosen.
                "data-hx-include": "[name='when'], #id_date, #id_place",
            }
        )
        attrs = self.fields["date"].widget.attrs
        attrs["aria-describedby"] = "ml-when-hint"
        attrs["max"] = self.date_max.isoformat()
        if self.date_min:
            attrs["min"] = self.date_min.isoformat()

    def error_summary(self) -> list[tuple[str, str]]:
        return error_summary(self)

    @property
    def publishes_at_once(self) -> bool:
        return self.instance.status == Activity.Status.PUBLISHED

    def _chosen_commitment(self, commitments: list[Commitment]) -> Commitment | None:
        """The commitment the dependent choices are for: the one picked, else the last used."""
        value = self.data.get("commitment") if self.is_bound else self.initial.get("commitment")
        if isinstance(value, Commitment):
            value = value.pk
        by_pk = {str(c.pk): c for c in commitments}
        if value not in (None, "") and str(value) in by_pk:
            return by_pk[str(value)]
        if self.is_bound:
            return None
        # Nothing (or nothing of the user's) asked for: the last used, preselected.
        first = commitments[0] if commitments else None
        if first is not None:
            self.initial["commitment"] = first.pk
        return first

    def _load_types(self) -> None:
        """Types used under the chosen commitment first; every other type one tap away."""
        types = list(ActivityType.objects.filter(is_active=True))
        used, others = types_by_use(self.chosen, types)
        field = self.fields["type"]
        field.load(types, str)
        field.label = _("Typ")
        if used:
            field.choices = [
                ("", "–"),
                (_("Används för åtagandet"), [(str(t.pk), str(t)) for t in used]),
                (_("Andra typer"), [(str(t.pk), str(t)) for t in others]),
            ]
        if not self.is_bound and used and not self.initial.get("type"):
            self.initial["type"] = used[0].pk

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when")
        if when == self.TODAY:
            cleaned["date"] = self.today
        elif when == self.YESTERDAY:
            cleaned["date"] = self.today - timedelta(days=1)
        elif when == self.OTHER and cleaned.get("date") is None and "date" not in self.errors:
            self.add_error("date", _("Skriv datumet, eller välj ”I dag” eller ”I går”."))
        if when in (self.TODAY, self.YESTERDAY) and "date" in self.errors:
            # The typed date belongs to ”Annat datum”, which was not chosen.
            del self.errors["date"]
        if not cleaned.get("title") and cleaned.get("type"):
            cleaned["title"] = Activity.title_from(cleaned["type"], cleaned.get("place") or "")
        return cleaned


def error_summary(form: forms.BaseForm, row: int | None = None) -> list[tuple[str, str]]:
    """(anchor, message) for each error, for the summary that links to its field."""
    items = []
    for name, errors in form.errors.items():
        if name in form.fields:
            field = form[name]
            anchor = f"{field.auto_id}_0" if field.field.widget.use_fieldset else field.id_for_label
            if name == "date" and "when" in form.fields:
                chosen = form.data.get(form.add_prefix("when"))
                if chosen != QuickLogForm.OTHER:
                    anchor = f"{form['when'].auto_id}_0"
        else:
            anchor, field = "", None
        for error in errors:
            text = str(error)
            if row is not None:
                label = f"{field.label}: " if field is not None else ""
                text = _("Rad %(row)s: %(label)s%(error)s") % {
                    "row": row,
                    "label": label,
                    "error": text,
                }
            items.append((anchor, text))
    return items


def again_initial(activity: Activity) -> dict:
    """What ”Logga en till” keeps of the activity just saved."""
    return {
        "commitment": activity.commitment_id,
        "type": activity.type_id,
        "date": activity.date,
        "place": activity.place,
        "organisations": [o.pk for o in activity.organisations.all()],
    }


def initial_from(data, today: date) -> dict:
    """A form's starting values from an address or a posted form, shown but not trusted.

    Only for display: choices outside the user's scope are simply not among
    the options, and saving always validates anew.
    """
    initial: dict = {}
    for name in ("commitment", "type", "place", "occasions", "people_reached", "title"):
        if data.get(name) not in (None, ""):
            initial[name] = data.get(name)[:200]
    for name in ("description", "internal_note"):
        if data.get(name):
            initial[name] = data.get(name)
    if "organisations" in data:
        initial["organisations"] = [v for v in data.getlist("organisations") if v.isdigit()]
    when, typed = data.get("when"), data.get("date", "")
    try:
        chosen = date.fromisoformat(typed) if typed else None
    except ValueError:
        chosen = None
    if when in (QuickLogForm.TODAY, QuickLogForm.YESTERDAY, QuickLogForm.OTHER):
        initial["when"] = when
    elif chosen == today:
        initial["when"] = QuickLogForm.TODAY
    elif chosen == today - timedelta(days=1):
        initial["when"] = QuickLogForm.YESTERDAY
    elif chosen is not None:
        initial["when"] = QuickLogForm.OTHER
    if typed:
        initial["date"] = chosen or typed[:10]
    return initial


class WeekRowForm(forms.ModelForm):
    """One row of the week's log: the same model rules as any other way of logging."""

    class Meta:
        model = Activity
        fields = [
            "commitment",
            "type",
            "date",
            "place",
            "occasions",
            "people_reached",
            "title",
            "description",
        ]
        field_classes = {"commitment": LoadedChoiceField, "type": LoadedChoiceField}
        widgets = {
            "commitment": forms.Select(attrs={"class": "ml-select ml-select--wide"}),
            "type": forms.Select(attrs={"class": "ml-select ml-select--wide"}),
            "date": forms.DateInput(
                attrs={"type": "date", "class": "ml-input ml-input--date"}, format="%Y-%m-%d"
            ),
            "place": forms.TextInput(
                attrs={"class": "ml-input", "list": "ml-places", "autocomplete": "off"}
            ),
            "occasions": forms.NumberInput(
                attrs={"class": "ml-input ml-input--number", "min": "0", "inputmode": "numeric"}
            ),
            "people_reached": forms.NumberInput(
                attrs={"class": "ml-input ml-input--number", "min": "0", "inputmode": "numeric"}
            ),
            "title": forms.TextInput(attrs={"class": "ml-input"}),
            "description": forms.Textarea(attrs={"class": "ml-input ml-textarea", "rows": 1}),
        }
        labels = {
            "title": _("Rubrik (frivillig)"),
            "description": _("Beskrivning, visas för alla (frivillig)"),
            "people_reached": _("Nådda personer"),
        }
        error_messages = {
            **QuickLogForm.Meta.error_messages,
            "date": {
                "required": _("Skriv datumet."),
                "invalid": _("Skriv datumet som åååå-mm-dd, t.ex. 2026-03-14."),
            },
        }

    def __init__(self, *args, user, commitments, types, organisations, today, **kwargs):
        kwargs["instance"] = Activity(
            status=Activity.initial_status_for(user),
            state=Activity.State.DONE,
            created_by=user,
            updated_by=user,
        )
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["commitment"].load(commitments, commitment_label)
        self.fields["commitment"].label = _("Åtagande")
        self.fields["type"].load(types, str)
        self.fields["type"].label = _("Typ")
        self.fields["title"].required = False
        for field in self.fields.values():
            # The page says once what the columns mean; not again in every row.
            field.help_text = ""
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        starts = [c.promise.period_start for c in commitments]
        if starts:
            self.fields["date"].widget.attrs["min"] = min(starts).isoformat()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and cleaned.get("type"):
            cleaned["title"] = Activity.title_from(cleaned["type"], cleaned.get("place") or "")
        return cleaned

    def save(self, commit=True):
        activity = super().save(commit=commit)
        if commit:
            # The user's own organisations did the work, as the quick log's default.
            activity.organisations.set(self.organisations)
        return activity


class BaseWeekFormSet(forms.BaseFormSet):
    def error_summary(self) -> list[tuple[str, str]]:
        items = [("", str(error)) for error in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            items += error_summary(form, row=number)
        return items

    def filled_forms(self) -> list[WeekRowForm]:
        """The rows the user wrote in; empty rows are left out."""
        return [form for form in self.forms if form.has_changed()]


def week_formset(rows: int = WEEK_ROWS) -> type[BaseWeekFormSet]:
    """The week's table with this many empty rows (a posted form brings its own count)."""
    return formset_factory(
        WeekRowForm,
        formset=BaseWeekFormSet,
        extra=max(1, min(rows, MAX_WEEK_ROWS)),
        max_num=MAX_WEEK_ROWS,
        absolute_max=MAX_WEEK_ROWS,
        validate_max=True,
    )


def rows_asked_for(value) -> int:
    """The number of rows in ?rader=…, or the default for anything else."""
    text = str(value or "")
    if text.isascii() and text.isdigit():
        return max(1, min(int(text), MAX_WEEK_ROWS))
    return WEEK_ROWS
