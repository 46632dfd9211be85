"""The staff home (/personal/): my commitments, drafts to publish, planned work to confirm.

Every change is a POST with a CSRF token, on an activity looked up through
``Activity.objects.for_user``: another area's activity answers 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from activities import workflow
from activities.models import Activity

from .digests import read_unsubscribe_token
from .models import DigestSetting
from .overview import overview_for


class ConfirmDoneForm(forms.Form):
    """What a planned activity reached, if the staff member knows; both may be left as they are."""

    occasions = forms.IntegerField(
        label=gettext_lazy("Antal tillfällen"),
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={"min_value": gettext_lazy("Antalet tillfällen kan inte vara negativt.")},
    )
    people_reached = forms.IntegerField(
        label=gettext_lazy("Antal nådda personer"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "min_value": gettext_lazy("Antalet nådda personer kan inte vara negativt.")
        },
    )


def _may_change(user) -> bool:
    return user.has_perm("activities.change_activity")


def _home_url(section: str = "") -> str:
    return reverse("personal:home") + (f"#{section}" if section else "")


def _scoped_activity(request: HttpRequest, pk: int) -> Activity:
    if not _may_change(request.user):
        raise PermissionDenied
    return get_object_or_404(
        Activity.objects.for_user(request.user).select_related("commitment__promise"), pk=pk
    )


def _label(activity: Activity) -> str:
    return f"”{activity.title}” {date_format(activity.date)}"


@require_safe
@staff_member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "personal/home.html",
        {
            "overview": overview_for(request.user),
            "may_change": _may_change(request.user),
            "may_add": request.user.has_perm("activities.add_activity"),
            "wants_digest": DigestSetting.wanted_by(request.user),
        },
    )


@require_POST
@staff_member_required
def confirm_done(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _scoped_activity(request, pk)
    form = ConfirmDoneForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{_label(activity)}: {error}")
        return HttpResponseRedirect(_home_url("bekrafta"))
    try:
        workflow.confirm_done(
            activity,
            user=request.user,
            occasions=form.cleaned_data["occasions"],
            people_reached=form.cleaned_data["people_reached"],
        )
    except ValidationError as error:
        messages.error(request, f"{_label(activity)}: {' '.join(error.messages)}")
    else:
        messages.success(
            request, _("%(label)s är markerad som genomförd.") % {"label": _label(activity)}
        )
    return HttpResponseRedirect(_home_url("bekrafta"))


@require_POST
@staff_member_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _scoped_activity(request, pk)
    try:
        workflow.cancel(activity, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{_label(activity)}: {' '.join(error.messages)}")
    else:
        messages.success(
            request, _("%(label)s är markerad som inställd.") % {"label": _label(activity)}
        )
    return HttpResponseRedirect(_home_url("bekrafta"))


@require_POST
@staff_member_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _scoped_activity(request, pk)
    try:
        workflow.publish(activity, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{_label(activity)}: {' '.join(error.messages)}")
    else:
        messages.success(request, _("%(label)s är publicerad.") % {"label": _label(activity)})
    return HttpResponseRedirect(_home_url("utkast"))


@require_POST
@staff_member_required
def digest_choice(request: HttpRequest) -> HttpResponse:
    wants = request.POST.get("wants_digest") == "on"
    DigestSetting.choose(request.user, wants)
    messages.success(
        request,
        _("Du får veckobrevet varje måndag.")
        if wants
        else _("Du får inte längre veckobrevet. Du kan slå på det igen här."),
    )
    return HttpResponseRedirect(_home_url("veckobrev"))


# The link in the mail works without a login: the signed token names the user.
# Opening it (GET) only asks, since mail scanners open links; the button, or a
# mail program's one-click button (RFC 8058), POSTs. No CSRF token: a forged
# POST needs the signed token, and can do no more than turn the letter off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = read_unsubscribe_token(token)
    except BadSignature:
        return render(request, "personal/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        DigestSetting.choose(user, False)
        done = True
    return render(
        request, "personal/unsubscribe.html", {"done": done, "token": token, "person": user}
    )
