"""Fixtures for the open-data API: public data next to drafts and notes that must never show."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from activities.models import Activity
from promises.models import (
    Assessment,
    Commitment,
    District,
    FollowUp,
    Indicator,
    Measurement,
    Organisation,
    PriorityArea,
    Promise,
)

SECRET = "HEMLIG-INTERN-ANTECKNING"
# Texts that exist only in things the public may not see.
HIDDEN = [
    SECRET,
    "Utkast som inte får synas",
    "Aktivitet i ett opublicerat löfte",
    "Dolt åtagande",
    "Opublicerat löfte",
    "Opublicerad uppföljning",
    "Bedömning i ett utkast",
    "Indikator i utkast",
    "Indikator för ett opublicerat löfte",
    "Mätvärde som inte får synas",
]
# Field names of the models that the API never shows.
HIDDEN_FIELDS = ["internal_note", "created_by", "updated_by", "status", "members"]


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    # The API counts requests per address in the cache; every test starts afresh,
    # with room for all its requests (the rate-limit test sets its own).
    settings.RATE_LIMIT_API = "10000/m"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_site(
    promise, commitment, make_activity, make_promise, make_follow_up, harryda, molndal, police_org
):
    """Härryda's published promise with work and a follow-up, Mölndal's with other work,
    and beside them everything that is not public."""
    commitment.parties.add(police_org)
    area = PriorityArea.objects.create(promise=promise, title="Ungdomar")
    second = Commitment.objects.create(
        promise=promise,
        position=2,
        title="Trygghetsvandringar",
        priority_area=area,
        target_value=6,
        target_period=Commitment.TargetPeriod.YEAR,
        target_unit="trygghetsvandringar",
    )
    patrol = make_activity(
        title="Fotpatrullering i Mölnlycke centrum",
        date=date(2023, 3, 14),
        place="Mölnlycke centrum",
        occasions=12,
        internal_note=SECRET,
    )
    patrol.organisations.add(police_org)
    walk = make_activity(
        commitment=second,
        type_id=_type_id("trygghetsvandring"),
        title="Trygghetsvandring i Landvetter",
        date=date(2023, 9, 5),
        end_date=date(2023, 9, 6),
        people_reached=40,
    )
    planned = make_activity(
        commitment=second,
        type_id=_type_id("trygghetsvandring"),
        title="Planerad vandring",
        date=date(2024, 4, 20),
        state=Activity.State.PLANNED,
    )
    make_activity(title="Utkast som inte får synas", status=Activity.Status.DRAFT)
    follow_up = make_follow_up(
        promise,
        {
            commitment: (Assessment.Verdict.DONE, ""),
            second: (Assessment.Verdict.PARTLY, "Två vandringar ställdes in."),
        },
        title="Uppföljning 2023",
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
    )
    make_follow_up(
        promise,
        {commitment: (Assessment.Verdict.NOT_DONE, "Bedömning i ett utkast")},
        title="Opublicerad uppföljning",
        status=FollowUp.Status.DRAFT,
    )

    # Härryda's earlier promise, never published, with its own work and follow-up.
    unpublished = make_promise(
        [harryda],
        title="Opublicerat löfte",
        start=date(2019, 1, 1),
        end=date(2020, 12, 31),
        status=Promise.Status.DRAFT,
    )
    hidden_commitment = Commitment.objects.create(
        promise=unpublished, position=1, title="Dolt åtagande"
    )
    hidden_activity = make_activity(
        commitment=hidden_commitment,
        date=date(2020, 3, 1),
        title="Aktivitet i ett opublicerat löfte",
    )
    # Published follow-up of an unpublished promise: hidden with its promise.
    hidden_follow_up = make_follow_up(
        unpublished,
        {hidden_commitment: (Assessment.Verdict.NOT_DONE, "Bedömning i ett utkast")},
        title="Opublicerad uppföljning",
    )

    # Mölndal: a published promise, narrowed to a district, renewing the draft.
    kvarnbyn = District.objects.create(municipality=molndal, name="Kvarnbyn", slug="kvarnbyn")
    partner = Organisation.objects.create(
        kind=Organisation.Kind.PARTNER, name="Bostadsbolaget", municipality=molndal
    )
    other = make_promise(
        [molndal],
        title="Löftet för Kvarnbyn",
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        districts=[kvarnbyn],
        renews=unpublished,
    )
    other.partners.add(partner)
    other_commitment = Commitment.objects.create(
        promise=other, position=1, title="Trygghet i Kvarnbyn"
    )
    kvarnbyn_patrol = make_activity(
        commitment=other_commitment,
        date=date(2024, 3, 1),
        title="Fotpatrullering i Kvarnbyn",
        place="Kvarnbyn",
    )

    # Indicators: Härryda's survey (a series over the years), one for Mölndal's
    # promise alone; a draft, and one of the unpublished promise, are hidden.
    survey = _indicator("Trygghet i Härryda", municipalities=[harryda])
    _measure(survey, harryda, 2021, "68.5", ci=("65.0", "72.0"), sample_size=800)
    _measure(survey, harryda, 2023, "71.0")
    crimes = _indicator("Anmälda brott i Kvarnbyn", promise=other, direction="down")
    _measure(crimes, molndal, 2024, "120", district=kvarnbyn)
    draft = _indicator(
        "Indikator i utkast", municipalities=[harryda], status=Indicator.Status.DRAFT
    )
    _measure(draft, harryda, 2022, "50", note="Mätvärde som inte får synas")
    of_draft = _indicator("Indikator för ett opublicerat löfte", promise=unpublished)
    _measure(of_draft, harryda, 2020, "10", note="Mätvärde som inte får synas")
    return {
        "survey": survey,
        "crimes": crimes,
        "hidden_indicator": of_draft,
        "promise": promise,
        "commitment": commitment,
        "second": second,
        "patrol": patrol,
        "walk": walk,
        "planned": planned,
        "follow_up": follow_up,
        "unpublished": unpublished,
        "hidden_commitment": hidden_commitment,
        "hidden_activity": hidden_activity,
        "hidden_follow_up": hidden_follow_up,
        "other": other,
        "other_commitment": other_commitment,
        "kvarnbyn_patrol": kvarnbyn_patrol,
        "kvarnbyn": kvarnbyn,
    }


def _type_id(slug: str) -> int:
    from promises.models import ActivityType

    return ActivityType.objects.get(slug=slug).pk


def _indicator(name, *, promise=None, municipalities=(), **fields):
    fields.setdefault("status", Indicator.Status.PUBLISHED)
    indicator = Indicator.objects.create(
        promise=promise, name=name, unit="procent", source_name="Trygghetsmätningen", **fields
    )
    indicator.municipalities.set(municipalities)
    return indicator


def _measure(indicator, municipality, year, value, *, ci=(None, None), **fields):
    return Measurement.objects.create(
        indicator=indicator,
        municipality=municipality,
        year=year,
        value=Decimal(value),
        ci_low=ci[0] and Decimal(ci[0]),
        ci_high=ci[1] and Decimal(ci[1]),
        **fields,
    )
