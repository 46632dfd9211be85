"""Recurring activities (/personal/aterkommande/): ”varje fredag kl 21–02 under juni”.

One form, one view: "Förhandsgranska" shows the occurrences it would create,
"Skapa" creates them (``activities.recurring.create_series``: all or none).
With JavaScript, htmx refreshes the preview as the form changes; without it
the preview button does the same by a full page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from activities.models import MAX_OCCURRENCES, ActivitySeries
from activities.recurring import create_series, describe_dates
from promises.models import ActivityType, Organisation

from .decorators import staff_who_log
from .forms import LoadedChoiceField, commitment_label, commitments_for


class RecurringForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=gettext_lazy("Veckodagar"),
        choices=ActivitySeries.Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Välj minst en veckodag.")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Genomförs av"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ActivitySeries
        fields = [
            "commitment",
            "type",
            "title",
            "place",
            "weekdays",
            "start_time",
            "end_time",
            "first_date",
            "last_date",
            "description",
        ]
        field_classes = {"commitment": LoadedChoiceField}
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "first_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "commitment": gettext_lazy("Åtagande"),
            "type": gettext_lazy("Typ av aktivitet"),
            "title": gettext_lazy("Rubrik"),
            "place": gettext_lazy("Plats"),
            "start_time": gettext_lazy("Starttid"),
            "end_time": gettext_lazy("Sluttid"),
            "first_date": gettext_lazy("Första dag"),
            "last_date": gettext_lazy("Sista dag"),
            "description": gettext_lazy("Beskrivning"),
        }
        help_texts = {
            "title": gettext_lazy("Visas för alla, t.ex. ”Nattvandring i Mölnlycke centrum”."),
            "place": gettext_lazy("Ett område eller en allmän plats."),
            "end_time": gettext_lazy("Före starttiden om det pågår över midnatt, t.ex. 21–02."),
        }
        error_messages = {
            "commitment": {"required": gettext_lazy("Välj vilket åtagande det gäller.")},
            "type": {"required": gettext_lazy("Välj typ av aktivitet.")},
            "title": {"required": gettext_lazy("Skriv en rubrik.")},
            "first_date": {
                "required": gettext_lazy("Ange första dagen."),
                "invalid": gettext_lazy("Skriv datumet som år-månad-dag, t.ex. 2026-06-05."),
            },
            "last_date": {
                "required": gettext_lazy("Ange sista dagen."),
                "invalid": gettext_lazy("Skriv datumet som år-månad-dag, t.ex. 2026-06-26."),
            },
            "start_time": {"invalid": gettext_lazy("Skriv tiden som tt:mm, t.ex. 21:00.")},
            "end_time": {"invalid": gettext_lazy("Skriv tiden som tt:mm, t.ex. 02:00.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The user's own current commitments, the last used first, as the quick log.
        commitments = commitments_for(user)
        self.fields["commitment"].load(commitments, commitment_label, _("Välj åtagande"))
        self.fields["type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["type"].empty_label = _("Välj typ")
        self.fields["organisations"].queryset = Organisation.objects.for_user(user).order_by(
            "kind", "name"
        )
        if not self.is_bound:
            self.initial.setdefault(
                "organisations",
                list(Organisation.objects.staff_of(user).values_list("pk", flat=True)),
            )
            if commitments and commitments[0].last_used:
                self.initial.setdefault("commitment", commitments[0].pk)

        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            widget.attrs["class"] = "ml-select" if isinstance(widget, forms.Select) else "ml-input"
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"
        # The dates share one hint, with the periods of the promises on offer; the
        # browser's date picker keeps inside them (the model says so anyway).
        self.promises = sorted(
            {c.promise.pk: c.promise for c in commitments}.values(), key=lambda p: p.period_start
        )
        for name in ("first_date", "last_date"):
            attrs = self.fields[name].widget.attrs
            attrs["aria-describedby"] = "id_first_date-hint"
            if self.promises:
                attrs["min"] = min(p.period_start for p in self.promises).isoformat()
                attrs["max"] = max(p.period_end for p in self.promises).isoformat()

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["weekdays"])))

    def _post_clean(self):
        super()._post_clean()
        # The model's rules name the fields of the form: mark each field in error
        # and tie its message to it.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["class"] = f"{attrs.get('class', '')} ml-input--error".strip()
                described = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{described} id_{name}-error".strip()

    @property
    def occurrence_dates(self):
        return self.instance.dates() if self.is_valid() else []


def _preview(form: RecurringForm) -> dict:
    days = form.occurrence_dates
    return {
        "count": len(days),
        "summary": describe_dates(days, timezone.localdate()),
        "time_label": form.instance.time_label if days else "",
    }


def _context(form: RecurringForm, preview: dict | None) -> dict:
    return {"form": form, "preview": preview, "max_occurrences": MAX_OCCURRENCES}


@require_http_methods(["GET", "HEAD", "POST"])
@staff_who_log
def recurring(request: HttpRequest) -> HttpResponse:
    template = "personal/recurring.html"
    if request.method != "POST":
        form = RecurringForm(user=request.user)
        return render(request, template, _context(form, None))

    form = RecurringForm(request.POST, user=request.user)
    wants_preview = request.POST.get("action") == "preview"
    if request.htmx and wants_preview:
        # The live preview as the form changes: the preview region only.
        return render(
            request,
            f"{template}#preview",
            {**_context(form, _preview(form)), "live": True},
        )
    if wants_preview or not form.is_valid():
        return render(request, template, _context(form, _preview(form)))
    try:
        created = create_series(
            form.save(commit=False),
            user=request.user,
            organisations=form.cleaned_data["organisations"],
        )
    except PermissionDenied:
        form.add_error("commitment", _("Du kan inte logga på det åtagandet."))
        return render(request, template, _context(form, None))
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, template, _context(form, None))
    days = [a.date for a in created]
    messages.success(
        request,
        ngettext(
            "Skapade %(n)s planerat tillfälle: %(dates)s. Bekräfta det på startsidan när det "
            "är gjort.",
            "Skapade %(n)s planerade tillfällen: %(dates)s. Bekräfta vart och ett på "
            "startsidan när det är gjort.",
            len(days),
        )
        % {"n": len(days), "dates": describe_dates(days, timezone.localdate())},
    )
    return HttpResponseRedirect(reverse("personal:recurring"))
