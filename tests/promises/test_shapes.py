"""Each real shape of medborgarlöfte, built through the models and read on the public pages.

The shapes come from real promises (see DOMAIN.md): Stockholm's promises per
district from different police areas, LPO Norrmalm's districts plus Lidingö,
Södra Fyrbodal's one promise for three municipalities, promises by the police
alone, commitments by a named partner, per-year targets, "vid behov", priority
areas, follow-ups, planned work and renewals.
"""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.progress import Pace, Status, latest_published_follow_up, progress_for, target_for
from promises.models import (
    Assessment,
    Commitment,
    Contact,
    District,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    PriorityArea,
    Promise,
)
from staff.admin import renew
from tests.staff.test_read_only_writes import form_data

# Helpers


def _today() -> date:
    return timezone.localdate()


def _this_year() -> tuple[date, date]:
    year = _today().year
    return date(year, 1, 1), date(year, 12, 31)


def _around_today() -> tuple[date, date]:
    """A promise in force, started long enough ago for the 8-week quiet rule to apply."""
    today = _today()
    return today - timedelta(days=400), today + timedelta(days=300)


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _definitions(body: str, term: str) -> list[str]:
    """The text of every <dd> after a <dt> with this term, tags removed."""
    found = re.findall(rf"<dt>{re.escape(term)}</dt><dd[^>]*>(.*?)</dd>", body, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", dd).strip() for dd in found]


def _activity(commitment, activity_type, day, **fields) -> Activity:
    fields.setdefault("title", f"Aktivitet {day.isoformat()}")
    return Activity.objects.create(commitment=commitment, type=activity_type, date=day, **fields)


# Stockholm: districts of one city, several police areas, and Lidingö


@pytest.fixture
def stockholm_region(db):
    return PoliceRegion.objects.create(name="Stockholm", slug="stockholm")


@pytest.fixture
def stockholm(db):
    return Municipality.objects.create(name="Stockholm", slug="stockholm", code="0180")


@pytest.fixture
def lidingo(db):
    return Municipality.objects.create(name="Lidingö", slug="lidingo", code="0186")


@pytest.fixture
def districts(stockholm):
    names = {
        "sodermalm": "Södermalm",
        "kungsholmen": "Kungsholmen",
        "norrmalm": "Norrmalm",
        "ostermalm": "Östermalm",
        "vasastan": "Vasastan",
    }
    return {
        slug: District.objects.create(municipality=stockholm, name=name, slug=slug)
        for slug, name in names.items()
    }


@pytest.fixture
def stockholm_areas(stockholm_region, districts, lidingo):
    sodermalm = PoliceArea.objects.create(
        name="Södermalm", slug="sodermalm", region=stockholm_region
    )
    sodermalm.districts.add(districts["sodermalm"])
    kungsholmen = PoliceArea.objects.create(
        name="Kungsholmen", slug="kungsholmen", region=stockholm_region
    )
    kungsholmen.districts.add(districts["kungsholmen"])
    norrmalm = PoliceArea.objects.create(name="Norrmalm", slug="norrmalm", region=stockholm_region)
    norrmalm.districts.add(districts["norrmalm"], districts["ostermalm"], districts["vasastan"])
    norrmalm.municipalities.add(lidingo)
    return {"sodermalm": sodermalm, "kungsholmen": kungsholmen, "norrmalm": norrmalm}


@pytest.fixture
def district_promise(make_promise, stockholm, districts, stockholm_areas):
    """A published promise of one Stockholm district, given by that district's police area."""

    def make(key, title, *, start=None, end=None, **fields):
        this_start, this_end = _this_year()
        return make_promise(
            [stockholm],
            title=title,
            start=start or this_start,
            end=end or this_end,
            police_areas=[stockholm_areas[key]],
            districts=[districts[key]],
            **fields,
        )

    return make


def test_two_districts_of_one_city_from_two_police_areas_are_published_side_by_side(
    client, district_promise, districts
):
    year = _today().year
    sodermalm = district_promise("sodermalm", "Tryggare Södermalm")
    # Overlapping, not the same period: the other district's promise started earlier.
    kungsholmen = district_promise(
        "kungsholmen",
        "Tryggare Kungsholmen",
        start=date(year - 1, 7, 1),
        end=date(year + 1, 6, 30),
    )

    assert sodermalm.is_published and kungsholmen.is_published
    assert sodermalm.slug == f"sodermalm-{year}"
    assert kungsholmen.slug == f"kungsholmen-{year - 1}-{year + 1}"
    assert sodermalm.get_absolute_url() == f"/stockholm/sodermalm-{year}/"

    body = _body(client.get("/stockholm/"))
    # Each promise under a heading with its district's name (Kungsholmen sorts first).
    kungsholmen_heading = body.index('<h3 class="ml-h3">Kungsholmen</h3>')
    sodermalm_heading = body.index('<h3 class="ml-h3">Södermalm</h3>')
    assert kungsholmen_heading < body.index("Tryggare Kungsholmen") < sodermalm_heading
    assert sodermalm_heading < body.index("Tryggare Södermalm")
    assert f'href="/stockholm/sodermalm-{year}/"' in body
    assert f'href="/stockholm/kungsholmen-{year - 1}-{year + 1}/"' in body

    page = _body(client.get(f"/stockholm/sodermalm-{year}/"))
    assert "Tryggare Södermalm" in page
    assert _definitions(page, "Gäller i") == ["Stockholm: Södermalm"]
    assert "Tryggare Kungsholmen" not in page


def _assert_names_the_clash(error: ValidationError, title: str, name: str) -> None:
    text = " ".join(error.messages)
    assert "Perioden överlappar det publicerade medborgarlöftet" in text
    assert f"”{title}”" in text
    assert f"som också gäller i {name}" in text


def test_the_same_district_cannot_have_two_overlapping_published_promises(
    district_promise,
):
    district_promise("sodermalm", "Tryggare Södermalm")
    second = district_promise("sodermalm", "Södermalm igen", slug="sodermalm-igen", status="draft")

    second.status = Promise.Status.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    _assert_names_the_clash(excinfo.value, "Tryggare Södermalm", "Södermalm")

    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        second.save()
    _assert_names_the_clash(excinfo.value, "Tryggare Södermalm", "Södermalm")
    assert Promise.objects.get(pk=second.pk).status == Promise.Status.DRAFT


def test_adding_a_district_that_another_published_promise_covers_is_refused(
    district_promise, districts
):
    district_promise("sodermalm", "Tryggare Södermalm")
    kungsholmen = district_promise("kungsholmen", "Tryggare Kungsholmen")

    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        kungsholmen.districts.add(districts["sodermalm"])
    _assert_names_the_clash(excinfo.value, "Tryggare Södermalm", "Södermalm")

    # From the district's side too.
    with pytest.raises(ValidationError), transaction.atomic():
        districts["sodermalm"].promises.add(kungsholmen)
    assert list(kungsholmen.districts.all()) == [districts["kungsholmen"]]


def test_adding_a_whole_municipality_that_another_published_promise_covers_is_refused(
    make_promise, lidingo, stockholm_areas, harryda
):
    make_promise([lidingo], title="Tryggare Lidingö", police_areas=[stockholm_areas["norrmalm"]])
    other = make_promise([harryda], title="Härrydas löfte")

    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        other.municipalities.add(lidingo)
    _assert_names_the_clash(excinfo.value, "Tryggare Lidingö", "Lidingö")

    with pytest.raises(ValidationError), transaction.atomic():
        lidingo.promises.add(other)
    assert list(other.municipalities.all()) == [harryda]


def test_a_whole_municipality_cannot_have_two_overlapping_published_promises(
    make_promise, lidingo, stockholm_areas
):
    norrmalm = stockholm_areas["norrmalm"]
    make_promise([lidingo], title="Tryggare Lidingö", police_areas=[norrmalm])
    later = make_promise(
        [lidingo],
        title="Lidingö igen",
        slug="igen",
        start=date(2023, 1, 1),
        end=date(2024, 12, 31),
        police_areas=[norrmalm],
        status="draft",
    )
    later.status = Promise.Status.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        later.full_clean()
    _assert_names_the_clash(excinfo.value, "Tryggare Lidingö", "Lidingö")


@pytest.fixture
def kungsholmen_officer(make_staff, stockholm_areas):
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA,
        name="LPO Kungsholmen",
        police_area=stockholm_areas["kungsholmen"],
    )
    return make_staff("kommunpolis.kungsholmen", organisation, "Kommunpolis")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "", "x" * 16)


@pytest.mark.parametrize("who", ["superuser", "kungsholmen_officer"])
def test_the_admin_form_refuses_a_district_another_published_promise_covers(
    client, request, who, district_promise, districts
):
    district_promise("sodermalm", "Tryggare Södermalm")
    kungsholmen = district_promise("kungsholmen", "Tryggare Kungsholmen")
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:promises_promise_change", args=[kungsholmen.pk])
    data = form_data(client.get(url))
    data["districts"] = [districts["kungsholmen"].pk, districts["sodermalm"].pk]
    data["title"] = "Ändrad rubrik"

    response = client.post(url, data)

    body = _body(response)
    assert "Perioden överlappar det publicerade medborgarlöftet ”Tryggare Södermalm”" in body
    assert response.context["adminform"].form.errors
    kungsholmen.refresh_from_db()
    assert kungsholmen.title == "Tryggare Kungsholmen"
    assert list(kungsholmen.districts.all()) == [districts["kungsholmen"]]


@pytest.mark.parametrize("who", ["superuser", "kungsholmen_officer"])
def test_the_admin_form_refuses_to_publish_a_clashing_draft(
    client, request, who, district_promise, districts
):
    district_promise("sodermalm", "Tryggare Södermalm")
    draft = district_promise("kungsholmen", "Utkast för Kungsholmen", status=Promise.Status.DRAFT)
    # Drafts may overlap while they are prepared: this one covers Södermalm too.
    draft.districts.add(districts["sodermalm"])
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:promises_promise_change", args=[draft.pk])
    data = {**form_data(client.get(url)), "status": "published"}

    body = _body(client.post(url, data))

    assert "Perioden överlappar det publicerade medborgarlöftet ”Tryggare Södermalm”" in body
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT

    # The bulk action "Publicera markerade" is refused the same way.
    client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )
    draft.refresh_from_db()
    assert draft.status == Promise.Status.DRAFT


def test_a_police_area_covering_districts_and_a_whole_municipality_reaches_both(
    client, make_staff, district_promise, make_promise, stockholm, lidingo, stockholm_areas
):
    norrmalm = stockholm_areas["norrmalm"]
    organisation = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA, name="LPO Norrmalm", police_area=norrmalm
    )
    officer = make_staff("kommunpolis.norrmalm", organisation, "Kommunpolis")
    city = district_promise("norrmalm", "Tryggare Norrmalm")
    island = make_promise([lidingo], title="Tryggare Lidingö", police_areas=[norrmalm])
    other = district_promise("sodermalm", "Tryggare Södermalm")

    assert set(Municipality.objects.for_user(officer)) == {stockholm, lidingo}
    assert set(Promise.objects.for_user(officer)) == {city, island}

    client.force_login(officer)
    listing = _body(client.get(reverse("admin:promises_promise_changelist")))
    assert "Tryggare Norrmalm" in listing and "Tryggare Lidingö" in listing
    assert "Tryggare Södermalm" not in listing
    for promise in (city, island):
        url = reverse("admin:promises_promise_change", args=[promise.pk])
        assert client.get(url).status_code == 200
    url = reverse("admin:promises_promise_change", args=[other.pk])
    assert client.get(url).status_code == 404


# Södra Fyrbodal: one promise for three municipalities, commitments split by party


@pytest.fixture
def fyrbodal(make_promise, area):
    area_ = PoliceArea.objects.create(
        name="Södra Fyrbodal", slug="sodra-fyrbodal", region=area.region
    )
    places = [
        ("Stenungsund", "stenungsund", "1415"),
        ("Tjörn", "tjorn", "1419"),
        ("Orust", "orust", "1421"),
    ]
    municipalities = []
    for name, slug, code in places:
        municipality = Municipality.objects.create(name=name, slug=slug, code=code)
        area_.municipalities.add(municipality)
        municipalities.append(municipality)
    police = Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA, name="LPO Södra Fyrbodal", police_area=area_
    )
    kommuner = [
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=f"{m.name}s kommun", municipality=m
        )
        for m in municipalities
    ]
    start, end = _this_year()
    promise = make_promise(
        municipalities,
        title="Medborgarlöfte Stenungsund, Tjörn och Orust",
        start=start,
        end=end,
        police_areas=[area_],
    )
    by_police = Commitment.objects.create(promise=promise, position=1, title="Fler fotpatruller")
    by_police.parties.set([police])
    by_municipalities = Commitment.objects.create(
        promise=promise, position=2, title="Bättre belysning vid busshållplatser"
    )
    by_municipalities.parties.set(kommuner)
    together = Commitment.objects.create(promise=promise, position=3, title="Trygghetsvandringar")
    return {
        "promise": promise,
        "municipalities": municipalities,
        "commitments": [by_police, by_municipalities, together],
    }


def test_one_promise_for_three_municipalities_answers_under_each(client, fyrbodal):
    promise = fyrbodal["promise"]
    for municipality in fyrbodal["municipalities"]:
        listing = _body(client.get(f"/{municipality.slug}/"))
        assert "Medborgarlöfte Stenungsund, Tjörn och Orust" in listing
        page = _body(client.get(f"/{municipality.slug}/{promise.slug}/"))
        assert _definitions(page, "Gäller i") == ["Orust, Stenungsund, Tjörn"]
        parties = _definitions(page, "Vem lovar")
        # The promise's givers first, then one row per commitment.
        assert parties[0].startswith("lokalpolisområde Södra Fyrbodal, ")
        assert {"Stenungsund", "Tjörn", "Orust"} <= set(parties[0].split(", "))
        assert parties[1:] == [
            "LPO Södra Fyrbodal",
            "Orusts kommun, Stenungsunds kommun, Tjörns kommun",
            "Alla som ger löftet, tillsammans",
        ]


def test_each_commitment_page_of_a_shared_promise_names_its_parties(client, fyrbodal):
    promise = fyrbodal["promise"]
    by_police, by_municipalities, together = fyrbodal["commitments"]
    expected = {
        by_police: "LPO Södra Fyrbodal",
        by_municipalities: "Orusts kommun, Stenungsunds kommun, Tjörns kommun",
        together: "Alla som ger löftet, tillsammans",
    }
    for municipality in fyrbodal["municipalities"]:
        for commitment, parties in expected.items():
            url = f"/{municipality.slug}/{promise.slug}/atagande/{commitment.slug}/"
            assert _definitions(_body(client.get(url)), "Vem lovar") == [parties], url


# Who promises


def test_a_promise_by_the_police_alone_says_so(client, make_promise, harryda):
    start, end = _around_today()
    promise = make_promise(
        [harryda], title="Polisens löfte", start=start, end=end, signing_municipalities=[]
    )
    Commitment.objects.create(promise=promise, title="Fotpatrullering i centrum")

    assert promise.givers == ["Lokalpolisområde Storgöteborg syd"]
    for url in ("/harryda/", promise.get_absolute_url()):
        body = _body(client.get(url))
        givers = _definitions(body, "Vem lovar")[0]
        assert givers == "lokalpolisområde Storgöteborg syd (polisen lovar ensam)", url
        assert "polisen och kommunen" not in body.lower(), url


def test_a_commitment_by_a_named_partner_shows_the_partner(client, make_promise, harryda):
    partner = Organisation.objects.create(
        kind=Organisation.Kind.PARTNER, name="Förbo AB", municipality=harryda
    )
    start, end = _around_today()
    promise = make_promise([harryda], title="Löfte med Förbo", start=start, end=end)
    promise.partners.add(partner)
    commitment = Commitment.objects.create(
        promise=promise, title="Bättre belysning i bostadsområdena"
    )
    commitment.parties.set([partner])

    page = _body(client.get(promise.get_absolute_url()))
    givers, party = _definitions(page, "Vem lovar")
    assert givers.endswith(", Förbo AB")
    assert party == "Förbo AB"
    detail = _body(client.get(commitment.get_absolute_url()))
    assert _definitions(detail, "Vem lovar") == ["Förbo AB"]


# Targets per year, month and week


@pytest.fixture
def two_years(make_promise, harryda):
    return make_promise([harryda], title="Två år", start=date(2025, 1, 1), end=date(2026, 12, 31))


def _per(promise, value, period, unit="trygghetsvandringar"):
    return Commitment.objects.create(
        promise=promise,
        title=f"Minst {value} {unit} {period}",
        target_value=value,
        target_period=period,
        target_unit=unit,
    )


def test_a_target_per_year_counts_each_year_against_its_own_target(two_years, activity_type):
    walks = _per(two_years, 6, Commitment.TargetPeriod.YEAR)
    _activity(walks, activity_type, date(2025, 3, 1), occasions=4)
    _activity(walks, activity_type, date(2025, 10, 1), occasions=3)
    _activity(walks, activity_type, date(2026, 4, 1), occasions=2)

    progress = progress_for(two_years, today=date(2026, 6, 1))[walks.pk]

    assert progress.target == 12
    assert [(y.year, y.target, y.counted) for y in progress.years] == [
        (2025, 6, 7),
        (2026, 6, 2),
    ]
    assert [y.reached for y in progress.years] == [True, False]
    assert progress.counted == 9
    assert progress.target_per == "per år"
    assert progress.shows_years


def test_a_per_year_target_is_shown_with_a_row_per_year(client, two_years, activity_type):
    walks = _per(two_years, 6, Commitment.TargetPeriod.YEAR)
    _activity(walks, activity_type, date(2025, 3, 1), occasions=7)

    body = _body(client.get(walks.get_absolute_url()))

    assert "av minst 12 trygghetsvandringar" in body
    assert "(mål: 6 per år)" in body
    table = body[body.index("Per år, mot årets mål") :]
    rows = re.findall(
        r'<tr><th scope="row">(\d{4})[^<]*</th><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>', table
    )
    assert rows == [("2025", "7", "6"), ("2026", "0", "6")]


def test_a_partial_year_gets_a_proportional_target_rounded_up(make_promise, harryda):
    promise = make_promise(
        [harryda], title="Från juli", start=date(2025, 7, 1), end=date(2027, 6, 30)
    )
    walks = _per(promise, 6, Commitment.TargetPeriod.YEAR)

    # 184 of 365 days of 2025: 6 × 184 / 365 = 3.02, rounded up.
    assert target_for(walks, date(2025, 7, 1), date(2025, 12, 31)) == 4
    assert target_for(walks, date(2026, 1, 1), date(2026, 12, 31)) == 6
    # 181 of 365 days of 2027: 2.98, rounded up.
    assert target_for(walks, date(2027, 1, 1), date(2027, 6, 30)) == 3
    progress = progress_for(promise, today=date(2025, 8, 1))[walks.pk]
    assert [(y.year, y.target, y.is_partial) for y in progress.years] == [
        (2025, 4, True),
        (2026, 6, False),
        (2027, 3, True),
    ]
    assert progress.target == 13


def test_per_month_and_per_week_targets(two_years):
    monthly = _per(two_years, 2, Commitment.TargetPeriod.MONTH, "föräldramöten")
    weekly = _per(two_years, 3, Commitment.TargetPeriod.WEEK, "fotpatrulleringar")

    assert target_for(monthly, date(2025, 2, 1), date(2025, 2, 28)) == 2
    assert target_for(monthly, date(2025, 1, 1), date(2025, 3, 31)) == 6
    # Half of January: 2 × 15 / 31, rounded up.
    assert target_for(monthly, date(2025, 1, 1), date(2025, 1, 15)) == 1
    assert target_for(weekly, date(2025, 1, 6), date(2025, 1, 19)) == 6
    # Ten days: one week and 3 × 3 / 7 of another, rounded up.
    assert target_for(weekly, date(2025, 1, 6), date(2025, 1, 15)) == 5

    progress = progress_for(two_years, today=date(2026, 6, 1))
    assert progress[monthly.pk].target == 48
    assert progress[monthly.pk].target_per == "per månad"
    assert progress[weekly.pk].target_per == "per vecka"
    # On 1 July 2025, 181 days in: 2 per month for six whole months.
    assert progress_for(two_years, today=date(2025, 6, 30))[monthly.pk].expected_by_today == 12


def test_pace_of_a_per_year_target_follows_the_year(two_years, activity_type):
    walks = _per(two_years, 6, Commitment.TargetPeriod.YEAR)
    _activity(walks, activity_type, date(2025, 2, 1), occasions=2)

    # 2 July 2025 is day 183 of 365: 6 × 183 / 365 = 3.01, rounded up to 4.
    progress = progress_for(two_years, today=date(2025, 7, 2))[walks.pk]

    assert progress.expected_by_today == 4
    assert progress.pace == Pace.BEHIND
    assert progress.behind_by == 2


# "Vid behov"


def test_an_as_needed_commitment_may_not_have_a_target(promise):
    commitment = Commitment(
        promise=promise,
        title="Trygghetsvandring när invånare ber om det",
        target_period=Commitment.TargetPeriod.AS_NEEDED,
        target_value=5,
        target_unit="trygghetsvandringar",
    )
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "vid behov" in excinfo.value.message_dict["target_value"][0]


@pytest.fixture
def as_needed(make_promise, harryda):
    start, end = _around_today()
    promise = make_promise([harryda], title="Löfte med vid behov", start=start, end=end)
    commitment = Commitment.objects.create(
        promise=promise,
        title="Hjälpa till med trygghetsvandringar",
        target_period=Commitment.TargetPeriod.AS_NEEDED,
    )
    return commitment


def test_an_as_needed_commitment_has_no_target_no_pace_and_is_never_quiet(as_needed, activity_type):
    promise = as_needed.promise
    today = _today()
    for days_ago in (None, 300):
        if days_ago:
            _activity(as_needed, activity_type, today - timedelta(days=days_ago))
        progress = progress_for(promise, today=today)[as_needed.pk]
        assert progress.target is None
        assert progress.expected_by_today is None
        assert progress.pace is None
        assert progress.status == Status.AS_NEEDED
        assert str(progress.status_label) == "Vid behov"
        assert progress.quiet is False
        assert all(year.target is None for year in progress.years)
        assert not progress.shows_years


def test_an_as_needed_commitment_says_it_is_done_when_residents_ask(client, as_needed):
    for url in (as_needed.promise.get_absolute_url(), as_needed.get_absolute_url()):
        body = _body(client.get(url))
        assert "Görs vid behov, när invånare ber om det" in body, url
        assert "ml-tag--as_needed" in body, url
        assert "Ingen aktivitet de senaste 8 veckorna" not in body, url
        assert "Efter takten" not in body, url
        assert "av minst" not in body, url


# Priority areas


def test_priority_areas_group_the_commitments_on_the_promise_page(client, make_promise, harryda):
    start, end = _around_today()
    promise = make_promise([harryda], title="Löfte med områden", start=start, end=end)
    youth = PriorityArea.objects.create(promise=promise, position=1, title="Ungdomar")
    places = PriorityArea.objects.create(promise=promise, position=2, title="Otrygga platser")
    for position, title, priority_area in [
        (1, "Föräldravandringar", youth),
        (2, "Samverkan med skolor", youth),
        (3, "Belysning i parker", places),
    ]:
        Commitment.objects.create(
            promise=promise, position=position, title=title, priority_area=priority_area
        )

    body = _body(client.get(promise.get_absolute_url()))

    youth_at = body.index(f'id="prio-{youth.pk}">Ungdomar</h3>')
    places_at = body.index(f'id="prio-{places.pk}">Otrygga platser</h3>')
    assert youth_at < body.index("Föräldravandringar") < body.index("Samverkan med skolor")
    assert body.index("Samverkan med skolor") < places_at < body.index("Belysning i parker")
    assert body.count('<section class="ml-priority"') == 2
    # The numbering goes on across the groups.
    assert '<ol class="ml-commitments" start="3">' in body


# Follow-ups


def test_an_assessment_that_is_not_done_needs_an_explanation(promise, commitment):
    follow_up = FollowUp.objects.create(
        promise=promise,
        title="Uppföljning 2023",
        period_start=promise.period_start,
        period_end=date(2023, 5, 31),
    )
    for verdict, label in [
        (Assessment.Verdict.PARTLY, "Delvis genomfört"),
        (Assessment.Verdict.NOT_DONE, "Ej genomfört"),
        (Assessment.Verdict.ONGOING, "Pågår"),
    ]:
        assessment = Assessment(follow_up=follow_up, commitment=commitment, verdict=verdict)
        with pytest.raises(ValidationError) as excinfo:
            assessment.full_clean()
        message = excinfo.value.message_dict["explanation"][0]
        assert f"Förklara bedömningen ”{label}”" in message
        assert "invånarna ska få veta varför" in message
        assessment.explanation = "   "
        with pytest.raises(ValidationError):
            assessment.full_clean()
    Assessment(follow_up=follow_up, commitment=commitment, verdict="done").full_clean()


def test_a_published_explanation_is_shown_on_the_promise_and_commitment_pages(
    client, promise, commitment, make_follow_up
):
    explanation = "Två insatser ställdes in när personalen behövdes vid en skjutning."
    make_follow_up(promise, {commitment: ("partly", explanation)}, title="Uppföljning 2023")

    page = _body(client.get(promise.get_absolute_url()))
    assert "Enligt den senaste uppföljningen, <strong>Uppföljning 2023</strong>" in page
    assert "Bedömning: Delvis genomfört" in page
    assert explanation in page
    detail = _body(client.get(commitment.get_absolute_url()))
    assert "Resultat och förklaring" in detail
    assert explanation in detail


def test_a_draft_follow_up_is_never_shown(client, promise, commitment, make_follow_up):
    make_follow_up(
        promise,
        {commitment: ("not_done", "Utkastets hemliga förklaring")},
        title="Utkast till uppföljning",
        status=FollowUp.Status.DRAFT,
    )

    assert latest_published_follow_up(promise) is None
    assert progress_for(promise, today=date(2023, 6, 1))[commitment.pk].assessment is None
    for url in ("/harryda/", promise.get_absolute_url(), commitment.get_absolute_url()):
        body = _body(client.get(url))
        assert "Utkast till uppföljning" not in body, url
        assert "Utkastets hemliga förklaring" not in body, url
        assert "Ej genomfört" not in body, url


def test_the_latest_published_follow_up_answers_whether_it_was_kept(
    client, promise, commitment, make_follow_up
):
    make_follow_up(
        promise,
        {commitment: ("ongoing", "Arbetet pågår enligt plan.")},
        title="Uppföljning 2023",
        period_end=date(2023, 5, 31),
    )
    latest = make_follow_up(promise, {commitment: ("done", "")}, title="Uppföljning 2024")
    make_follow_up(
        promise,
        {commitment: ("not_done", "Ett utkast som ändrar sig.")},
        title="Nytt utkast",
        status=FollowUp.Status.DRAFT,
    )

    assert latest_published_follow_up(promise) == latest
    progress = progress_for(promise, today=date(2024, 6, 1))[commitment.pk]
    assert progress.status == Assessment.Verdict.DONE
    page = _body(client.get(promise.get_absolute_url()))
    assert "Enligt den senaste uppföljningen, <strong>Uppföljning 2024</strong>" in page
    assert "1 genomfört." in page
    assert "Arbetet pågår enligt plan." not in page
    assert "Ett utkast som ändrar sig." not in page
    listing = _body(client.get("/harryda/"))
    assert "enligt Uppföljning 2024" in listing


def test_an_ended_promise_without_a_follow_up_says_so_plainly(client, promise, commitment):
    assert promise.has_ended()

    page = _body(client.get(promise.get_absolute_url()))
    assert "Löftet har löpt ut, men ingen uppföljning är publicerad." in page
    listing = _body(client.get("/harryda/"))
    assert "Ingen uppföljning publicerad." in listing


# Planned work


@pytest.fixture
def current_commitment(make_promise, harryda):
    start, end = _around_today()
    promise = make_promise([harryda], title="Löfte som gäller nu", start=start, end=end)
    return Commitment.objects.create(
        promise=promise,
        title="Fotpatrullering i Landvetter",
        target_value=10,
        target_unit="fotpatrulleringar",
    )


def test_planned_activities_are_upcoming_and_never_counted(
    client, current_commitment, activity_type
):
    today = _today()
    _activity(
        current_commitment,
        activity_type,
        today - timedelta(days=5),
        occasions=3,
        title="Genomförd fotpatrullering",
    )
    _activity(
        current_commitment,
        activity_type,
        today + timedelta(days=10),
        occasions=5,
        state=Activity.State.PLANNED,
        title="Planerad nattvandring i Landvetter",
    )
    promise = current_commitment.promise

    progress = progress_for(promise)[current_commitment.pk]
    assert progress.counted == 3
    assert progress.all_activities == 1

    for url in (promise.get_absolute_url(), current_commitment.get_absolute_url()):
        body = _body(client.get(url))
        upcoming = body.index('id="kommande">Kommande</h2>')
        assert body.index("Planerad nattvandring i Landvetter") > upcoming, url
        assert body.count("Planerad nattvandring i Landvetter") == 1, url
        assert '<span class="ml-figure__number">3</span> av minst 10 fotpatrulleringar' in body, url
    activities = _body(client.get(reverse("public:activity-list", args=["harryda", promise.slug])))
    assert "Planerad nattvandring i Landvetter" not in activities
    assert "Genomförd fotpatrullering" in activities


def test_a_done_activity_cannot_be_dated_in_the_future(current_commitment, activity_type):
    future = _today() + timedelta(days=10)
    activity = Activity(
        commitment=current_commitment,
        type=activity_type,
        date=future,
        title="Fotpatrullering som inte har hänt",
        state=Activity.State.DONE,
    )
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert (
        "en aktivitet i framtiden kan inte vara genomförd" in excinfo.value.message_dict["date"][0]
    )
    activity.state = Activity.State.PLANNED
    activity.full_clean()


# Renewing for the next period


@pytest.fixture
def to_renew(promise, commitment, make_activity, make_follow_up, activity_type):
    """Härryda's promise with a priority area, two commitments, a contact, activities and a follow-up."""
    youth = PriorityArea.objects.create(promise=promise, position=1, title="Ungdomar")
    partner = Organisation.objects.create(kind=Organisation.Kind.PARTNER, name="Förbo AB")
    commitment.priority_area = youth
    commitment.save()
    commitment.parties.set([partner])
    patrols = Commitment.objects.create(
        promise=promise,
        position=2,
        title="Minst 50 fotpatrulleringar per år",
        target_value=50,
        target_period=Commitment.TargetPeriod.YEAR,
        target_unit="fotpatrulleringar",
        target_activity_type=activity_type,
    )
    make_activity()
    make_activity(commitment=patrols, occasions=12)
    make_follow_up(promise, {commitment: ("done", ""), patrols: ("partly", "För få poliser.")})
    return promise


def _assert_renewed(copy: Promise, original: Promise) -> None:
    assert copy.pk != original.pk
    assert copy.status == Promise.Status.DRAFT
    assert copy.renews == original
    assert copy.period_start == original.period_end + timedelta(days=1)
    assert copy.period_end - copy.period_start == original.period_end - original.period_start
    assert copy.title == original.title
    assert list(copy.municipalities.all()) == list(original.municipalities.all())
    assert list(copy.police_areas.all()) == list(original.police_areas.all())
    assert list(copy.signing_municipalities.all()) == list(original.signing_municipalities.all())

    old = list(original.commitments.order_by("position"))
    new = list(copy.commitments.order_by("position"))
    fields = [
        "position",
        "title",
        "target_value",
        "target_period",
        "target_unit",
        "target_measure",
        "target_activity_type_id",
    ]
    assert [[getattr(c, f) for f in fields] for c in new] == [
        [getattr(c, f) for f in fields] for c in old
    ]
    assert [set(c.parties.all()) for c in new] == [set(c.parties.all()) for c in old]
    # The priority areas are the copy's own, not the original's.
    (area,) = copy.priority_areas.all()
    assert area.title == "Ungdomar"
    assert new[0].priority_area == area
    assert new[1].priority_area is None
    assert [c.name for c in copy.contacts.all()] == ["Linda Bergvall"]
    assert not Activity.objects.filter(commitment__promise=copy).exists()
    assert not copy.follow_ups.exists()
    # The original keeps everything.
    assert Activity.objects.filter(commitment__promise=original).count() == 2
    assert original.follow_ups.count() == 1
    assert original.commitments.count() == 2
    assert Contact.objects.filter(promise=original).count() == 1


def test_renew_makes_a_draft_for_the_next_period_without_activities(to_renew, harryda_staff):
    copy = renew(to_renew, harryda_staff)

    copy.refresh_from_db()
    _assert_renewed(copy, to_renew)
    assert copy.slug == "2024-2026"
    assert list(to_renew.renewals.all()) == [copy]


def test_the_renew_action_in_the_admin_makes_the_draft(client, to_renew, harryda_staff):
    client.force_login(harryda_staff)

    response = client.post(
        reverse("admin:promises_promise_changelist"),
        {"action": "renew_for_next_period", "_selected_action": [to_renew.pk], "index": 0},
    )

    assert response.status_code == 302
    copy = Promise.objects.get(renews=to_renew)
    _assert_renewed(copy, to_renew)
    follow = _body(client.get(response["Location"]))
    assert "Ett utkast för" in follow
    assert reverse("admin:promises_promise_change", args=[copy.pk]) in follow


def test_renewing_a_district_promise_keeps_the_district_in_its_address(
    district_promise, districts, superuser
):
    original = district_promise("sodermalm", "Tryggare Södermalm")

    copy = renew(original, superuser)

    assert list(copy.districts.all()) == [districts["sodermalm"]]
    assert copy.slug == f"sodermalm-{original.period_end.year + 1}"
