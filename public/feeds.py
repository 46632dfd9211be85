"""Atom and iCalendar feeds of the public work.

Built only from the public querysets, like the pages: never a draft, never an
unpublished promise, never an internal note. No feed sets a cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from activities.models import Activity
from promises.models import Commitment, FollowUp, Municipality, Promise

from . import ical
from .views import published_promise

FEED_LIMIT = 50
CALENDAR_LIMIT = 200
# The date in the tag: URIs (RFC 4151) that identify entries; never change it,
# or every reader sees every entry as new.
TAG_DATE = "2026"


def _host(request: HttpRequest) -> str:
    """The site's host name, without a port, for tag: URIs and calendar UIDs."""
    return urlsplit(f"//{request.get_host()}").hostname or "localhost"


def _tag(request: HttpRequest, specific: str) -> str:
    return f"tag:{_host(request)},{TAG_DATE}:{specific}"


@dataclass
class _Scope:
    """What a feed is about, and what its items need to know of the request."""

    request: HttpRequest
    municipality: Municipality
    promise: Promise | None = None
    commitment: Commitment | None = None
    title: str = ""
    subtitle: str = ""
    link: str = ""


class _AtomFeed(Feed):
    # One instance serves every request: what a request needs travels in the
    # _Scope that get_object() returns, never on self.
    # Feed.language is left unset: Django then uses the active language, "sv",
    # or "en" under /en/.
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def title(self, scope: _Scope) -> str:
        return scope.title

    def author_name(self, scope: _Scope) -> str:
        # Atom 1.0 requires an author for the feed (RFC 4287, 4.1.1): the site.
        return _("Medborgarlöften")

    def subtitle(self, scope: _Scope) -> str:
        return scope.subtitle

    def link(self, scope: _Scope) -> str:
        return scope.link

    def feed_guid(self, scope: _Scope) -> str:
        return _tag(scope.request, f"flode:{scope.request.path}")

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at


class _ActivityFeed(_AtomFeed):
    """Done, public activities, the most recently logged or changed first."""

    def activities(self, scope: _Scope):
        raise NotImplementedError

    def items(self, scope: _Scope):
        done = self.activities(scope).done()
        # The ids first, from the index alone (activity_done_by_change), then
        # the 50 rows: sorting a big municipality's whole rows took 70–120 ms.
        ids = list(done.order_by("-updated_at", "-pk").values_list("pk", flat=True)[:FEED_LIMIT])
        activities = done.select_related("commitment__promise", "type").in_order_of(ids)
        for activity in activities:
            activity.feed_scope = scope
        return activities

    def item_title(self, item: Activity) -> str:
        return f"{item.tr('title')} ({date_format(item.date)})"

    def item_link(self, item: Activity) -> str:
        return item.get_absolute_url(item.feed_scope.municipality)

    def item_guid(self, item: Activity) -> str:
        return _tag(item.feed_scope.request, f"aktivitet:{item.pk}")

    def item_description(self, item: Activity) -> str:
        # The summary is HTML: the public description, escaped, then the facts.
        description = item.tr("description")
        parts = [linebreaks(description, autoescape=True)] if description else []
        facts = [item.type.tr("name")]
        if item.place:
            facts.append(item.place)
        facts.append(
            ngettext("%(n)s tillfälle", "%(n)s tillfällen", item.occasions) % {"n": item.occasions}
        )
        # Only a number someone counted: an empty one is unknown, not 0.
        if item.people_reached is not None:
            facts.append(
                ngettext("%(n)s person nådd", "%(n)s personer nådda", item.people_reached)
                % {"n": item.people_reached}
            )
        parts.append(f"<p>{escape(', '.join(facts))}</p>")
        return "".join(parts)

    def item_categories(self, item: Activity) -> list[str]:
        return [item.type.tr("name")]


class MunicipalityActivityFeed(_ActivityFeed):
    def get_object(self, request, municipality: str) -> _Scope:
        municipality = get_object_or_404(Municipality, slug=municipality)
        return _Scope(
            request,
            municipality,
            title=_("Medborgarlöften i %(name)s: genomförda aktiviteter")
            % {"name": municipality.name},
            subtitle=_(
                "Det som har gjorts för att hålla medborgarlöftena i %(name)s, senast "
                "registrerat eller ändrat först."
            )
            % {"name": municipality.name},
            link=municipality.get_absolute_url(),
        )

    def activities(self, scope: _Scope):
        return Activity.objects.public().for_municipality(scope.municipality)


class PromiseActivityFeed(_ActivityFeed):
    def get_object(self, request, municipality: str, promise: str) -> _Scope:
        municipality, promise = published_promise(municipality, promise)
        return _Scope(
            request,
            municipality,
            promise,
            title=_("%(promise)s: genomförda aktiviteter") % {"promise": promise.tr("title")},
            subtitle=_(
                "Det som har gjorts för att hålla medborgarlöftet, senast registrerat eller "
                "ändrat först."
            ),
            link=promise.get_absolute_url(municipality),
        )

    def activities(self, scope: _Scope):
        return Activity.objects.public().for_promise(scope.promise)


class CommitmentActivityFeed(_ActivityFeed):
    def get_object(self, request, municipality: str, promise: str, commitment: str) -> _Scope:
        municipality, promise = published_promise(municipality, promise)
        commitment = get_object_or_404(Commitment, promise=promise, slug=commitment)
        commitment.promise = promise
        return _Scope(
            request,
            municipality,
            promise,
            commitment,
            title=_("%(commitment)s: genomförda aktiviteter")
            % {"commitment": commitment.tr("title")},
            subtitle=_(
                "Det som har gjorts för åtagandet i %(promise)s, senast registrerat eller "
                "ändrat först."
            )
            % {"promise": promise.tr("title")},
            link=commitment.get_absolute_url(municipality),
        )

    def activities(self, scope: _Scope):
        return Activity.objects.public().filter(commitment=scope.commitment)


class _FollowUpFeed(_AtomFeed):
    """Published follow-ups of published promises, the latest period first."""

    def follow_ups(self, scope: _Scope):
        raise NotImplementedError

    def items(self, scope: _Scope):
        follow_ups = list(
            self.follow_ups(scope)
            .select_related("promise")
            .order_by("-period_end", "-pk")[:FEED_LIMIT]
        )
        for follow_up in follow_ups:
            follow_up.feed_scope = scope
        return follow_ups

    def item_title(self, item: FollowUp) -> str:
        return f"{item.tr('title')} ({item.promise.tr('title')})"

    def item_link(self, item: FollowUp) -> str:
        # The follow-up's own page: the report, with its downloads.
        return reverse(
            "public:follow-up-detail",
            args=[item.feed_scope.municipality.slug, item.promise.slug, item.pk],
        )

    def item_guid(self, item: FollowUp) -> str:
        return _tag(item.feed_scope.request, f"uppfoljning:{item.pk}")

    def item_description(self, item: FollowUp) -> str:
        return linebreaks(item.tr("narrative"), autoescape=True)


class MunicipalityFollowUpFeed(_FollowUpFeed):
    def get_object(self, request, municipality: str) -> _Scope:
        municipality = get_object_or_404(Municipality, slug=municipality)
        return _Scope(
            request,
            municipality,
            title=_("Medborgarlöften i %(name)s: uppföljningar") % {"name": municipality.name},
            subtitle=_("Blev löftena hållna? Uppföljningarna av medborgarlöftena i %(name)s.")
            % {"name": municipality.name},
            link=municipality.get_absolute_url(),
        )

    def follow_ups(self, scope: _Scope):
        return FollowUp.objects.published().filter(promise__municipalities=scope.municipality)


class PromiseFollowUpFeed(_FollowUpFeed):
    def get_object(self, request, municipality: str, promise: str) -> _Scope:
        municipality, promise = published_promise(municipality, promise)
        return _Scope(
            request,
            municipality,
            promise,
            title=_("%(promise)s: uppföljningar") % {"promise": promise.tr("title")},
            subtitle=_("Blev löftet hållet? Uppföljningarna av medborgarlöftet."),
            link=promise.get_absolute_url(municipality),
        )

    def follow_ups(self, scope: _Scope):
        return FollowUp.objects.published().filter(promise=scope.promise)


# iCalendar (RFC 5545): the upcoming work, as all-day events.


_EVENT_STATUS = {
    Activity.State.PLANNED: "CONFIRMED",
    Activity.State.CANCELLED: "CANCELLED",
}


_EVENT_FIELDS = (
    "commitment__promise__slug",
    "date",
    "end_date",
    "start_time",
    "end_time",
    "title",
    "title_en",
    "description",
    "description_en",
    "place",
    "state",
    "updated_at",
    "type__name",
    "type__name_en",
)


def _calendar_response(
    request: HttpRequest, activities, municipality: Municipality, name: str
) -> HttpResponse:
    calendar = ical.Writer()
    calendar.add("BEGIN", "VCALENDAR")
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", ical.text("-//Medborgarlöften//medborgarlofte//SV"))
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", ical.text(name))
    calendar.add("X-WR-TIMEZONE", ical.text(settings.TIME_ZONE))
    host = _host(request)
    zone = timezone.get_default_timezone()
    tzid = f";TZID={settings.TIME_ZONE}"
    events = list(
        activities.scheduled()
        .select_related("commitment__promise", "type")
        # What an event shows: a promise row's long texts, 200 times over, cost more than the rest.
        .only(*_EVENT_FIELDS)[:CALENDAR_LIMIT]
    )
    timed = [a for a in events if a.start_time is not None]
    if timed:
        # A time of day names its zone (TZID), which the calendar must define.
        calendar.raw(
            ical.timezone_definition(
                settings.TIME_ZONE,
                min(a.date for a in timed).year,
                max((a.end_date or a.date) for a in timed).year + 1,
            )
        )
    for activity in events:
        calendar.add("BEGIN", "VEVENT")
        calendar.add("UID", ical.text(f"activity-{activity.pk}@{host}"))
        calendar.add("DTSTAMP", ical.utc(activity.updated_at))
        calendar.add("LAST-MODIFIED", ical.utc(activity.updated_at))
        if activity.start_time is not None:
            # A time of day (recurring work, ”kl 21–02”): an end before the
            # start is on the next day.
            start = datetime.combine(activity.date, activity.start_time, tzinfo=zone)
            calendar.add("DTSTART", ical.local(start), tzid)
            if activity.end_time is not None:
                end_day = (activity.end_date or activity.date) + timedelta(
                    days=1 if activity.ends_next_day else 0
                )
                end = datetime.combine(end_day, activity.end_time, tzinfo=zone)
                calendar.add("DTEND", ical.local(end), tzid)
        else:
            # Most activities have dates, not times: all-day events, DTEND exclusive.
            calendar.add("DTSTART", ical.day(activity.date), ";VALUE=DATE")
            end = (activity.end_date or activity.date) + timedelta(days=1)
            calendar.add("DTEND", ical.day(end), ";VALUE=DATE")
        calendar.add("SUMMARY", ical.text(activity.tr("title")))
        if activity.place:
            calendar.add("LOCATION", ical.text(activity.place))
        calendar.add("URL", request.build_absolute_uri(activity.get_absolute_url(municipality)))
        if activity.tr("description"):
            calendar.add("DESCRIPTION", ical.text(activity.tr("description")))
        calendar.add("CATEGORIES", ical.text(activity.type.tr("name")))
        calendar.add("STATUS", _EVENT_STATUS[activity.state])
        calendar.add("END", "VEVENT")
    calendar.add("END", "VCALENDAR")
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@require_safe
def municipality_calendar(request: HttpRequest, municipality: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=municipality)
    return _calendar_response(
        request,
        Activity.objects.public().for_municipality(municipality),
        municipality,
        _("Medborgarlöften i %(name)s: kommande aktiviteter") % {"name": municipality.name},
    )


@require_safe
def promise_calendar(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = published_promise(municipality, promise)
    return _calendar_response(
        request,
        Activity.objects.public().for_promise(promise),
        municipality,
        _("%(promise)s: kommande aktiviteter") % {"promise": promise.tr("title")},
    )
