"""GET forms for the public pages: validated, and forgiving of bad input."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        if text.isascii() and text.isdigit():
            return municipalities.filter(code__startswith=text)
        # SQLite folds case for ASCII only: try the usual spellings as well.
        found = Q()
        for variant in {text, text.lower(), text.capitalize()}:
            found |= Q(name__icontains=variant)
        return municipalities.filter(found)
