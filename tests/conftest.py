"""Shared builders for the test suite: small, explicit, and only what a test asks for."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation

from activities.models import Activity
from promises.models import (
    ActivityType,
    Commitment,
    Contact,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    Promise,
)


def pytest_collection_modifyitems(config, items):
    """Leave out the PostgreSQL-only tests when the suite runs on another database.

    CI runs the whole suite on SQLite and again on PostgreSQL: these tests run
    in the PostgreSQL pass. Deselected rather than skipped, so that no run
    reports a skipped test.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgresql_only") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed file names from collectstatic's manifest; tests
    # serve the source files directly, so no collectstatic step is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _swedish_after_each_test():
    # A request to an /en/ page leaves English active in the thread; code run
    # outside a request in a later test must not depend on the order of tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test starts with an empty cache: no page, version or rate count of
    # an earlier test's data. The page cache itself is on in every test
    # (pyproject.toml), so that any change a page misses shows as a failure.
    from django.core.cache import cache

    from public import signals

    cache.clear()
    yield
    cache.clear()
    signals.discard_pending()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Staff fixtures create users with passwords; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def area(db):
    region = PoliceRegion.objects.create(name="Väst", slug="vast")
    return PoliceArea.objects.create(
        name="Storgöteborg syd", slug="storgoteborg-syd", region=region
    )


@pytest.fixture
def harryda(area):
    municipality = Municipality.objects.create(name="Härryda", slug="harryda", code="1401")
    area.municipalities.add(municipality)
    return municipality


@pytest.fixture
def molndal(area):
    municipality = Municipality.objects.create(name="Mölndal", slug="molndal", code="1481")
    area.municipalities.add(municipality)
    return municipality


@pytest.fixture
def activity_type(db):
    return ActivityType.objects.get(slug="fotpatrullering")


@pytest.fixture
def make_promise(area):
    def make(municipalities, *, start=date(2022, 5, 31), end=date(2024, 5, 31), **fields):
        fields.setdefault("title", "Medborgarlöfte")
        fields.setdefault("status", Promise.Status.PUBLISHED)
        status = fields.pop("status")
        police_areas = fields.pop("police_areas", [area])
        signing = fields.pop("signing_municipalities", municipalities)
        districts = fields.pop("districts", [])
        promise = Promise(period_start=start, period_end=end, status=Promise.Status.DRAFT, **fields)
        promise.pending_coverage = {"municipalities": municipalities, "districts": districts}
        promise.save()
        promise.police_areas.set(police_areas)
        promise.signing_municipalities.set(signing)
        promise.municipalities.set(municipalities)
        promise.districts.set(districts)
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
        promise=promise, position=1, title="Riktade insatser mot ungdomar"
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


# Staff: two municipalities' organisations with a member each, and the groups.


@pytest.fixture
def staff_groups(db):
    call_command("setup_groups", stdout=io.StringIO())


@pytest.fixture
def harryda_org(harryda):
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Härryda kommun", municipality=harryda
    )


@pytest.fixture
def molndal_org(molndal):
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Mölndals stad", municipality=molndal
    )


@pytest.fixture
def make_staff(staff_groups, django_user_model):
    def make(username, organisation=None, group="Kommunpolis"):
        user = django_user_model.objects.create_user(
            username, password="ett-langt-losenord-2024", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        if organisation is not None:
            organisation.members.add(user)
        return user

    return make


@pytest.fixture
def harryda_staff(make_staff, harryda_org):
    return make_staff("samordnare.harryda", harryda_org, "Kommunens samordnare")


@pytest.fixture
def molndal_staff(make_staff, molndal_org):
    return make_staff("samordnare.molndal", molndal_org, "Kommunens samordnare")


@pytest.fixture
def molndal_data(make_promise, molndal, molndal_org, activity_type):
    """Mölndal's promise with one of everything; every title contains ”Kvarnbyn”."""
    promise = make_promise(
        [molndal], title="Löftet för Kvarnbyn", start=date(2024, 1, 1), end=date(2025, 12, 31)
    )
    contact = Contact.objects.create(promise=promise, name="Kvarnbyns kommunpolis")
    commitment = Commitment.objects.create(promise=promise, position=1, title="Trygghet i Kvarnbyn")
    activity = Activity.objects.create(
        commitment=commitment,
        type=activity_type,
        date=date(2024, 3, 1),
        title="Fotpatrullering i Kvarnbyn",
        place="Kvarnbyn",
        internal_note="Kvarnbyn intern",
    )
    activity.organisations.add(molndal_org)
    return {"promise": promise, "contact": contact, "commitment": commitment, "activity": activity}


@pytest.fixture
def make_follow_up(db):
    """A follow-up of the promise (the whole period unless given) with assessments."""
    from promises.models import Assessment, FollowUp

    def make(promise, verdicts, *, status=FollowUp.Status.PUBLISHED, **fields):
        fields.setdefault("title", "Uppföljning")
        fields.setdefault("period_start", promise.period_start)
        fields.setdefault("period_end", promise.period_end)
        follow_up = FollowUp.objects.create(promise=promise, status=status, **fields)
        for commitment, (verdict, explanation) in verdicts.items():
            Assessment.objects.create(
                follow_up=follow_up, commitment=commitment, verdict=verdict, explanation=explanation
            )
        return follow_up

    return make


# Background tasks: run for real through the database queue, by the worker.


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every queued task with `manage.py db_worker --batch`, as the worker service would."""
    from django_tasks_db.management.commands import db_worker

    # Between tasks the worker closes connections that are not in autocommit;
    # inside a test's transaction that would end the test's own connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )

    return run


@pytest.fixture(autouse=True)
def _private_import_root(settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"
