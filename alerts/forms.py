"""The subscribe form: an address and how often, nothing else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subscription, normalize_email


class SubscribeForm(forms.Form):
    epost = forms.EmailField(
        label=_("Din e-postadress"),
        max_length=254,
        error_messages={
            "required": _("Skriv din e-postadress."),
            "invalid": _("Skriv e-postadressen i formen namn@exempel.se."),
            "max_length": _("E-postadressen får vara högst 254 tecken lång."),
        },
    )
    frekvens = forms.ChoiceField(
        label=_("Hur ofta vill du få e-post?"),
        choices=Subscription.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj hur ofta du vill få e-post."),
            "invalid_choice": _("Välj hur ofta du vill få e-post."),
        },
    )

    def clean_epost(self) -> str:
        return normalize_email(self.cleaned_data["epost"])
