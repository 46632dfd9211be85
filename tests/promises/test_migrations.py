"""Existing databases migrate forward with nothing lost (tested on a database holding the current demo).

The schema before the coverage and follow-up change is promises 0002 and
activities 0004. The test migrates the test database back to that state, fills
it through the historical models with data shaped like the old demo, migrates
forward to the latest state and checks with the current models that nothing
was lost. It always leaves the database at the latest state.
"""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from activities import summaries
from activities.models import Activity, OrganisationSum
from promises.models import (
    ActivityType,
    Assessment,
    Commitment,
    Contact,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    Promise,
)

OLD = [
    ("promises", "0002_target_at_least_one_and_signed_pdf"),
    ("activities", "0004_activity_search_index"),
]
# promises 0004 moves the data and is one way on purpose: 0005 drops the old
# fields. Going back, it is unapplied without running anything (its effects are
# in tables that are emptied anyway: the test database holds no data yet).
BEFORE_MOVE = [("promises", "0003_coverage_follow_ups")]
MOVE = [
    ("promises", "0004_move_to_coverage_and_follow_ups"),
    ("activities", "0005_coverage_follow_ups"),
]


ORG_COLUMNS = summaries.ORGANISATION_COLUMNS


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


def _migrate(targets, *, fake: bool = False) -> MigrationExecutor:
    executor = _executor()
    executor.migrate(targets, fake=fake)
    return _executor()


def _latest() -> None:
    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate_back_to_old_schema():
    _migrate(MOVE)
    _migrate(BEFORE_MOVE, fake=True)
    executor = _migrate(OLD)
    # The other apps (contenttypes, auth, ...) are in their latest state, unless
    # a migration of theirs depends on the new ones and was unapplied with them.
    others = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {app for app, _name in OLD} and node in executor.loader.applied_migrations
    ]
    return executor.loader.project_state([*OLD, *others]).apps


def _old_content_types(apps):
    """The content type and permissions an old database has for the activity type.

    The test database was made by the current code, which put the activity type's
    content type in the promises app; the old code had it in activities.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ContentType.objects.filter(app_label="promises", model="activitytype").delete()
    old, _ = ContentType.objects.get_or_create(app_label="activities", model="activitytype")
    perms = {}
    for action in ("add", "change", "delete", "view"):
        perms[action], _ = Permission.objects.get_or_create(
            content_type=old,
            codename=f"{action}_activitytype",
            defaults={"name": f"Can {action} aktivitetstyp"},
        )
    return perms


def _load_old_demo(apps) -> dict:
    """Data shaped like the old demo, written with the models of the old schema."""
    PoliceRegion = apps.get_model("promises", "PoliceRegion")
    PoliceArea = apps.get_model("promises", "PoliceArea")
    Municipality = apps.get_model("promises", "Municipality")
    Organisation = apps.get_model("promises", "Organisation")
    Promise = apps.get_model("promises", "Promise")
    Commitment = apps.get_model("promises", "Commitment")
    Contact = apps.get_model("promises", "Contact")
    ActivityType = apps.get_model("promises", "ActivityType")
    Activity = apps.get_model("activities", "Activity")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")

    perms = _old_content_types(apps)
    region = PoliceRegion.objects.create(name="Väst", slug="vast")
    area = PoliceArea.objects.create(
        name="Storgöteborg syd", slug="storgoteborg-syd", region=region
    )
    harryda = Municipality.objects.create(
        name="Härryda", slug="harryda", code="1401", police_area=area
    )
    molndal = Municipality.objects.create(
        name="Mölndal", slug="molndal", code="1481", police_area=area
    )
    police_org = Organisation.objects.create(
        kind="lpo", name="Lokalpolisområde Storgöteborg syd", police_area=area
    )
    harryda_org = Organisation.objects.create(
        kind="kommun", name="Härryda kommun", municipality=harryda
    )
    molndal_org = Organisation.objects.create(
        kind="kommun", name="Mölndals stad", municipality=molndal
    )

    user = User.objects.create(username="kommunpolis.harryda", is_staff=True)
    group = Group.objects.create(name="Trygghetssamordnare (egen grupp)")
    group.permissions.add(perms["view"])
    user.groups.add(group)
    police_org.members.add(user)

    published = Promise.objects.create(
        police_area=area,
        title="Medborgarlöfte Härryda kommun",
        slug="2022-2024",
        period_start=date(2022, 5, 31),
        period_end=date(2024, 5, 31),
        focus="ungdomar i riskzon",
        status="published",
    )
    published.municipalities.add(harryda)
    example = Promise.objects.create(
        police_area=area,
        title="Exempel: medborgarlöfte Mölndals stad",
        slug="2025-2026",
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
        status="published",
        is_example=True,
    )
    example.municipalities.add(molndal)
    draft = Promise.objects.create(
        police_area=area,
        title="Gemensamt löfte (utkast)",
        slug="2024-2026",
        period_start=date(2024, 6, 1),
        period_end=date(2026, 5, 31),
        status="draft",
    )
    draft.municipalities.add(harryda, molndal)

    def commitment(promise, position, lead, **fields):
        return Commitment.objects.create(
            promise=promise,
            position=position,
            slug=f"c{position}",
            title=f"Åtagande {position} ({lead})",
            lead_party=lead,
            **fields,
        )

    commitments = {
        "police": commitment(published, 1, "police"),
        "municipality": commitment(published, 2, "municipality"),
        "partly": commitment(
            published,
            3,
            "joint",
            outcome="partly",
            outcome_note="Saneringen kom i gång först i september.",
            outcome_note_en="The clean-up only started in September.",
        ),
        "done": commitment(published, 4, "joint", outcome="done"),
        "example": commitment(example, 1, "joint"),
        "draft_assessed": commitment(
            draft, 1, "municipality", outcome="not_done", outcome_note="Ingen lokal fanns."
        ),
        "draft_police": commitment(draft, 2, "police"),
    }
    Contact.objects.create(promise=published, position=1, name="Linda Bergvall", role="Kommunpolis")
    Contact.objects.create(promise=published, position=2, name="Kommunens samordnare")
    Contact.objects.create(promise=example, position=1, name="Exempel Kontakt")

    # Seeded by activities 0003, unless an earlier transactional test emptied
    # the tables (they are truncated, not rolled back).
    types = {
        slug: ActivityType.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]
        for slug in (
            "fotpatrullering",
            "foraldrastarkande",
            "sanering",
            "trygghetsvandring",
            "medborgardialog",
        )
    }
    activities = [
        ("police", "fotpatrullering", [police_org]),
        ("municipality", "foraldrastarkande", [harryda_org]),
        ("partly", "sanering", [police_org, harryda_org]),
        ("example", "trygghetsvandring", [police_org, molndal_org]),
        ("draft_assessed", "medborgardialog", []),
    ]
    for n, (key, slug, organisations) in enumerate(activities, start=1):
        activity = Activity.objects.create(
            commitment=commitments[key],
            type=types[slug],
            date=commitments[key].promise.period_start,
            title=f"Aktivitet {n}",
            occasions=n,
            status="published",
        )
        activity.organisations.set(organisations)
    return {
        "activity_types": ActivityType.objects.count(),
        "organisations": {
            a.title: sorted(o.name for o in a.organisations.all()) for a in Activity.objects.all()
        },
        "types": {a.title: a.type.slug for a in Activity.objects.all()},
    }


def _counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Promise,
            Commitment,
            Activity,
            Contact,
            Organisation,
            Municipality,
            PoliceArea,
            ActivityType,
            FollowUp,
            Assessment,
            Group,
            get_user_model(),
        )
    }


def _names(queryset) -> set[str]:
    return {obj.name for obj in queryset}


def _check_moved(old: dict) -> None:
    area = PoliceArea.objects.get(slug="storgoteborg-syd")
    harryda = Municipality.objects.get(code="1401")
    molndal = Municipality.objects.get(code="1481")
    police = {"Lokalpolisområde Storgöteborg syd"}

    # Each municipality is covered by its police area.
    assert set(area.municipalities.all()) == {harryda, molndal}
    assert set(harryda.police_areas.all()) == {area}

    # Each promise is given by the police area and signed by its municipalities.
    for promise in Promise.objects.all():
        assert list(promise.police_areas.all()) == [area], promise.title
        assert set(promise.signing_municipalities.all()) == set(promise.municipalities.all())
        assert promise.municipalities.exists(), promise.title
    draft = Promise.objects.get(status=Promise.Status.DRAFT)
    assert set(draft.signing_municipalities.all()) == {harryda, molndal}

    # The lead party became the organisations that promise the commitment.
    expected = {
        ("Medborgarlöfte Härryda kommun", 1): police,
        ("Medborgarlöfte Härryda kommun", 2): {"Härryda kommun"},
        ("Medborgarlöfte Härryda kommun", 3): police | {"Härryda kommun"},
        ("Medborgarlöfte Härryda kommun", 4): police | {"Härryda kommun"},
        ("Exempel: medborgarlöfte Mölndals stad", 1): police | {"Mölndals stad"},
        ("Gemensamt löfte (utkast)", 1): {"Härryda kommun", "Mölndals stad"},
        ("Gemensamt löfte (utkast)", 2): police,
    }
    found = {
        (c.promise.title, c.position): _names(c.parties.all())
        for c in Commitment.objects.select_related("promise")
    }
    assert found == expected

    # The outcomes became one follow-up over the whole period per assessed promise.
    published = Promise.objects.get(slug="2022-2024")
    follow_up = published.follow_ups.get()
    assert (follow_up.period_start, follow_up.period_end) == (
        published.period_start,
        published.period_end,
    )
    assert follow_up.status == FollowUp.Status.PUBLISHED
    assert follow_up.published_on is not None
    assessments = {
        a.commitment.position: (a.verdict, a.explanation, a.explanation_en)
        for a in follow_up.assessments.select_related("commitment")
    }
    assert assessments == {
        3: (
            "partly",
            "Saneringen kom i gång först i september.",
            "The clean-up only started in September.",
        ),
        4: ("done", "", ""),
    }
    draft_follow_up = draft.follow_ups.get()
    assert draft_follow_up.status == FollowUp.Status.DRAFT
    assert draft_follow_up.published_on is None
    assert [
        (a.commitment.position, a.verdict, a.explanation) for a in draft_follow_up.assessments.all()
    ] == [(1, "not_done", "Ingen lokal fanns.")]
    assert not Promise.objects.get(slug="2025-2026").follow_ups.exists()
    # Only the published follow-up of the published promise is public.
    assert list(FollowUp.objects.filter(status=FollowUp.Status.PUBLISHED)) == [follow_up]

    # Activity types: none added or lost, and every activity still has its type.
    assert ActivityType.objects.count() == old["activity_types"]
    assert {a.title: a.type.slug for a in Activity.objects.select_related("type")} == old["types"]
    assert {
        a.title: sorted(o.name for o in a.organisations.all()) for a in Activity.objects.all()
    } == old["organisations"]

    # The members of the organisations are kept.
    assert list(
        Organisation.objects.get(name="Lokalpolisområde Storgöteborg syd").members.values_list(
            "username", flat=True
        )
    ) == ["kommunpolis.harryda"]


def _check_permissions_moved() -> None:
    ContentType.objects.clear_cache()
    # One content type for the activity type, in its new app; the old one moved.
    assert list(
        ContentType.objects.filter(model="activitytype").values_list("app_label", flat=True)
    ) == ["promises"]
    assert Permission.objects.filter(codename="view_activitytype").count() == 1
    group = Group.objects.get(name="Trygghetssamordnare (egen grupp)")
    assert [f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()] == [
        "promises.view_activitytype"
    ]
    user = get_user_model().objects.get(username="kommunpolis.harryda")
    assert user.has_perm("promises.view_activitytype")


@pytest.mark.django_db(transaction=True)
def test_existing_database_with_the_old_demo_migrates_forward_with_nothing_lost():
    try:
        old_apps = _migrate_back_to_old_schema()
        old = _load_old_demo(old_apps)
        before = {
            name: old_apps.get_model(app, name).objects.count()
            for app, name in [
                ("promises", "Promise"),
                ("promises", "Commitment"),
                ("activities", "Activity"),
                ("promises", "Contact"),
                ("promises", "Organisation"),
            ]
        }

        _latest()
        # As `manage.py migrate` does after the migrations: content types and
        # permissions of models it does not know yet are created here.
        emit_post_migrate_signal(0, False, connection.alias)

        after = {
            model.__name__: model.objects.count()
            for model in (Promise, Commitment, Activity, Contact, Organisation)
        }
        assert after == before
        _check_moved(old)
        _check_permissions_moved()
        # The organisation sums (activities 0012, their totals filled by 0016)
        # are those the migrated activities give.
        stored = {
            (row.commitment_id, row.organisation_id, *(getattr(row, c) for c in ORG_COLUMNS))
            for row in OrganisationSum.objects.all()
        }
        afresh = {
            (row.commitment_id, row.organisation_id, *(getattr(row, c) for c in ORG_COLUMNS))
            for row in summaries._organisation_rows(Activity.objects.published())
        }
        assert stored == afresh
        assert sum(row[3] for row in stored) > 0  # the occasions were filled in

        # The new demo loads on top of the migrated one, and a second run adds nothing.
        call_command("load_demo", force=True, stdout=StringIO())
        first = _counts()
        assert first["Promise"] > before["Promise"]  # Göteborg's examples are new
        assert (
            Promise.objects.filter(
                municipalities__code="1401", period_start=date(2022, 5, 31)
            ).count()
            == 1
        )
        call_command("load_demo", force=True, stdout=StringIO())
        assert _counts() == first
        _check_permissions_moved()
    finally:
        _latest()
