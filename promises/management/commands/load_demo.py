"""Load the demo: Härryda's real promise, a marked example for Mölndal, and example activities."""

import random
from datetime import date, timedelta
from types import ModuleType

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.models import Activity, ActivityType
from promises.demo import harryda, molndal
from promises.models import (
    Commitment,
    Contact,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    Promise,
)

DEMO_PASSWORD = "demo-medborgarlofte-2022"  # noqa: S105 - printed on purpose, demo only
DEMO_USERS = [
    # (username, first name, last name, organisation name, group)
    (
        "kommunpolis.harryda",
        "Kim",
        "Kommunpolis",
        "Lokalpolisområde Storgöteborg syd",
        "Kommunpolis",
    ),
    ("samordnare.molndal", "Sam", "Samordnare", "Mölndals stad", "Kommunens samordnare"),
    ("rapport.harryda", "Rut", "Rapportläsare", "Härryda kommun", "Rapportläsare"),
]

# Wording per activity type for the generated examples: (title pattern, occasions range).
EXAMPLE_TITLES = {
    "fotpatrullering": ("Fotpatrullering i {place}", (2, 14)),
    "riktad-insats": ("Riktad insats mot narkotika i {place}", (1, 2)),
    "trygghetsvandring": ("Trygghetsvandring i {place}", (1, 1)),
    "medborgardialog": ("Trygghetskväll för boende i {place}", (1, 1)),
    "foraldrastarkande": ("Föräldraträff om droger och alkohol", (1, 2)),
    "nattvandring": ("Nattvandring med föräldrar i {place}", (1, 3)),
    "fysisk-atgard": ("Ny belysning och röjd växtlighet i {place}", (1, 1)),
    "sanering": ("Klotter sanerat i {place}", (1, 6)),
    "skolsamverkan": ("SSPF-möte med skola, socialtjänst och polis", (1, 2)),
    "myndighetssamverkan": ("Samverkansmöte om ungdomar i riskzon", (1, 1)),
}


class Command(BaseCommand):
    help = (
        "Läser in demodata: Härrydas medborgarlöfte 2022–2024, ett märkt exempel för Mölndal, "
        "genererade exempelaktiviteter och demokonton. Kan köras flera gånger."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Läs in demodata även när DEBUG är av (t.ex. i tester). Aldrig i produktion.",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            # The demo creates staff accounts with a published password.
            raise CommandError(
                "load_demo är till för utveckling och demonstration och skapar personalkonton "
                "med ett känt lösenord. Kör med DEBUG=true, eller med --force om det verkligen "
                "inte är en produktionsdatabas."
            )
        region, _ = PoliceRegion.objects.get_or_create(slug="vast", defaults={"name": "Väst"})
        area, _ = PoliceArea.objects.get_or_create(
            slug="storgoteborg-syd",
            defaults={"name": "Storgöteborg syd", "region": region},
        )
        harryda_kommun, _ = Municipality.objects.get_or_create(
            code="1401", defaults={"name": "Härryda", "slug": "harryda", "police_area": area}
        )
        molndal_kommun, _ = Municipality.objects.get_or_create(
            code="1481", defaults={"name": "Mölndal", "slug": "molndal", "police_area": area}
        )
        police_org, _ = Organisation.objects.get_or_create(
            name="Lokalpolisområde Storgöteborg syd",
            defaults={"kind": Organisation.Kind.POLICE_AREA, "police_area": area},
        )
        harryda_org, _ = Organisation.objects.get_or_create(
            name="Härryda kommun",
            defaults={"kind": Organisation.Kind.MUNICIPALITY, "municipality": harryda_kommun},
        )
        molndal_org, _ = Organisation.objects.get_or_create(
            name="Mölndals stad",
            defaults={"kind": Organisation.Kind.MUNICIPALITY, "municipality": molndal_kommun},
        )

        orgs = {
            "police": [police_org],
            "municipality": [harryda_org],
            "joint": [police_org, harryda_org],
        }
        created = self._load_promise(harryda, harryda_kommun, area, orgs, seed=2022, count=150)
        orgs = {
            "police": [police_org],
            "municipality": [molndal_org],
            "joint": [police_org, molndal_org],
        }
        created += self._load_promise(
            molndal, molndal_kommun, area, orgs, seed=2025, count=120, example=True
        )
        users = self._load_users()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata inläst: {Promise.objects.count()} medborgarlöften, "
                f"{Activity.objects.count()} aktiviteter ({created} nya)."
            )
        )
        self.stdout.write(f"Demokonton för personal på /admin/ (lösenord: {DEMO_PASSWORD}):")
        for username, org in users:
            self.stdout.write(f"  {username}  ({org})")

    def _load_promise(
        self,
        data: ModuleType,
        municipality: Municipality,
        area: PoliceArea,
        orgs: dict[str, list[Organisation]],
        *,
        seed: int,
        count: int,
        example: bool = False,
    ) -> int:
        promise = Promise.objects.filter(
            municipalities=municipality, period_start=data.PERIOD_START
        ).first()
        if promise is None:
            promise = Promise.objects.create(
                police_area=area,
                title=data.TITLE,
                period_start=data.PERIOD_START,
                period_end=data.PERIOD_END,
                focus=data.FOCUS,
                summary=data.SUMMARY,
                background=data.BACKGROUND,
                commitments_intro=data.COMMITMENTS_INTRO,
                goal=data.GOAL,
                how_to_follow=data.HOW_TO_FOLLOW,
                status=Promise.Status.DRAFT,
                is_example=example,
            )
            promise.municipalities.add(municipality)
            promise.status = Promise.Status.PUBLISHED
            promise.save()
            for position, contact in enumerate(data.CONTACTS, start=1):
                Contact.objects.create(promise=promise, position=position, **contact)

        types = {t.slug: t for t in ActivityType.objects.all()}
        commitments = []
        for position, row in enumerate(data.COMMITMENTS, start=1):
            title, lead, type_slugs, *target = row
            defaults = {"title": title, "lead_party": lead}
            if target:
                value, unit, target_type, measure = target
                defaults.update(
                    target_value=value,
                    target_unit=unit,
                    target_activity_type=types.get(target_type) if target_type else None,
                    target_measure=measure,
                )
            commitment, _ = Commitment.objects.get_or_create(
                promise=promise, position=position, defaults=defaults
            )
            commitments.append((commitment, lead, [types[s] for s in type_slugs]))

        return self._generate_activities(promise, commitments, orgs, data.PLACES, seed, count)

    def _generate_activities(self, promise, commitments, orgs, places, seed, count) -> int:
        """Deterministic example activities, so that a second run finds them all present."""
        rng = random.Random(seed)
        # Generated activities stop short of today for a current promise, so that
        # the demo never shows activities in the future.
        last_day = min(promise.period_end, date(2026, 10, 31))
        span = (last_day - promise.period_start).days
        created = 0
        for n in range(count):
            commitment, lead, types = commitments[n % len(commitments)]
            # The last commitment of the example goes quiet, to show the
            # "no activity lately" flag.
            day_span = (
                span - 120 if commitment is commitments[-1][0] and promise.is_example else span
            )
            activity_type = rng.choice(types)
            place = rng.choice(places)
            pattern, (low, high) = EXAMPLE_TITLES.get(
                activity_type.slug, (activity_type.name + " i {place}", (1, 1))
            )
            when = promise.period_start + timedelta(days=rng.randrange(max(day_span, 1)))
            occasions = rng.randint(low, high)
            people = (
                rng.randint(15, 60)
                if activity_type.slug in {"foraldrastarkande", "medborgardialog", "nattvandring"}
                else None
            )
            activity, was_created = Activity.objects.get_or_create(
                commitment=commitment,
                date=when,
                title=pattern.format(place=place),
                is_example=True,
                defaults={
                    "type": activity_type,
                    "place": place,
                    "occasions": occasions,
                    "people_reached": people,
                    "description": (
                        f"Exempeldata: {activity_type.name.lower()} inom åtagandet. "
                        f"{occasions} tillfälle{'n' if occasions > 1 else ''}."
                    ),
                    "internal_note": (
                        "Intern anteckning (exempel): uppföljning med fältgruppen nästa vecka."
                        if n % 10 == 0
                        else ""
                    ),
                    "status": (
                        Activity.Status.DRAFT if n % 25 == 24 else Activity.Status.PUBLISHED
                    ),
                },
            )
            if was_created:
                activity.organisations.set(orgs[lead] if lead in orgs else orgs["joint"])
                created += 1
        return created

    def _load_users(self) -> list[tuple[str, str]]:
        call_command("setup_groups", stdout=self.stdout)
        User = get_user_model()
        users = []
        for username, first, last, org_name, group_name in DEMO_USERS:
            user, was_created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": True},
            )
            if was_created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            # Permissions come from the group only.
            user.user_permissions.clear()
            user.groups.set([Group.objects.get(name=group_name)])
            org = Organisation.objects.get(name=org_name)
            org.members.add(user)
            users.append((username, f"{org_name}, {group_name}"))
        return users
