"""Atom and iCalendar feeds: valid, stable, and never more than the public pages show."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from activities.models import Activity
from promises.models import FollowUp

from .conftest import SECRET

HIDDEN = [
    "Utkast som inte får synas",
    "Aktivitet i ett opublicerat löfte",
    "Opublicerad uppföljning",
    SECRET,
]


def _atom_urls(site):
    old, current = site["old"].slug, site["current"].slug
    return [
        "/harryda/flode.atom",
        "/harryda/uppfoljningar.atom",
        f"/harryda/{old}/flode.atom",
        f"/harryda/{old}/uppfoljningar.atom",
        f"/harryda/{old}/atagande/{site['commitment'].slug}/flode.atom",
        f"/harryda/{current}/flode.atom",
    ]


def _calendar_urls(site):
    return ["/harryda/kalender.ics", f"/harryda/{site['current'].slug}/kalender.ics"]


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return feedparser.parse(response.content)


def test_atom_feeds_are_valid_with_language_stable_ids_and_updated_times(client, feeds_site):
    for url in _atom_urls(feeds_site):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml"), url
        first = feedparser.parse(response.content)
        second = feedparser.parse(client.get(url).content)

        assert first.bozo == 0, (url, first.get("bozo_exception"))
        assert first.version == "atom10", url
        assert first.feed.language == "sv", url
        assert first.feed.id.startswith("tag:testserver,2026:"), url
        assert first.feed.id == second.feed.id, url
        assert first.feed.updated_parsed, url
        # RFC 4287 requires an author, which feedparser does not check.
        assert first.feed.author == "Medborgarlöften", url
        assert first.entries, url
        for entry in first.entries:
            assert entry.id.startswith("tag:testserver,2026:"), url
            assert entry.updated_parsed, url
            assert entry.link.startswith("http://testserver/harryda/"), url
        assert [e.id for e in first.entries] == [e.id for e in second.entries], url


def test_the_same_activity_has_the_same_id_in_every_feed(client, feeds_site):
    old = feeds_site["old"].slug
    by_municipality = _entries(client, "/harryda/flode.atom")
    by_promise = _entries(client, f"/harryda/{old}/flode.atom")
    by_commitment = _entries(
        client, f"/harryda/{old}/atagande/{feeds_site['commitment'].slug}/flode.atom"
    )
    ids = {e.title: e.id for e in by_municipality.entries}
    for feed in (by_promise, by_commitment):
        for entry in feed.entries:
            assert ids[entry.title] == entry.id


def test_activity_feeds_list_only_public_done_work(client, feeds_site):
    titles = [e.title for e in _entries(client, "/harryda/flode.atom").entries]
    assert any("Fotpatrullering i Mölnlycke centrum" in t for t in titles)
    assert any("Genomförd i höst" in t for t in titles)
    assert len(titles) == 2

    old = feeds_site["old"].slug
    titles = [e.title for e in _entries(client, f"/harryda/{old}/flode.atom").entries]
    assert len(titles) == 1 and "Fotpatrullering i Mölnlycke centrum" in titles[0]

    entry = _entries(client, f"/harryda/{old}/flode.atom").entries[0]
    activity = Activity.objects.get(title="Fotpatrullering i Mölnlycke centrum")
    assert entry.link == f"http://testserver/harryda/{old}/aktiviteter/{activity.pk}/"
    assert "Tolv kvällar i centrum." in entry.summary
    assert "Mölnlycke centrum" in entry.summary


def test_follow_up_feeds_list_only_published_follow_ups(client, feeds_site):
    old = feeds_site["old"].slug
    for url in ("/harryda/uppfoljningar.atom", f"/harryda/{old}/uppfoljningar.atom"):
        entries = _entries(client, url).entries
        assert [e.title for e in entries] == ["Uppföljning 2023 (Medborgarlöfte Härryda kommun)"]
        follow_up = FollowUp.objects.published().get()
        assert entries[0].link == f"http://testserver/harryda/{old}/uppfoljning/{follow_up.pk}/"
        assert client.get(entries[0].link).status_code == 200
        assert "Det mesta blev gjort." in entries[0].summary


def test_no_feed_shows_drafts_unpublished_promises_or_internal_notes(client, feeds_site):
    for url in _atom_urls(feeds_site) + _calendar_urls(feeds_site):
        body = client.get(url).content.decode()
        for text in HIDDEN:
            assert text not in body, (url, text)


def test_calendars_are_valid_with_all_day_events_and_stable_uids(client, feeds_site):
    for url in _calendar_urls(feeds_site):
        response = client.get(url)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.content)
        again = Calendar.from_ical(client.get(url).content)

        assert calendar["VERSION"] == "2.0"
        assert calendar["PRODID"]
        assert calendar["CALSCALE"] == "GREGORIAN"
        assert calendar["X-WR-TIMEZONE"] == "Europe/Stockholm"
        assert "kommande aktiviteter" in calendar["X-WR-CALNAME"]
        events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
        assert set(events) == {"Trygghetsvandring i Landvetter", "Föreläsning om bedrägerier"}
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
            str(e["UID"]) for e in again.walk("VEVENT")
        ]

        planned = events["Trygghetsvandring i Landvetter"]
        activity = feeds_site["planned"]
        assert str(planned["UID"]) == f"activity-{activity.pk}@testserver"
        start, end = planned.decoded("DTSTART"), planned.decoded("DTEND")
        assert type(start) is date and start == activity.date
        assert type(end) is date and end == activity.end_date + timedelta(days=1)
        assert planned["DTSTAMP"]
        assert planned["STATUS"] == "CONFIRMED"
        assert str(planned["LOCATION"]) == "Landvetter centrum"
        assert str(planned["DESCRIPTION"]) == "Vi går tillsammans med föreningarna."
        assert str(planned["URL"]).endswith(f"/aktiviteter/{activity.pk}/")

        cancelled = events["Föreläsning om bedrägerier"]
        assert cancelled["STATUS"] == "CANCELLED"
        assert cancelled.decoded("DTEND") == feeds_site["cancelled"].date + timedelta(days=1)


def test_calendars_leave_out_done_and_past_activities(client, feeds_site):
    for url in _calendar_urls(feeds_site):
        body = client.get(url).content.decode()
        assert "Genomförd i höst" not in body
        assert "Planerad men passerad" not in body
        assert "Fotpatrullering i Mölnlycke centrum" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/finns-inte/flode.atom",
        "/finns-inte/uppfoljningar.atom",
        "/finns-inte/kalender.ics",
        "/harryda/finns-inte/flode.atom",
        "/harryda/finns-inte/uppfoljningar.atom",
        "/harryda/finns-inte/kalender.ics",
        "/harryda/{old}/atagande/finns-inte/flode.atom",
        "/harryda/{unpublished}/flode.atom",
        "/harryda/{unpublished}/uppfoljningar.atom",
        "/harryda/{unpublished}/kalender.ics",
        "/molndal/{old}/flode.atom",
    ],
)
def test_unknown_or_unpublished_gives_404(client, feeds_site, molndal, url):
    url = url.format(old=feeds_site["old"].slug, unpublished=feeds_site["unpublished"].slug)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_feeds_set_no_cookies(client, feeds_site, prefix):
    for url in _atom_urls(feeds_site) + _calendar_urls(feeds_site):
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response.headers, url


def test_english_feeds_say_so(client, feeds_site):
    feed = _entries(client, "/en/harryda/flode.atom")
    assert feed.bozo == 0
    assert feed.feed.language == "en"
    assert feed.feed.title == "Citizen promises in Härryda: activities carried out"
    assert all("/en/harryda/" in e.link for e in feed.entries)


def _query_counts(client, site):
    counts = {}
    for url in _atom_urls(site) + _calendar_urls(site):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_feeds_take_a_fixed_number_of_queries(
    client, feeds_site, make_activity, make_follow_up, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # rendering, not the page cache
    before = _query_counts(client, feeds_site)
    today = timezone.localdate()
    for n in range(15):
        make_activity(title=f"Fler patrulleringar {n}")
        make_activity(
            commitment=feeds_site["now"],
            date=today + timedelta(days=n + 1),
            state=Activity.State.PLANNED,
            title=f"Planerad {n}",
        )
    make_follow_up(feeds_site["old"], {}, title="Delrapport", period_end=date(2023, 5, 31))
    assert _query_counts(client, feeds_site) == before
    # At most seven (the commitment's feed): the activities' ids are read
    # apart from their rows (public/feeds.py).
    for url in _atom_urls(feeds_site) + _calendar_urls(feeds_site):
        with django_assert_max_num_queries(7):
            client.get(url)


def test_calendar_events_with_a_time_of_day_run_past_midnight(client, feeds_site, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the update below passes the signals by
    url = _calendar_urls(feeds_site)[0]
    # All-day events only: no time zone to define.
    assert not Calendar.from_ical(client.get(url).content).walk("VTIMEZONE")
    activity = feeds_site["cancelled"]
    Activity.objects.filter(pk=activity.pk).update(start_time=time(21), end_time=time(2))
    calendar = Calendar.from_ical(client.get(url).content)
    # A time names its zone (TZID), which the calendar defines (RFC 5545, 3.2.19).
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    assert "TZID=Europe/Stockholm:" in client.get(url).content.decode()
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == activity.title)
    stockholm = ZoneInfo("Europe/Stockholm")
    assert event.decoded("DTSTART") == datetime.combine(activity.date, time(21), tzinfo=stockholm)
    assert event.decoded("DTEND") == datetime.combine(
        activity.date + timedelta(days=1), time(2), tzinfo=stockholm
    )


def test_the_activity_page_shows_the_time_of_day(client, feeds_site):
    activity = feeds_site["cancelled"]
    Activity.objects.filter(pk=activity.pk).update(start_time=time(21), end_time=time(2))
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "kl. 21:00–02:00 (över midnatt)" in page
