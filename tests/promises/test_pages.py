"""Every public page: it answers, shows what it should, hides what it must, sets no cookie."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.text import slugify

from activities import summaries
from activities.models import Activity
from promises.models import ActivityType, Commitment, District, Promise
from public.templatetags.ml import known_abbreviations

SECRET = "HEMLIG-INTERN-ANTECKNING"


@pytest.fixture
def site(promise, commitment, make_activity, police_org):
    """A published promise with a target commitment, public and draft activities."""
    commitment.target_value = 300
    commitment.target_unit = "fotpatrulleringar"
    commitment.save()
    public = make_activity(
        title="Fotpatrullering i Mölnlycke centrum",
        occasions=212,
        description="Tolv kvällar i centrum.",
        internal_note=SECRET,
        is_example=True,
    )
    public.organisations.add(police_org)
    draft = make_activity(
        title="Utkast som inte får synas",
        status=Activity.Status.DRAFT,
        internal_note=SECRET,
    )
    return {"public": public, "draft": draft, "commitment": commitment, "promise": promise}


def _urls(site, prefix=""):
    p = f"{prefix}/harryda/{site['promise'].slug}"
    return [
        f"{prefix}/",
        f"{prefix}/?q=härr",
        f"{prefix}/harryda/",
        f"{p}/",
        f"{p}/atagande/{site['commitment'].slug}/",
        f"{p}/aktiviteter/",
        f"{p}/aktiviteter/?q=centrum&ar=2023",
        f"{p}/aktiviteter/{site['public'].pk}/",
        f"{prefix}/om-webbplatsen/",
        f"{prefix}/tillganglighetsredogorelse/",
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_public_page_answers_without_cookies_or_internal_notes(client, site, prefix):
    for url in _urls(site, prefix):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Set-Cookie" not in response.headers, url
        assert SECRET not in body, url
        assert "Utkast som inte får synas" not in body, url
        assert "csrfmiddlewaretoken" not in body, url


def test_htmx_and_not_found_responses_set_no_cookie(client, site):
    response = client.get("/harryda/2022-2024/aktiviteter/", headers={"HX-Request": "true"})
    assert not response.cookies
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert not response.cookies


def test_promise_page_shows_commitments_with_figures_and_arithmetic(client, site):
    body = client.get("/harryda/2022-2024/").content.decode()

    assert "Medborgarlöfte Härryda kommun" in body
    assert "Det här lovar vi" in body
    assert "Riktade insatser mot ungdomar" in body
    assert "av minst 300 fotpatrulleringar" in body
    assert ">212<" in body
    assert "300 − 212 = 88" in body
    assert "Vem lovar" in body
    assert '<strong class="ml-tag ml-tag--ended">Avslutat</strong>' in body
    assert "Fotpatrullering i Mölnlycke centrum" in body  # latest activity
    assert 'role="img"' in body and "<title" in body  # chart with a text alternative
    assert "<table" in body  # and its data table
    assert "Linda Bergvall" in body
    assert "Exempeldata" in body
    assert "?atagande=riktade-insatser-mot-ungdomar" in body  # which activities count


def test_status_tags_are_never_links(client, site):
    body = client.get("/harryda/2022-2024/").content.decode()
    assert '<a class="ml-tag' not in body
    assert '<strong class="ml-tag' in body


def test_quiet_flag_shows_on_a_current_promise(client, make_promise, molndal, activity_type):
    today = date.today()
    current = make_promise(
        [molndal],
        title="Gällande löfte",
        start=date(today.year - 1, 1, 1),
        end=date(today.year + 1, 12, 31),
    )
    Commitment.objects.create(promise=current, title="Tyst åtagande")

    body = client.get(f"/molndal/{current.slug}/").content.decode()

    assert "Ingen aktivitet de senaste 8 veckorna" in body
    assert "Gäller nu" in body


def test_municipality_page_lists_every_promise_with_its_follow_up(
    client, site, make_promise, harryda, make_follow_up
):
    older = make_promise(
        [harryda], title="Medborgarlöfte 2020", start=date(2020, 1, 1), end=date(2021, 1, 1)
    )
    done = Commitment.objects.create(promise=older, title="Gammalt åtagande")
    not_done = Commitment.objects.create(promise=older, title="Annat åtagande")
    make_follow_up(older, {done: ("done", ""), not_done: ("not_done", "Ingen personal.")})

    body = client.get("/harryda/").content.decode()

    assert "Tidigare" in body  # none is current
    assert "Medborgarlöfte Härryda kommun" in body
    assert "Medborgarlöfte 2020" in body
    assert "1 genomfört" in body
    assert "1 ej genomfört" in body
    assert "Ingen uppföljning publicerad." in body  # the 2022–2024 promise has none


@pytest.mark.parametrize("with_current", [True, False])
def test_earlier_promises_are_listed_in_short(client, make_promise, molndal, with_current):
    # Who gives a promise and its focus for those in force, coming and the one
    # in brief; the other earlier ones (a city has dozens) with their period
    # and follow-up only.
    today = date.today()
    if with_current:
        make_promise(
            [molndal],
            title="Gällande löfte",
            focus="Trygghet i centrum",
            start=date(today.year - 1, 1, 1),
            end=date(today.year + 1, 12, 31),
        )
    latest = make_promise(
        [molndal],
        title="Förra löftet",
        focus="Unga i Kållered",
        start=date(2021, 1, 1),
        end=date(2022, 12, 31),
    )
    make_promise(
        [molndal],
        title="Äldsta löftet",
        focus="Parker",
        start=date(2018, 1, 1),
        end=date(2019, 12, 31),
    )
    for promise in Promise.objects.filter(municipalities=molndal):
        Commitment.objects.create(promise=promise, title=f"Åtagande i {promise.title}")

    body = client.get("/molndal/").content.decode()

    assert body.count("Vem lovar") == 1
    assert body.count("Särskilt fokus på") == 1
    assert ("Trygghet i centrum" in body) is with_current
    assert ("Unga i Kållered" in body) is not with_current  # in brief when none is current
    assert "Parker" not in body
    assert body.count("1 åtagande. Ingen uppföljning publicerad.") == 2
    assert f'href="/molndal/{latest.slug}/"' in body
    assert "Äldsta löftet" in body


def test_municipality_archive_says_how_many_commitments_are_not_assessed(
    client, site, make_promise, harryda, make_follow_up
):
    unassessed = make_promise(
        [harryda], title="Medborgarlöfte 2018", start=date(2018, 1, 1), end=date(2019, 1, 1)
    )
    for n in range(5):
        Commitment.objects.create(promise=unassessed, title=f"Åtagande {n}")
    mixed = make_promise(
        [harryda], title="Medborgarlöfte 2020", start=date(2020, 1, 1), end=date(2021, 1, 1)
    )
    done = Commitment.objects.create(promise=mixed, title="Klart")
    Commitment.objects.create(promise=mixed, title="Okänt")
    Commitment.objects.create(promise=mixed, title="Okänt 2")
    make_follow_up(mixed, {done: ("done", "")})

    body = client.get("/harryda/").content.decode()
    english = client.get("/en/harryda/").content.decode()

    assert "5 åtaganden. Ingen uppföljning publicerad." in body
    assert "3 åtaganden: 1 genomfört, 2 ej bedömda" in body
    assert "5 commitments. No follow-up published." in english
    assert "2 not assessed" in english


def test_home_lists_every_municipality_and_searches_by_name_and_code(client, site, molndal):
    body = client.get("/").content.decode()
    assert "Härryda" in body
    assert "Mölndal" in body
    assert "Inget publicerat medborgarlöfte" in body  # Mölndal has none

    assert "Härryda" in client.get("/?q=1401").content.decode()
    assert "Härryda" in client.get("/?q=HÄRRYDA").content.decode()
    assert "Härryda" in client.get("/?q=härryda").content.decode()
    assert "Inget gällande löfte just nu" in client.get("/").content.decode()  # 2022–2024 ended
    body = client.get("/?q=9999").content.decode()
    assert "Ingen kommun" in body


def test_commitment_page_shows_timeline_and_assessment(client, site, make_follow_up):
    commitment = site["commitment"]
    make_follow_up(
        site["promise"],
        {commitment: ("partly", "Färre patruller än planerat på grund av sjukdom.")},
    )

    body = client.get(f"/harryda/2022-2024/atagande/{commitment.slug}/").content.decode()

    assert "Delvis genomfört" in body
    assert "Färre patruller än planerat" in body
    assert "Fotpatrullering i Mölnlycke centrum" in body
    assert "14 mars 2023" in body


def test_activity_detail_is_shareable_and_says_whether_it_counts(client, site):
    activity = site["public"]
    body = client.get(f"/harryda/2022-2024/aktiviteter/{activity.pk}/").content.decode()

    assert "Fotpatrullering i Mölnlycke centrum" in body
    assert "14 mars 2023" in body
    assert "LPO Storgöteborg syd" in body
    assert "Ja, med 212 mot målet minst 300 fotpatrulleringar" in body
    assert f"/harryda/2022-2024/aktiviteter/{activity.pk}/" in body
    assert "Exempeldata" in body


def test_activity_detail_of_planned_and_cancelled_work_says_why_it_does_not_count(
    client, site, make_activity
):
    # The commitment has a target but counts every type: only the state can
    # keep an activity out of the figure.
    planned = make_activity(title="Planerad vandring", state=Activity.State.PLANNED)
    cancelled = make_activity(title="Inställd vandring", state=Activity.State.CANCELLED)

    body = client.get(f"/harryda/2022-2024/aktiviteter/{planned.pk}/").content.decode()
    assert "Planerade aktiviteter räknas inte förrän de är genomförda." in body
    body = client.get(f"/harryda/2022-2024/aktiviteter/{cancelled.pk}/").content.decode()
    assert "Nej, aktiviteten blev inställd." in body


def test_drafts_are_not_found(client, site, make_promise, molndal):
    draft_activity = site["draft"]
    assert client.get(f"/harryda/2022-2024/aktiviteter/{draft_activity.pk}/").status_code == 404

    draft_promise = make_promise(
        [molndal],
        title="Hemligt utkast för Mölndal",
        status=Promise.Status.DRAFT,
        start=date(2025, 1, 1),
        end=date(2026, 1, 1),
    )
    page = client.get("/molndal/")
    assert "Det finns inget publicerat medborgarlöfte för Mölndal" in page.content.decode()
    assert draft_promise.title not in page.content.decode()
    assert client.get(f"/molndal/{draft_promise.slug}/").status_code == 404
    assert client.get(f"/molndal/{draft_promise.slug}/aktiviteter/").status_code == 404


def test_not_found_page_is_in_swedish(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_server_error_template_renders_without_a_request():
    from django.template.loader import render_to_string

    assert "Något gick fel" in render_to_string("500.html")


def test_accessibility_statement_has_every_required_element(client, db):
    body = client.get("/tillganglighetsredogorelse/").content.decode()
    assert "drivs av" in body  # who runs the site
    assert "delvis förenlig" in body  # how compliant
    assert "Innehåll som inte är tillgängligt" in body  # known issues with reasons
    assert "Senaste bedömning" in body and "Redogörelsen uppdaterades senast" in body
    assert "Hur vi testat webbplatsen" in body  # how it was assessed
    assert "mailto:" in body  # feedback
    assert "https://www.digg.se/tdosanmalan" in body  # complaint to Digg
    assert "Tillgänglighetsredogörelse" in client.get("/").content.decode()  # linked


def test_about_page_says_no_cookies(client, db):
    body = client.get("/om-webbplatsen/").content.decode()
    assert "sätter inga kakor" in body
    assert "öppna data" in body.lower()


def test_dates_are_swedish(client, site):
    body = client.get("/harryda/2022-2024/").content.decode()
    assert "31 maj 2022 – 31 maj 2024" in body


def test_language_switch_links_to_the_english_page(client, site):
    body = client.get("/harryda/2022-2024/").content.decode()
    assert '<html lang="sv">' in body
    assert 'href="/en/harryda/2022-2024/" hreflang="en" lang="en"' in body

    body = client.get("/en/harryda/2022-2024/").content.decode()
    assert '<html lang="en">' in body
    assert 'href="/harryda/2022-2024/" hreflang="sv" lang="sv"' in body


def test_english_pages_have_english_ui_and_mark_swedish_content(client, site):
    body = client.get("/en/harryda/2022-2024/").content.decode()
    assert "What we promise" in body
    assert "Skip to content" in body
    assert "31 May 2022" in body
    assert '<h1 class="ml-h1" lang="sv">Medborgarlöfte Härryda kommun</h1>' in body
    assert "Det här lovar vi" not in body


def test_english_version_of_content_is_used_when_entered(client, site):
    promise = site["promise"]
    promise.title_en = "Citizen promise Härryda"
    promise.save()

    body = client.get("/en/harryda/2022-2024/").content.decode()

    assert '<h1 class="ml-h1">Citizen promise Härryda</h1>' in body


# What "Visa fler" sends: the next page's items, appended to the list.
MORE = {"HX-Request": "true", "HX-Target": "ml-activity-items"}


def _query_count(client, url, headers=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers or {}).status_code == 200
    return len(queries)


def test_query_counts_do_not_depend_on_the_number_of_activities(
    client, site, make_activity, police_org, settings
):
    # What rendering costs, not what the page cache saves (tests/public/test_caching.py).
    settings.PAGE_CACHE_SECONDS = 0
    known_abbreviations()  # the glossary is read once per change to it, whichever page is first
    commitment = site["commitment"]
    urls = [u for u in _urls(site) if "om-webbplatsen" not in u]
    urls.append(f"/harryda/2022-2024/aktiviteter/?organisation={police_org.pk}&typ=fotpatrullering")

    def add(n):
        for i in range(n):
            activity = make_activity(
                date=date(2022, 6 + i % 6, 1 + i % 28), title=f"Aktivitet {i} i centrum"
            )
            activity.organisations.add(police_org)

    more = [
        "/harryda/2022-2024/aktiviteter/?sida=2",
        f"/harryda/2022-2024/aktiviteter/?organisation={police_org.pk}&sida=2",
    ]

    def counts():
        return {
            **{url: _query_count(client, url) for url in urls},
            **{f"more {url}": _query_count(client, url, MORE) for url in more},
        }

    add(29)  # more than one page, so "Visa fler" has a second page to load
    few = counts()
    add(190)
    many = counts()

    assert Activity.objects.filter(commitment=commitment).count() > 200
    assert few == many


def test_municipality_page_queries_do_not_depend_on_the_number_of_promises(
    client, make_promise, molndal, activity_type, make_follow_up, settings
):
    # A city's page shows every district promise in force with its figures.
    settings.PAGE_CACHE_SECONDS = 0  # rendering, not the page cache
    known_abbreviations()  # read once per change to the glossary, not per page
    today = timezone.localdate()

    def add(name):
        district = District.objects.create(municipality=molndal, name=name, slug=slugify(name))
        promise = make_promise(
            [molndal],
            districts=[district],
            title=f"Löftet för {name}",
            start=date(today.year - 1, 1, 1),
            end=date(today.year + 1, 12, 31),
        )
        commitment = Commitment.objects.create(
            promise=promise,
            title=f"Trygga kvällar i {name}",
            target_value=10,
            target_unit="kvällar",
        )
        Activity.objects.create(
            commitment=commitment,
            type=activity_type,
            date=today - timedelta(days=3),
            title=f"Kvällsvandring i {name}",
        )
        make_follow_up(promise, {commitment: ("done", "")})

    add("Kvarnbyn")
    few = _query_count(client, "/molndal/")
    for name in ("Lindome", "Kållered", "Balltorp"):
        add(name)
    many = _query_count(client, "/molndal/")

    body = client.get("/molndal/").content.decode()
    for name in ("Kvarnbyn", "Lindome", "Kållered", "Balltorp"):
        assert f"Trygga kvällar i {name}" in body
    assert few == many


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        # Fixed numbers, whatever the number of activities (see the test above):
        # a query per relation shown (who gives, where), the figures and follow-up.
        ("/", 3),
        # +1 on each for the glossary of abbreviations, when not in the cache yet.
        ("/harryda/", 13),
        # +2 for the outcome indicators and their values.
        ("/harryda/2022-2024/", 19),
        ("/harryda/2022-2024/atagande/riktade-insatser-mot-ungdomar/", 14),
        ("/harryda/2022-2024/aktiviteter/", 13),
        ("/harryda/2022-2024/aktiviteter/?typ=fotpatrullering&q=centrum&ar=2023", 13),
    ],
)
def test_query_counts_are_bounded(
    client, site, url, limit, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # rendering, not the page cache
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(limit):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    if "/aktiviteter/" in url:
        more = url + ("&" if "?" in url else "?") + "sida=2"
        with django_assert_max_num_queries(limit):
            response = client.get(more, headers=MORE)
        assert response.status_code == 200
        assert b"<html" not in response.content


def test_a_promise_for_several_municipalities_names_one_canonical_address(
    client, site, harryda, molndal
):
    promise = site["promise"]
    promise.municipalities.add(molndal)

    body = client.get(f"/molndal/{promise.slug}/").content.decode()

    assert f'<link rel="canonical" href="/harryda/{promise.slug}/">' in body


def test_commitment_without_activities_says_so_and_draws_no_chart(client, promise, commitment):
    body = client.get("/harryda/2022-2024/").content.decode()
    assert "Inga aktiviteter är redovisade ännu." in body
    assert 'role="img"' not in body
    assert '<strong class="ml-tag ml-tag--ended">Avslutat</strong>' in body


def test_the_link_to_the_counted_activities_reproduces_the_figure(
    client, promise, activity_type, make_activity
):
    import html
    import re

    walks = Commitment.objects.create(
        promise=promise,
        position=5,
        title="Minst 20 fotpatrulleringar",
        target_value=20,
        target_unit="fotpatrulleringar",
        target_activity_type=activity_type,
    )
    make_activity(commitment=walks, occasions=8)
    make_activity(commitment=walks, occasions=5, date=date(2023, 5, 1))
    make_activity(
        commitment=walks,
        occasions=100,
        type=ActivityType.objects.get(slug="trygghetsvandring"),
    )

    body = client.get("/harryda/2022-2024/").content.decode()
    assert "13 av 20 är 65 %" in body
    link = re.search(r'href="([^"]*atagande=minst-20-fotpatrulleringar[^"]*)"', body).group(1)

    listing = client.get(html.unescape(link)).content.decode()

    assert "2 aktiviteter hittades" in listing
    assert "<dt>Tillfällen, summa</dt><dd>13</dd>" in listing


def test_commitment_and_activity_pages_show_when_they_last_changed(client, site):
    commitment, activity = site["commitment"], site["public"]  # activity dated 14 March 2023
    Commitment.objects.filter(pk=commitment.pk).update(
        updated_at=timezone.make_aware(datetime(2023, 1, 10, 12))
    )
    Activity.objects.filter(pk=activity.pk).update(
        created_at=timezone.make_aware(datetime(2023, 3, 14, 18)),
        updated_at=timezone.make_aware(datetime(2023, 3, 20, 12)),
    )
    summaries.rebuild()  # update() passes by the signals that keep the monthly sums
    # The commitment counts as changed when one of its public activities did.
    body = client.get(commitment.get_absolute_url()).content.decode()
    assert "Senast ändrad" in body
    assert "20 mars 2023" in body
    body = client.get(activity.get_absolute_url()).content.decode()
    assert "Senast ändrad" in body
    assert "20 mars 2023" in body


def test_public_pages_answer_head_requests(client, site):
    # Link checkers and uptime monitors use HEAD.
    for url in _urls(site):
        assert client.head(url).status_code == 200, url
    assert client.post(_urls(site)[0]).status_code == 405


def test_english_pages_mark_swedish_fragments_inside_english_sentences(client, site):
    ActivityType.objects.filter(slug="fotpatrullering").update(name_en="")
    site["commitment"].target_activity_type = ActivityType.objects.get(slug="fotpatrullering")
    site["commitment"].save()
    p = f"/en/harryda/{site['promise'].slug}"

    promise_page = client.get(f"{p}/").content.decode()
    assert 'of at least 300 <span lang="sv">fotpatrulleringar</span>' in promise_page
    assert '<span lang="sv">Fotpatrullering och polisnärvaro</span>' in promise_page
    municipality_page = client.get("/en/harryda/").content.decode()
    assert 'of at least 300 <span lang="sv">fotpatrulleringar</span>' in municipality_page
    activity_page = client.get(f"{p}/aktiviteter/{site['public'].pk}/").content.decode()
    assert '<span lang="sv">fotpatrulleringar</span>' in activity_page
    # Swedish pages need no lang attribute on the same words.
    assert (
        '<span lang="sv">' not in client.get(f"/harryda/{site['promise'].slug}/").content.decode()
    )


def test_english_unit_when_entered_needs_no_lang(client, site):
    site["commitment"].target_unit_en = "foot patrols"
    site["commitment"].save()

    body = client.get(f"/en/harryda/{site['promise'].slug}/").content.decode()

    assert "of at least 300 foot patrols" in body


def test_signed_document_is_linked_without_a_signing_date_with_type_and_size(
    client, site, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    promise = site["promise"]
    promise.signed_on = None
    promise.signed_document = SimpleUploadedFile("löfte.pdf", b"%PDF-1.4" + b"x" * 244_992)
    promise.save()

    body = client.get(f"/harryda/{promise.slug}/").content.decode()
    english = client.get(f"/en/harryda/{promise.slug}/").content.decode()

    assert f'href="{promise.signed_document.url}"' in body
    assert "Undertecknat medborgarlöfte (PDF, 245 kB)" in body
    assert "Signed citizen promise (PDF, 245 kB)" in english


def test_large_figures_have_thousands_separators_but_the_chart_plain_numbers(
    client, site, make_activity
):
    commitment = site["commitment"]
    commitment.target_value = 1200
    commitment.save()
    make_activity(occasions=881, date=date(2023, 4, 2))  # 212 + 881 = 1093

    body = client.get(f"/harryda/{site['promise'].slug}/").content.decode()
    english = client.get(f"/en/harryda/{site['promise'].slug}/").content.decode()

    assert '<span class="ml-figure__number">1\xa0093</span> av minst 1\xa0200' in body
    assert "1\xa0093 av 1\xa0200 är 91 %. Kvar till målet: 1\xa0200 − 1\xa0093 = 107." in body
    assert '<span class="ml-figure__number">1,093</span> of at least 1,200' in english
    assert '<td class="ml-table__num">1\xa0093</td>' in body  # the month table's sum
    # SVG geometry stays plain numbers on every page.
    assert re.search(r'<rect class="ml-chart__bar" x="\d+" y="\d+" width="10" height="\d+"/>', body)
    municipality = client.get("/harryda/").content.decode()
    assert "1\xa0093 av minst 1\xa0200" in municipality
    activities = client.get(f"/en/harryda/{site['promise'].slug}/aktiviteter/").content.decode()
    assert "<dd>1,093</dd>" in activities


def test_commitment_page_shows_the_newest_activities_and_links_to_all(
    client, site, make_activity, settings, monkeypatch
):
    from public import views

    monkeypatch.setattr(views, "COMMITMENT_TIMELINE_LIMIT", 2)
    make_activity(title="Nyast", date=date(2024, 5, 1))
    make_activity(title="Näst nyast", date=date(2024, 4, 1))
    body = client.get(site["commitment"].get_absolute_url()).content.decode()
    assert "Nyast" in body and "Näst nyast" in body
    assert "Fotpatrullering i Mölnlycke centrum" not in body  # the oldest of three
    assert "Se alla 3 aktiviteter under åtagandet" in body
    assert f"?atagande={site['commitment'].slug}" in body
