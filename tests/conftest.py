"""Shared builders for the test suite: small, explicit, and only what a test asks for."""

from datetime import date

import pytest

from activities.models import Activity, ActivityType
from promises.models import (
    Commitment,
    Contact,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    Promise,
)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed file names from collectstatic's manifest; tests
    # serve the source files directly, so no collectstatic step is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def area(db):
    region = PoliceRegion.objects.create(name="Väst", slug="vast")
    return PoliceArea.objects.create(
        name="Storgöteborg syd", slug="storgoteborg-syd", region=region
    )


@pytest.fixture
def harryda(area):
    return Municipality.objects.create(
        name="Härryda", slug="harryda", code="1401", police_area=area
    )


@pytest.fixture
def molndal(area):
    return Municipality.objects.create(
        name="Mölndal", slug="molndal", code="1481", police_area=area
    )


@pytest.fixture
def activity_type(db):
    return ActivityType.objects.get(slug="fotpatrullering")


@pytest.fixture
def make_promise(area):
    def make(municipalities, *, start=date(2022, 5, 31), end=date(2024, 5, 31), **fields):
        fields.setdefault("title", "Medborgarlöfte")
        fields.setdefault("status", Promise.Status.PUBLISHED)
        status = fields.pop("status")
        promise = Promise.objects.create(
            police_area=area,
            period_start=start,
            period_end=end,
            status=Promise.Status.DRAFT,
            **fields,
        )
        promise.municipalities.set(municipalities)
        if status != Promise.Status.DRAFT:
            promise.status = status
            promise.save()
        return promise

    return make


@pytest.fixture
def promise(make_promise, harryda):
    promise = make_promise([harryda], title="Medborgarlöfte Härryda kommun")
    Contact.objects.create(promise=promise, name="Linda Bergvall", role="Kommunpolis")
    return promise


@pytest.fixture
def commitment(promise):
    return Commitment.objects.create(
        promise=promise, position=1, title="Riktade insatser mot ungdomar", lead_party="police"
    )


@pytest.fixture
def make_activity(commitment, activity_type):
    def make(**fields):
        fields.setdefault("commitment", commitment)
        fields.setdefault("type", activity_type)
        fields.setdefault("date", date(2023, 3, 14))
        fields.setdefault("title", "Fotpatrullering i Mölnlycke centrum")
        return Activity.objects.create(**fields)

    return make


@pytest.fixture
def police_org(area):
    return Organisation.objects.create(
        kind=Organisation.Kind.POLICE_AREA, name="LPO Storgöteborg syd", police_area=area
    )
