"""Staff previews: a draft rendered with the public template, as residents would see it.

The previews live with the public pages because they are those pages; who may
see a draft is decided by the domain's ``.for_user()`` querysets and the
staff's view permissions. The staff admin only links here by URL name.
"""

from __future__ import annotations

import re

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from activities.models import Activity
from promises.models import FollowUp, Promise
from reports.files import report_activities

from .views import (
    activity_page_context,
    follow_up_page_context,
    promise_page_context,
    promises_for_pages,
)

_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


def render_preview(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    back_url: str,
    is_public: bool,
    public_url: str = "",
    publish_url: str = "",
    state: str = "",
) -> HttpResponse:
    """Render a public template and mark it as a preview, without changing its markup.

    The banner goes straight after ``<body>``, so that the page below it is
    exactly what the public page renders from the same template.
    """
    html = render_to_string(template, context, request=request)
    if not state:
        state = (
            _("Det här är publicerat och syns för alla.")
            if is_public
            else _("Det här är inte publicerat och syns inte för allmänheten.")
        )
    links = format_html('<a href="{}">{}</a>', back_url, _("Tillbaka till redigering"))
    if is_public and public_url:
        links = format_html(
            '{} · <a href="{}">{}</a>',
            links,
            public_url,
            _("Visa den publicerade sidan"),
        )
    publish = ""
    if publish_url:
        # A real form: POST with the CSRF token; the staff admin checks who may publish.
        publish = format_html(
            '<form method="post" action="{}" class="ml-preview-banner__form">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="ml-preview-banner__button">{}</button></form>',
            publish_url,
            get_token(request),
            _("Publicera"),
        )
    banner = format_html(
        '<div role="status" class="ml-preview-banner">{} {} {}{}</div>',
        _("Förhandsgranskning för personal."),
        state,
        links,
        publish,
    )
    html, found = _BODY_OPEN.subn(lambda m: m.group(0) + banner, html, count=1)
    if not found:
        html = banner + html
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _publish_url(request: HttpRequest, obj, permission: str, name: str) -> str:
    """Where "Publicera" posts, for a draft the user may change; "" otherwise."""
    if obj.status == obj.Status.PUBLISHED or not request.user.has_perm(permission):
        return ""
    return reverse(name, args=[obj.pk])


def _visible(request: HttpRequest, queryset, permission: str):
    if not request.user.has_perm(permission):
        raise Http404
    return queryset.for_user(request.user)


@require_safe
@never_cache
@staff_member_required
def promise_preview(request: HttpRequest, pk: int) -> HttpResponse:
    promise = get_object_or_404(
        _visible(request, promises_for_pages(), "promises.view_promise"), pk=pk
    )
    context = {
        # What the public page shows once the promise is published.
        **promise_page_context(
            promise.primary_municipality,
            promise,
            activities=Activity.objects.published(),
            preview=True,
        ),
        "is_preview": True,
    }
    return render_preview(
        request,
        "public/promise_detail.html",
        context,
        back_url=reverse("admin:promises_promise_change", args=[promise.pk]),
        is_public=promise.is_published,
        public_url=promise.get_absolute_url() if promise.is_published else "",
        publish_url=_publish_url(
            request, promise, "promises.change_promise", "admin:promises_promise_publish"
        ),
    )


@require_safe
@never_cache
@staff_member_required
def activity_preview(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(
        _visible(request, Activity.objects.all(), "activities.view_activity")
        .select_related("type", "commitment__promise", "commitment__target_activity_type")
        .prefetch_related("organisations", "commitment__promise__municipalities"),
        pk=pk,
    )
    promise: Promise = activity.commitment.promise
    context = {
        **activity_page_context(promise.primary_municipality, promise, activity),
        "is_preview": True,
    }
    return render_preview(
        request,
        "public/activity_detail.html",
        context,
        back_url=reverse("admin:activities_activity_change", args=[activity.pk]),
        is_public=activity.is_public,
        public_url=activity.get_absolute_url() if activity.is_public else "",
        state=_(
            "Aktiviteten är publicerad men syns inte för allmänheten förrän "
            "medborgarlöftet är publicerat."
        )
        if activity.status == Activity.Status.PUBLISHED and not promise.is_published
        else "",
        publish_url=_publish_url(
            request, activity, "activities.change_activity", "admin:activities_activity_publish"
        ),
    )


@require_safe
@never_cache
@staff_member_required
def follow_up_preview(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        _visible(request, FollowUp.objects.all(), "promises.view_followup"), pk=pk
    )
    promise = get_object_or_404(promises_for_pages(givers=True), pk=follow_up.promise_id)
    follow_up.promise = promise
    context = {
        **follow_up_page_context(
            promise.primary_municipality,
            promise,
            follow_up,
            activities=report_activities(follow_up),
            download_base=reverse("admin:promises_followup_report", args=[follow_up.pk, "x"])[:-1],
        ),
        "is_preview": True,
    }
    is_public = follow_up.is_published and promise.is_published
    return render_preview(
        request,
        "public/follow_up_detail.html",
        context,
        back_url=reverse("admin:promises_followup_change", args=[follow_up.pk]),
        is_public=is_public,
        public_url=reverse(
            "public:follow-up-detail",
            args=[promise.primary_municipality.slug, promise.slug, follow_up.pk],
        )
        if is_public
        else "",
        publish_url=_publish_url(
            request, follow_up, "promises.change_followup", "admin:promises_followup_publish"
        ),
    )
