"""Public pages. Everything shown here goes through the models' public querysets.

None of these views sets a cookie: no CSRF token, no session, no messages.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import partial
from itertools import groupby

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_htmx.http import push_url

from activities.models import Activity, OrganisationSum
from activities.progress import (
    NO_FOLLOW_UP,
    activity_counts,
    activity_value,
    latest_published_follow_up,
    latest_published_follow_ups,
    people_reached_of,
    people_totals,
    progress_for,
    progress_for_promises,
)
from promises.indicators import indicators_for_promise
from promises.models import (
    Abbreviation,
    ActivityType,
    Assessment,
    Commitment,
    District,
    FollowUp,
    Municipality,
    Organisation,
    Promise,
)
from reports.content import report_for_follow_up
from reports.views import file_status, report_response

from .caching import public_page
from .filters import SORT_NEWEST, ActivityFilter, quick_ranges
from .forms import MunicipalitySearchForm

ACTIVITIES_PER_PAGE = 20
UPCOMING_LIMIT = 10


# Who gives a promise, as components/promise_givers.html shows it.
GIVERS = ("police_areas", "signing_municipalities", "partners")


def promises_for_pages(*, givers: bool = True):
    """Promises with what their pages show of where they apply and, if asked, who gives them."""
    queryset = Promise.objects.prefetch_related(
        "municipalities",
        Prefetch("districts", queryset=District.objects.select_related("municipality")),
    )
    if givers:
        queryset = queryset.select_related("renews").prefetch_related(*GIVERS)
    return queryset


def published_promise(
    municipality_slug: str, promise_slug: str, *, givers: bool = False
) -> tuple[Municipality, Promise]:
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    promise = get_object_or_404(
        promises_for_pages(givers=givers).published().for_municipality(municipality),
        slug=promise_slug,
    )
    return municipality, promise


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    form = MunicipalitySearchForm(request.GET)
    published = Promise.objects.published().filter(municipalities=OuterRef("pk"))
    municipalities = form.filter(
        Municipality.objects.select_related("county__police_region")
        .annotate(
            has_promise=Exists(published),
            has_current=Exists(published.current()),
        )
        .order_by("county__code", "name")
    )
    municipalities = list(municipalities)
    counties = [
        (county, list(members))
        for county, members in groupby(municipalities, key=lambda m: m.county)
    ]
    return render(
        request,
        "public/home.html",
        {
            "form": form,
            "counties": counties,
            # Those with a published promise first: what most visitors look for.
            "with_promise": [m for m in municipalities if m.has_promise],
            "searched": bool(request.GET.get("q", "").strip()),
            "match_count": sum(len(members) for _, members in counties),
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
@public_page(reads_query=False)
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "public/about.html", _site_facts())


@require_safe
@public_page(reads_query=False)
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/accessibility.html",
        {
            **_site_facts(),
            "assessed_on": ACCESSIBILITY_ASSESSED_ON,
            "updated_on": ACCESSIBILITY_UPDATED_ON,
        },
    )


@require_safe
@public_page(reads_query=False)
def abbreviations(request: HttpRequest) -> HttpResponse:
    """The glossary: what the abbreviations in activity types and titles stand for."""
    return render(
        request,
        "public/abbreviation_list.html",
        {"abbreviations": list(Abbreviation.objects.order_by("term"))},
    )


def _verdict_summaries(promises: list[Promise]) -> dict[int, FollowUp]:
    """Each promise's commitments counted, and by the latest published follow-up's verdicts.

    Three queries for any number of promises. Returns those follow-ups by
    promise id (``latest_published_follow_ups``).
    """
    ids = [p.pk for p in promises]
    totals = dict(
        Commitment.objects.filter(promise_id__in=ids)
        .order_by()
        .values_list("promise_id")
        .annotate(n=Count("pk"))
    )
    latest = latest_published_follow_ups(promises)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Assessment.objects.filter(follow_up__in=latest.values())
        .order_by()
        .values("follow_up__promise_id", "verdict")
        .annotate(n=Count("pk"))
    ):
        counts[row["follow_up__promise_id"]][row["verdict"]] = row["n"]
    labels = dict(Assessment.Verdict.choices)
    for promise in promises:
        promise.commitment_total = totals.get(promise.pk, 0)
        promise.latest_follow_up = latest.get(promise.pk)
        found = counts.get(promise.pk, {})
        promise.verdict_summary = [
            (value, labels[value], found[value])
            for value in Assessment.Verdict.values
            if found.get(value)
        ]
        promise.unassessed = promise.commitment_total - sum(found.values())
    return latest


@require_safe
@public_page(reads_query=False)
def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    """Every published promise that applies here: current first, grouped by district."""
    municipality = get_object_or_404(
        Municipality.objects.select_related("county__police_region"), slug=municipality
    )
    # Only what this page shows of where they apply: their districts, in a
    # list rather than a manager's queryset per promise (a city has dozens).
    promises = list(
        Promise.objects.published()
        .for_municipality(municipality)
        .prefetch_related(
            Prefetch(
                "districts",
                queryset=District.objects.select_related("municipality"),
                to_attr="district_list",
            )
        )
        .order_by("-period_start", "title")
    )
    follow_ups = _verdict_summaries(promises)
    today = timezone.localdate()
    current = [p for p in promises if p.is_current(today)]
    upcoming = [p for p in promises if not p.has_started(today)]
    earlier = [p for p in promises if p.has_ended(today)]
    # The commitments in brief for the promises in force, or the latest one
    # when none is: what a resident who looks up the municipality asks first.
    featured = current or earlier[:1]
    # Who gives them and their focus, too; the other earlier promises in short
    # (their follow-up), as a big city has dozens of them.
    detailed = current + upcoming + ([] if current else featured)
    prefetch_related_objects(detailed, *GIVERS)
    detailed_ids = {promise.pk for promise in detailed}
    for promise in promises:
        promise.shows_givers = promise.pk in detailed_ids
    # One set of queries for all of them: a city has many district promises in force.
    # The totals only: the brief shows no months, latest activity or years.
    briefs = progress_for_promises(
        featured,
        today=today,
        with_months=False,
        with_latest=False,
        with_years=False,
        follow_ups=follow_ups,
    )
    for promise in featured:
        promise.brief = briefs[promise.pk]
    return render(
        request,
        "public/municipality_detail.html",
        {
            "municipality": municipality,
            "police_areas": municipality.police_areas.all(),
            "sections": [
                (_("Gäller nu"), _group_by_district(current, municipality), "current"),
                (_("Kommande"), _group_by_district(upcoming, municipality), "upcoming"),
                (_("Tidigare"), _group_by_district(earlier, municipality), "earlier"),
            ],
            "has_promises": bool(promises),
            "no_current": bool(promises) and not current,
            "shows_examples": any(p.is_example for p in promises)
            or any(row.example_activities for p in featured for row in p.brief),
        },
    )


def _group_by_district(promises: list[Promise], municipality: Municipality) -> list[dict]:
    """The promises by district (None: the whole municipality first), with heading levels.

    A group gets its own heading when there are districts to tell apart; the
    promises' headings go one level below it.
    """
    groups: dict = {}
    for promise in promises:
        here = [d for d in promise.district_list if d.municipality_id == municipality.pk]
        for key in here or [None]:
            groups.setdefault(key, []).append(promise)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is not None, str(item[0] or "")))
    headed = len(ordered) > 1 or any(district is not None for district, _ in ordered)
    return [
        {"district": district, "promises": items, "headed": headed, "level": 4 if headed else 3}
        for district, items in ordered
    ]


def promise_page_context(
    municipality: Municipality,
    promise: Promise,
    *,
    activities=None,
    follow_up=None,
    preview: bool = False,
) -> dict:
    """What the promise page shows; also used by the staff preview of a draft.

    ``activities`` None: the public work (the figures from the monthly sums).
    """
    commitments = list(
        promise.commitments.select_related("target_activity_type", "priority_area")
        .prefetch_related("parties")
        # Grouped under their priority areas, those without one first.
        .order_by(F("priority_area__position").asc(nulls_first=True), "position", "pk")
    )
    if follow_up is None:
        follow_up = latest_published_follow_up(promise)
    progress = progress_for(
        promise, commitments, activities=activities, follow_up=follow_up or NO_FOLLOW_UP
    )
    rows = [progress[c.pk] for c in commitments]
    groups = [
        (area, list(items))
        for area, items in groupby(rows, key=lambda p: p.commitment.priority_area)
    ]
    upcoming = list(
        (Activity.objects.public() if activities is None else activities)
        .for_promise(promise)
        .upcoming()
        .select_related("type", "commitment")[:UPCOMING_LIMIT]
    )
    labels = dict(Assessment.Verdict.choices)
    verdicts = [p.assessment.verdict for p in rows if p.assessment is not None]
    return {
        "municipality": municipality,
        "promise": promise,
        "contacts": list(promise.contacts.all()),
        "renewals": list(promise.renewals.published()),
        "follow_up_summary": [
            (value, labels[value], verdicts.count(value))
            for value in Assessment.Verdict.values
            if value in verdicts
        ],
        "rows": rows,
        "groups": groups,
        "has_priority_areas": any(area is not None for area, _items in groups),
        "follow_up": follow_up,
        "upcoming": upcoming,
        # Outcomes, shown apart from the work done.
        "indicator_series": indicators_for_promise(promise, public=not preview),
        "today": timezone.localdate(),
        "shows_examples": promise.is_example
        or any(p.example_activities for p in progress.values()),
    }


@require_safe
@public_page(reads_query=False)
def promise_detail(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = published_promise(municipality, promise, givers=True)
    return render(
        request, "public/promise_detail.html", promise_page_context(municipality, promise)
    )


COMMITMENT_TIMELINE_LIMIT = 50


@require_safe
@public_page(reads_query=False)
def commitment_detail(
    request: HttpRequest, municipality: str, promise: str, commitment: str
) -> HttpResponse:
    municipality, promise = published_promise(municipality, promise)
    commitment = get_object_or_404(
        Commitment.objects.select_related("target_activity_type", "priority_area"),
        promise=promise,
        slug=commitment,
    )
    commitment.promise = promise
    progress = progress_for(promise, [commitment], with_latest=False)[commitment.pk]
    public = Activity.objects.public().filter(commitment=commitment)
    # The newest activities only: a commitment can gather thousands over a
    # period, and the paginated activities page lists them all.
    activities = list(
        public.done()
        .select_related("type")
        .prefetch_related("organisations")
        .order_by("-date", "-pk")[:COMMITMENT_TIMELINE_LIMIT]
    )
    for activity in activities:
        activity.counts = activity_counts(commitment, activity)
    return render(
        request,
        "public/commitment_detail.html",
        {
            "municipality": municipality,
            "promise": promise,
            "commitment": commitment,
            "parties": list(commitment.parties.all()),
            "progress": progress,
            "activities": activities,
            "upcoming": list(public.upcoming().select_related("type")[:UPCOMING_LIMIT]),
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
@public_page
def activity_list(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = published_promise(municipality, promise)
    # What was done: planned work is shown as upcoming on the promise page.
    public = Activity.objects.public().done().for_promise(promise)
    commitments = list(
        promise.commitments.select_related("target_activity_type").order_by("position", "pk")
    )
    # EXISTS per choice: a few index probes instead of a DISTINCT over every
    # public activity of the promise (see docs/performance.md).
    types = list(ActivityType.objects.filter(Exists(public.filter(type=OuterRef("pk")))))
    # The organisations from their sums per commitment (activities.summaries):
    # joining every activity of a busy promise to its organisations took
    # 20 ms at national scale.
    organisations = list(
        Organisation.objects.filter(
            Exists(
                OrganisationSum.objects.public().filter(
                    commitment__promise=promise, organisation=OuterRef("pk"), done__gt=0
                )
            )
        )
    )
    activity_filter = ActivityFilter(
        request.GET,
        public,
        promise=promise,
        commitments=commitments,
        types=types,
        organisations=organisations,
    )
    filtered = activity_filter.qs
    shown = filtered.select_related("type", "commitment").prefetch_related("organisations")
    summed = _one_organisations_sums(activity_filter.form.usable(), promise)
    if summed is not None:
        totals, commitment_ids = summed
        paginator = _CountedPaginator(
            shown,
            ACTIVITIES_PER_PAGE,
            count=totals["count"],
            find_ids=partial(_merged_ids, filtered, commitment_ids),
        )
    else:
        paginator, totals = _CountedPaginator.with_totals(
            filtered,
            shown,
            ACTIVITIES_PER_PAGE,
            totals=_list_totals(),
            number=request.GET.get("sida"),
        )
    # Unknown, not 0, where no listed activity counted the people it reached.
    totals["people"] = people_reached_of(totals, totals["count"])
    page = paginator.get_page(request.GET.get("sida"))
    query = _clean_query(request.GET)
    context = {
        "municipality": municipality,
        "promise": promise,
        "form": activity_filter.form,
        "quick_links": _quick_links(request.GET, activity_filter.form.usable()),
        # Valid values only: a date input may not show what a bad link sent.
        "chosen": activity_filter.form.usable(),
        "page": page,
        "paginator": paginator,
        "totals": totals,
        "query": query,
        "shows_examples": promise.is_example or totals["examples"],
    }
    context["page_range"] = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    context["ellipsis"] = paginator.ELLIPSIS
    template = "public/activity_list.html"
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


def _quick_links(params, values: dict) -> list[dict]:
    """Links that set the period to one of quick_ranges(), keeping the other filters.

    A year or month chosen in the lists would narrow the period again, so the
    link leaves them out; the one whose period is shown is marked current.
    """
    links = []
    for quick in quick_ranges(timezone.localdate()):
        query = QueryDict(_clean_query(params), mutable=True)
        for key in ("fran", "till", "ar", "manad"):
            query.pop(key, None)
        query["fran"] = quick.start.isoformat()
        query["till"] = quick.end.isoformat()
        links.append(
            {
                "label": quick.label,
                "query": query.urlencode(),
                "current": (values.get("fran"), values.get("till")) == (quick.start, quick.end)
                and not values.get("ar")
                and not values.get("manad"),
            }
        )
    return links


def _list_totals() -> dict:
    """The activities page's totals over every listed activity, by name."""
    return {
        "count": Count("pk"),
        "occasions": Coalesce(Sum("occasions"), 0),
        "examples": Count("pk", filter=Q(is_example=True)),
        **people_totals(),
    }


def _one_organisations_sums(values: dict, promise: Promise) -> tuple[dict, list[int]] | None:
    """The totals of one organisation's work (in some commitments), from its sums.

    For a list filtered by one organisation and nothing else but commitments
    and the order: its totals as ``_list_totals`` names them, and the
    commitments that hold any of it. None for any other list. A busy promise's
    thousands of activities are otherwise each looked up among the
    organisations' links, for the totals as for a page.
    """
    chosen = {name for name in values if name != "sortering"}
    if len(values.get("organisation", ())) != 1 or not chosen <= {"organisation", "atagande"}:
        return None
    sums = OrganisationSum.objects.public().filter(
        commitment__promise=promise, organisation_id=values["organisation"][0], done__gt=0
    )
    if values.get("atagande"):
        sums = sums.filter(commitment__slug__in=values["atagande"])
    rows = list(
        sums.values(
            "commitment_id", "done", "occasions", "people_reached", "people_unknown", "examples"
        )
    )
    totals = {
        "count": sum(row["done"] for row in rows),
        "occasions": sum(row["occasions"] for row in rows),
        "examples": sum(row["examples"] for row in rows),
        "people": sum(row["people_reached"] for row in rows),
        "people_known": sum(row["done"] - row["people_unknown"] for row in rows),
    }
    return totals, sorted(row["commitment_id"] for row in rows)


def _merged_ids(rows, commitment_ids: list[int], start: int, stop: int) -> list[int]:
    """The ids of ``rows[start:stop]``, merged from the lists of its commitments.

    Each commitment's work lies in date order in the index
    (``activity_public_list``): PostgreSQL walks the lists side by side and
    stops at ``stop`` (a merge of their ``UNION ALL``), where sorting the
    whole list needs every row. Elsewhere, or for one commitment, the list's
    own slice.
    """
    order = rows.query.order_by
    if len(commitment_ids) < 2 or not connection.features.supports_slicing_ordering_in_compound:
        return list(rows.values_list("pk", flat=True)[start:stop])
    parts = [
        rows.filter(commitment_id=commitment_id).order_by(*order).values_list("pk", "date")[:stop]
        for commitment_id in commitment_ids
    ]
    merged = parts[0].union(*parts[1:], all=True).order_by(*order)
    return [pk for pk, _date in merged[start:stop]]


def _over_all_rows(aggregate):
    """An aggregate as a window over every row of the query (``OVER ()``).

    A ``Coalesce`` default is applied outside the window, which cannot hold it.
    """
    if isinstance(aggregate, Coalesce):
        inner, *defaults = aggregate.get_source_expressions()
        return Coalesce(Window(inner), *defaults)
    return Window(aggregate)


class _CountedPaginator(Paginator):
    """A paginator told its count, by the query that sums the same activities anyway.

    A page is read in two steps: the ids of its activities in the list's
    order, then those activities. PostgreSQL finds the ids of a busy promise's
    newest work from the index alone (``activity_public_list``), where sorting
    the whole rows of its thousands of activities for one page read each of
    them from the table (docs/performance.md).

    ``with_totals`` reads a page's ids and the list's totals in one query,
    the totals as windows over every row: where the list must look past the
    index to find its rows (activities done by an organisation, a text
    search) that is one search for them instead of two.
    """

    def __init__(self, object_list, per_page, *, count: int, page_ids=None, find_ids=None) -> None:
        super().__init__(object_list, per_page)
        self._count = count
        # (number, ids): a page's ids read already, with the totals.
        self._page_ids = page_ids
        # find_ids(start, stop): the ids of the list's [start:stop], found another way.
        self._find_ids = find_ids

    @classmethod
    def with_totals(cls, rows, object_list, per_page, *, totals: dict, number):
        """The paginator of ``object_list`` and the totals of ``rows`` (the same list, bare).

        ``number`` is the page asked for, as ``get_page`` takes it. The totals
        come with the page's ids; only a page past the end, or one that is
        not a positive number (``get_page`` shows the last page), sums the
        list on its own.
        """
        try:
            number = int(number) if number is not None else 1
        except (TypeError, ValueError):
            number = 1  # as get_page: not a number, the first page
        found = []
        if number >= 1:
            start = (number - 1) * per_page
            windows = {f"total_{name}": _over_all_rows(expr) for name, expr in totals.items()}
            found = list(
                rows.annotate(**windows).values_list("pk", *windows)[start : start + per_page]
            )
        if found:
            values = dict(zip(totals, found[0][1:], strict=True))
            ids = [row[0] for row in found]
            return cls(object_list, per_page, count=values["count"], page_ids=(number, ids)), values
        # Nothing on the first page: nothing listed, no need to look again.
        values = (rows.none() if number == 1 else rows).aggregate(**totals)
        return cls(object_list, per_page, count=values["count"]), values

    @cached_property
    def count(self) -> int:
        return self._count

    def _get_page(self, object_list, number, paginator):
        if isinstance(object_list, QuerySet):
            if self._page_ids and self._page_ids[0] == number:
                ids = self._page_ids[1]
            elif self._find_ids:
                start = (number - 1) * self.per_page
                ids = self._find_ids(start, start + self.per_page)
            else:
                ids = list(object_list.values_list("pk", flat=True))
            object_list = self.object_list.in_order_of(ids)
        return super()._get_page(object_list, number, paginator)


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
        if key == "sortering" and values == [SORT_NEWEST]:
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
        "changed_on": activity.changed_on(),
    }


@require_safe
@public_page(reads_query=False)
def activity_detail(request: HttpRequest, municipality: str, promise: str, pk: int) -> HttpResponse:
    municipality, promise = published_promise(municipality, promise)
    activity = get_object_or_404(
        Activity.objects.public()
        .for_promise(promise)
        .select_related("type", "commitment__target_activity_type")
        .prefetch_related("organisations"),
        pk=pk,
    )
    return render(
        request,
        "public/activity_detail.html",
        activity_page_context(municipality, promise, activity),
    )


def _published_follow_up(municipality: str, promise: str, pk: int):
    municipality, promise = published_promise(municipality, promise, givers=True)
    follow_up = get_object_or_404(FollowUp.objects.published().filter(promise=promise), pk=pk)
    follow_up.promise = promise
    return municipality, promise, follow_up


def follow_up_page_context(
    municipality, promise, follow_up, *, activities=None, download_base: str = ""
) -> dict:
    """What the follow-up's report page shows; also used by the staff preview of a draft.

    ``download_base`` is the address the format is appended to ("…/rapport.").
    """
    if not download_base:
        download_base = reverse(
            "public:follow-up-report", args=[municipality.slug, promise.slug, follow_up.pk, "x"]
        )[:-1]
    return {
        "municipality": municipality,
        "promise": promise,
        "follow_up": follow_up,
        "report": report_for_follow_up(follow_up, activities=activities),
        "ready": file_status(follow_up),
        "download_base": download_base,
    }


@require_safe
@public_page(reads_query=False)
def follow_up_detail(
    request: HttpRequest, municipality: str, promise: str, pk: int
) -> HttpResponse:
    municipality, promise, follow_up = _published_follow_up(municipality, promise, pk)
    return render(
        request,
        "public/follow_up_detail.html",
        follow_up_page_context(municipality, promise, follow_up),
    )


@require_safe
def follow_up_report(
    request: HttpRequest, municipality: str, promise: str, pk: int, fmt: str
) -> HttpResponse:
    _municipality, _promise, follow_up = _published_follow_up(municipality, promise, pk)
    return report_response(request, follow_up, fmt, staff=False)
