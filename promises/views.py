"""Public pages. Everything shown here goes through the models' public querysets.

None of these views sets a cookie: no CSRF token, no session, no messages.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from activities.models import Activity, ActivityType

from .forms import ActivityFilterForm, MunicipalitySearchForm
from .models import Commitment, Municipality, Organisation, Promise
from .progress import activity_counts, activity_value, progress_for

ACTIVITIES_PER_PAGE = 20


def _published_promise(municipality_slug: str, promise_slug: str) -> tuple[Municipality, Promise]:
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    promise = get_object_or_404(
        Promise.objects.published()
        .for_municipality(municipality)
        .select_related("police_area__region")
        .prefetch_related("municipalities"),
        slug=promise_slug,
    )
    return municipality, promise


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    form = MunicipalitySearchForm(request.GET)
    current = Promise.objects.published().current().filter(municipalities=OuterRef("pk"))
    municipalities = form.filter(
        Municipality.objects.with_published_promise()
        .select_related("police_area__region")
        .annotate(has_current=Exists(current))
        .order_by("police_area__region__name", "name")
    )
    regions = [
        (region, list(members))
        for region, members in groupby(municipalities, key=lambda m: m.police_area.region)
    ]
    return render(
        request,
        "promises/home.html",
        {
            "form": form,
            "regions": regions,
            "searched": bool(request.GET.get("q", "").strip()),
            "match_count": sum(len(members) for _, members in regions),
        },
    )


# The accessibility statement's dates: update them with each new assessment.
ACCESSIBILITY_ASSESSED_ON = date(2026, 11, 24)
ACCESSIBILITY_UPDATED_ON = date(2026, 11, 24)


def _site_facts() -> dict:
    return {
        "site_owner": settings.SITE_OWNER
        or _("lokalpolisområdena och kommunerna som publicerar sina medborgarlöften här"),
        "feedback_email": settings.FEEDBACK_EMAIL,
    }


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "promises/about.html", _site_facts())


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "promises/accessibility.html",
        {
            **_site_facts(),
            "assessed_on": ACCESSIBILITY_ASSESSED_ON,
            "updated_on": ACCESSIBILITY_UPDATED_ON,
        },
    )


@require_safe
def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.select_related("police_area__region"), slug=municipality
    )
    promises = list(
        Promise.objects.published()
        .for_municipality(municipality)
        .select_related("police_area")
        .prefetch_related("municipalities")
        .order_by("-period_start")
    )
    if not promises:
        raise Http404
    today = timezone.localdate()
    featured = next((p for p in promises if p.is_current(today)), None)
    is_current = featured is not None
    if featured is None:
        # No promise is current: show the latest that has started, else the next one.
        featured = next((p for p in promises if p.period_start <= today), promises[-1])
    earlier = [p for p in promises if p is not featured]
    # Each promise's commitments counted by the staff's assessment, one query for all.
    outcomes: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Commitment.objects.filter(promise__in=promises)
        .order_by()
        .values("promise_id", "outcome")
        .annotate(n=Count("pk"))
    ):
        outcomes[row["promise_id"]][row["outcome"]] = row["n"]
    labels = dict(Commitment.Outcome.choices)
    for promise in promises:
        counts = outcomes.get(promise.pk, {})
        promise.commitment_total = sum(counts.values())
        promise.outcome_summary = [
            (value, labels[value], counts[value])
            for value in Commitment.Outcome.values
            if value and counts.get(value)
        ]
        promise.unassessed = counts.get("", 0) + counts.get(None, 0)
    commitments = list(
        featured.commitments.select_related("target_activity_type").order_by("position", "pk")
    )
    progress = progress_for(
        featured, commitments, today=today, with_months=False, with_latest=False
    )
    return render(
        request,
        "promises/municipality_detail.html",
        {
            "municipality": municipality,
            "featured": featured,
            "is_current": is_current,
            "earlier": earlier,
            "rows": [progress[c.pk] for c in commitments],
            "shows_examples": featured.is_example
            or any(p.example_activities for p in progress.values()),
        },
    )


def promise_page_context(municipality: Municipality, promise: Promise, *, activities=None) -> dict:
    """What the promise page shows; also used by the staff preview of a draft."""
    commitments = list(
        promise.commitments.select_related("target_activity_type").order_by("position", "pk")
    )
    progress = progress_for(promise, commitments, activities=activities)
    return {
        "municipality": municipality,
        "promise": promise,
        "contacts": list(promise.contacts.all()),
        "rows": [progress[c.pk] for c in commitments],
        "shows_examples": promise.is_example
        or any(p.example_activities for p in progress.values()),
    }


@require_safe
def promise_detail(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    return render(
        request, "promises/promise_detail.html", promise_page_context(municipality, promise)
    )


COMMITMENT_TIMELINE_LIMIT = 100


@require_safe
def commitment_detail(
    request: HttpRequest, municipality: str, promise: str, commitment: str
) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    commitment = get_object_or_404(
        Commitment.objects.select_related("target_activity_type"), promise=promise, slug=commitment
    )
    progress = progress_for(promise, [commitment], with_latest=False)[commitment.pk]
    public = Activity.objects.public().filter(commitment=commitment)
    # The newest activities only: a commitment can gather thousands over a
    # period, and the paginated activities page lists them all.
    activities = list(
        public.select_related("type")
        .prefetch_related("organisations")
        .order_by("-date", "-pk")[:COMMITMENT_TIMELINE_LIMIT]
    )
    for activity in activities:
        activity.counts = activity_counts(commitment, activity)
    return render(
        request,
        "promises/commitment_detail.html",
        {
            "municipality": municipality,
            "promise": promise,
            "commitment": commitment,
            "progress": progress,
            "activities": activities,
            "not_shown": progress.all_activities - len(activities),
            # The commitment changes for residents whenever one of its public
            # activities does, not only when its own text is edited.
            "last_changed": max(filter(None, [commitment.updated_at, progress.latest_change])),
            "timeline": [
                (year, list(items))
                for year, items in groupby(activities, key=lambda a: a.date.year)
            ],
            "shows_examples": promise.is_example or progress.example_activities,
        },
    )


@require_safe
def activity_list(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    public = Activity.objects.public().filter(commitment__promise=promise)
    commitments = list(
        promise.commitments.select_related("target_activity_type").order_by("position", "pk")
    )
    # EXISTS per choice: a few index probes instead of a DISTINCT over every
    # public activity of the promise (see docs/performance.md).
    types = list(ActivityType.objects.filter(Exists(public.filter(type=OuterRef("pk")))))
    organisations = list(
        Organisation.objects.filter(Exists(public.filter(organisations=OuterRef("pk"))))
    )
    form = ActivityFilterForm(
        request.GET,
        promise=promise,
        commitments=commitments,
        types=types,
        organisations=organisations,
    )
    filtered = form.filter(public)
    totals = filtered.aggregate(
        occasions=Coalesce(Sum("occasions"), 0),
        people=Coalesce(Sum("people_reached"), 0),
        examples=Count("pk", filter=Q(is_example=True)),
    )
    paginator = Paginator(
        filtered.select_related("type", "commitment").prefetch_related("organisations"),
        ACTIVITIES_PER_PAGE,
    )
    page = paginator.get_page(request.GET.get("sida"))
    query = _clean_query(request.GET)
    context = {
        "municipality": municipality,
        "promise": promise,
        "form": form,
        "page": page,
        "paginator": paginator,
        "totals": totals,
        "query": query,
        "shows_examples": promise.is_example or totals["examples"],
    }
    context["page_range"] = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    context["ellipsis"] = paginator.ELLIPSIS
    template = "promises/activity_list.html"
    # htmx asks for a fragment; a history restore (back after a reload) needs the full page.
    push = None
    if request.htmx and not request.htmx.history_restore_request:
        if request.htmx.target == "ml-activity-items":
            # "Visa fler": the next page's items, appended below those shown.
            # The address becomes that page's, so a reload or a shared link
            # shows where the reader is (the page, with its pagination).
            template += "#more-fragment"
            context["shown_from"] = 1
            push = _clean_query(request.GET, page=page.number)
        else:
            template += "#results-fragment"
            push = query
        context["fragment"] = True
    response = render(request, template, context)
    if push is not None:
        # The address htmx shows: without the form's empty and default fields.
        push_url(response, f"{request.path}?{push}" if push else request.path)
    return _vary_on_htmx(response)


def _clean_query(params, *, page: int | None = None) -> str:
    """The activities page's query string with only the parameters that say something.

    Empty fields and the default sort order are left out; the page number only
    when asked for and not the first.
    """
    clean = QueryDict(mutable=True)
    for key, values in params.lists():
        if key == "sida":
            continue
        values = [value for value in values if value.strip()]
        if key == "sortering" and values == [ActivityFilterForm.SORT_NEWEST]:
            continue
        if values:
            clean.setlist(key, values)
    if page and page > 1:
        clean["sida"] = str(page)
    return clean.urlencode()


def activity_page_context(municipality: Municipality, promise: Promise, activity) -> dict:
    """What the activity page shows; also used by the staff preview of a draft."""
    commitment = activity.commitment
    return {
        "municipality": municipality,
        "promise": promise,
        "commitment": commitment,
        "activity": activity,
        "counts": activity_counts(commitment, activity),
        "counted_value": activity_value(commitment, activity),
    }


@require_safe
def activity_detail(request: HttpRequest, municipality: str, promise: str, pk: int) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    activity = get_object_or_404(
        Activity.objects.public()
        .filter(commitment__promise=promise)
        .select_related("type", "commitment__target_activity_type")
        .prefetch_related("organisations"),
        pk=pk,
    )
    return render(
        request,
        "promises/activity_detail.html",
        activity_page_context(municipality, promise, activity),
    )
