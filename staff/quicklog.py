"""The quick log: one activity from a phone in a few taps, or a week's in one table.

Outside the admin, but behind the admin's login (and so its lockout), CSRF
and the organisation scoping of ``Commitment.objects.for_user(user)``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods

from activities import summaries
from activities.models import Activity
from promises.models import ActivityType, Organisation

from .decorators import staff_who_log
from .forms import (
    MAX_WEEK_ROWS,
    QuickLogForm,
    again_initial,
    commitments_for,
    initial_from,
    places_for,
    rows_asked_for,
    week_formset,
)


def _saved_message(request: HttpRequest, activity: Activity) -> None:
    link = reverse("admin:activities_activity_change", args=[activity.pk])
    if activity.status == Activity.Status.PUBLISHED:
        text = gettext("Aktiviteten ”%(title)s” (%(date)s) är sparad och publicerad.")
    else:
        text = gettext(
            "Aktiviteten ”%(title)s” (%(date)s) är sparad som utkast. "
            "Den visas på webbplatsen när den har publicerats."
        )
    messages.success(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            text % {"title": activity.title, "date": date_format(activity.date)},
            link,
            gettext("Öppna aktiviteten i administrationen"),
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_who_log
def quick_log(request: HttpRequest) -> HttpResponse:
    commitments = commitments_for(request.user)
    template = "personal/quick_log.html"
    if not commitments:
        return render(request, template, {"form": None})
    today = timezone.localdate()
    again = False
    if request.method == "POST" and "valj" not in request.POST:
        form = QuickLogForm(request.POST, user=request.user, commitments=commitments)
        if form.is_valid():
            with transaction.atomic():
                activity = form.save()
            _saved_message(request, activity)
            query = urlencode({**again_initial(activity), "igen": "1"}, doseq=True)
            return HttpResponseRedirect(f"{reverse('personal:quick-log')}?{query}")
    else:
        # "Välj" (without JavaScript) or htmx after another commitment was
        # picked, or ”Logga en till”: the same form again, with what it had.
        data = request.POST if request.method == "POST" else request.GET
        initial = initial_from(data, today)
        if "valj" in data:
            # Another commitment: its own most used type, as with htmx.
            initial.pop("type", None)
        # Other pages may link here with ?commitment=… too: only a save says ”en till”.
        again = request.method == "GET" and "igen" in request.GET
        form = QuickLogForm(initial=initial, user=request.user, commitments=commitments)
    if request.htmx and request.method == "GET" and not request.htmx.history_restore_request:
        template += "#commitment-fields"
    response = render(request, template, {"form": form, "again": again})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
@staff_who_log
def week_log(request: HttpRequest) -> HttpResponse:
    user = request.user
    commitments = commitments_for(user)
    template = "personal/week_log.html"
    if not commitments:
        return render(request, template, {"formset": None})
    today = timezone.localdate()
    form_kwargs = {
        "user": user,
        "commitments": commitments,
        "types": list(ActivityType.objects.filter(is_active=True)),
        "organisations": list(Organisation.objects.staff_of(user)),
        "today": today,
    }
    rows = rows_asked_for(request.GET.get("rader"))
    formset = week_formset(rows)(
        request.POST if request.method == "POST" else None, form_kwargs=form_kwargs
    )
    nothing_filled = False
    if request.method == "POST" and formset.is_valid():
        filled = formset.filled_forms()
        if filled:
            # All rows or none: one failing row leaves nothing half written.
            with transaction.atomic(), summaries.deferred():
                saved = [form.save() for form in filled]
            status = saved[0].get_status_display().lower()
            messages.success(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "%(count)d aktivitet är sparad (%(status)s).",
                        "%(count)d aktiviteter är sparade (%(status)s).",
                        len(saved),
                    )
                    % {"count": len(saved), "status": status},
                    reverse("admin:activities_activity_changelist"),
                    gettext("Se aktiviteterna i administrationen"),
                ),
            )
            return HttpResponseRedirect(reverse("personal:week-log"))
        nothing_filled = True
    status = Activity.initial_status_for(user)
    context = {
        "formset": formset,
        "commitments": commitments,
        "places": places_for(commitments),
        "publishes_at_once": status == Activity.Status.PUBLISHED,
        "nothing_filled": nothing_filled,
        "more_rows": min(rows * 2, MAX_WEEK_ROWS) if rows < MAX_WEEK_ROWS else None,
    }
    return render(request, template, context)
