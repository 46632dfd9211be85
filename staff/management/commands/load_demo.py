"""Load the demo: reference data, Härryda's real promise, marked examples, example activities."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from types import ModuleType

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from activities.models import Activity
from promises.models import (
    ActivityType,
    Assessment,
    Commitment,
    Contact,
    District,
    FollowUp,
    Indicator,
    Measurement,
    Municipality,
    Organisation,
    PoliceArea,
    PoliceRegion,
    PriorityArea,
    Promise,
)
from staff.demo import goteborg, harryda, molndal

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
    (
        "kommunpolis.hisingen",
        "Hugo",
        "Hisingen",
        "Lokalpolisområde Storgöteborg Hisingen",
        "Kommunpolis",
    ),
]

# The demo's activities stop here, so that it never shows work in the future as done.
DEMO_TODAY = date(2026, 10, 31)

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

# Härryda's published follow-up for 2023 in the demo (made up, and marked so).
# Example outcome series: invented values in the shape of the real sources.
DEMO_INDICATORS = [
    {
        "name": "Andel som känner sig trygga ute ensamma sent en kväll i sitt bostadsområde",
        "name_en": "Share who feel safe out alone late in the evening in their neighbourhood",
        "unit": "procent",
        "unit_en": "per cent",
        "direction": "up",
        "position": 1,
        "description": (
            "Andel av de svarande i trygghetsmätningen som svarar ”mycket” eller "
            "”ganska” trygg. Exempeldata: värdena är påhittade."
        ),
        "source_name": "Polisens trygghetsmätning (exempelvärden)",
        "source_url": "https://polisen.se/om-polisen/polisens-arbete/trygghetsmatning/",
        "values": [
            (2019, Decimal("68.0"), Decimal("3.1"), 812),
            (2020, Decimal("67.2"), Decimal("3.0"), 845),
            (2021, Decimal("69.5"), Decimal("3.2"), 790),
            (2022, Decimal("70.1"), Decimal("3.0"), 861),
            (2023, Decimal("72.4"), Decimal("2.9"), 903),
            (2024, Decimal("74.8"), Decimal("2.8"), 934),
        ],
    },
    {
        "name": "Anmälda brott per 100 000 invånare",
        "name_en": "Reported crimes per 100,000 inhabitants",
        "unit": "anmälda brott per 100 000 invånare",
        "unit_en": "reported crimes per 100,000 inhabitants",
        "direction": "down",
        "position": 2,
        "description": (
            "Alla anmälda brott i kommunen under året, räknat per 100 000 invånare. "
            "Fler anmälningar kan också betyda att fler vågar anmäla. Exempeldata: "
            "värdena är påhittade."
        ),
        "source_name": "Brå, kriminalstatistik (exempelvärden)",
        "source_url": "https://bra.se/statistik/kriminalstatistik.html",
        "values": [
            (2019, Decimal("8120"), None, None),
            (2020, Decimal("7890"), None, None),
            (2021, Decimal("7610"), None, None),
            (2022, Decimal("7740"), None, None),
            (2023, Decimal("7350"), None, None),
            (2024, Decimal("7020"), None, None),
        ],
    },
]

HARRYDA_FOLLOW_UP = {
    "title": "Uppföljning 2023 (exempel)",
    "narrative": (
        "Exempeldata: den här uppföljningen är påhittad för att visa hur en uppföljning "
        "redovisas. Den är inte Härryda kommuns och polisens verkliga bedömning.\n\n"
        "Arbetet med ungdomar i riskzon har genomförts som planerat. Insatserna mot "
        "skadegörelse kom i gång senare än tänkt."
    ),
    "next_steps": "Exempel: fler gemensamma insatser mot skadegörelse under våren.",
    # (commitment position, verdict, explanation)
    "assessments": [
        (1, "done", ""),
        (2, "done", ""),
        (3, "ongoing", "Exempel: samverkan fortsätter under hela löftesperioden."),
        (
            4,
            "partly",
            "Exempel: saneringen av klotter kom i gång först i september, när kommunens nya "
            "avtal började gälla, så färre platser än planerat hann åtgärdas under 2023.",
        ),
        (5, "done", ""),
    ],
}


class Command(BaseCommand):
    help = (
        "Läser in demodata: referensdata om kommuner och län, Härrydas medborgarlöfte "
        "2022–2024 med en uppföljning, märkta exempel för Mölndal och Göteborg, genererade "
        "exempelaktiviteter och demokonton. Kan köras flera gånger."
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
        call_command("load_reference_data", stdout=self.stdout)
        region = PoliceRegion.objects.get(slug="vast")
        area, _ = PoliceArea.objects.get_or_create(
            slug="storgoteborg-syd", defaults={"name": "Storgöteborg syd", "region": region}
        )
        harryda_kommun = Municipality.objects.get(code="1401")
        molndal_kommun = Municipality.objects.get(code="1481")
        area.municipalities.add(harryda_kommun, molndal_kommun)
        police_org = self._organisation(
            "Lokalpolisområde Storgöteborg syd", Organisation.Kind.POLICE_AREA, police_area=area
        )
        harryda_org = self._organisation(
            "Härryda kommun", Organisation.Kind.MUNICIPALITY, municipality=harryda_kommun
        )
        molndal_org = self._organisation(
            "Mölndals stad", Organisation.Kind.MUNICIPALITY, municipality=molndal_kommun
        )

        created = 0
        harryda_promise, count = self._load_module(
            harryda, harryda_kommun, area, police_org, harryda_org, seed=2022, count=150
        )
        created += count
        self._load_follow_up(harryda_promise)
        self._load_indicators(harryda_kommun)
        _promise, count = self._load_module(
            molndal,
            molndal_kommun,
            area,
            police_org,
            molndal_org,
            seed=2025,
            count=120,
            example=True,
        )
        created += count
        created += self._load_city(region)
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

    @staticmethod
    def _load_indicators(municipality: Municipality) -> None:
        """Two example indicators for Härryda over several years, marked as example data."""
        for spec in DEMO_INDICATORS:
            indicator, created = Indicator.objects.get_or_create(
                name=spec["name"],
                is_example=True,
                defaults={
                    key: value for key, value in spec.items() if key not in {"name", "values"}
                }
                | {"status": Indicator.Status.PUBLISHED},
            )
            if created:
                indicator.municipalities.add(municipality)
            for year, value, interval, sample in spec["values"]:
                Measurement.objects.get_or_create(
                    indicator=indicator,
                    municipality=municipality,
                    district=None,
                    year=year,
                    date=None,
                    defaults={
                        "value": value,
                        "ci_low": interval and value - interval,
                        "ci_high": interval and value + interval,
                        "sample_size": sample,
                    },
                )

    @staticmethod
    def _organisation(name: str, kind: str, **links) -> Organisation:
        org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, **links})
        return org

    def _promise(self, *, lookup: dict, fields: dict, givers: dict, coverage: dict) -> Promise:
        """The promise found by ``lookup``, or a new one created and then published."""
        promise = Promise.objects.filter(**lookup).first()
        if promise is not None:
            return promise
        promise = Promise(status=Promise.Status.DRAFT, **fields)
        promise.pending_coverage = coverage
        promise.save()
        for name, values in {**givers, **coverage}.items():
            getattr(promise, name).set(values)
        promise.status = Promise.Status.PUBLISHED
        promise.save()
        return promise

    def _commitments(self, promise, specs, parties_for, types) -> list:
        commitments = []
        areas = {}
        for position, spec in enumerate(specs, start=1):
            defaults = {"title": spec["title"]}
            if spec.get("as_needed"):
                defaults["target_period"] = Commitment.TargetPeriod.AS_NEEDED
            if spec.get("target"):
                value, unit, target_type, measure, *period = spec["target"]
                defaults.update(
                    target_value=value,
                    target_unit=unit,
                    target_activity_type=types.get(target_type) if target_type else None,
                    target_measure=measure,
                    target_period=period[0] if period else Commitment.TargetPeriod.PERIOD,
                )
            if spec.get("priority"):
                if spec["priority"] not in areas:
                    areas[spec["priority"]], _ = PriorityArea.objects.get_or_create(
                        promise=promise,
                        title=spec["priority"],
                        defaults={"position": len(areas) + 1},
                    )
                defaults["priority_area"] = areas[spec["priority"]]
            commitment, was_created = Commitment.objects.get_or_create(
                promise=promise, position=position, defaults=defaults
            )
            parties = [org for key in spec["parties"] for org in parties_for[key]]
            if was_created:
                commitment.parties.set(parties)
            commitments.append((commitment, parties, [types[s] for s in spec["types"]]))
        return commitments

    def _load_module(
        self,
        data: ModuleType,
        municipality: Municipality,
        area: PoliceArea,
        police_org: Organisation,
        municipal_org: Organisation,
        *,
        seed: int,
        count: int,
        example: bool = False,
    ) -> tuple[Promise, int]:
        promise = self._promise(
            lookup={"municipalities": municipality, "period_start": data.PERIOD_START},
            fields={
                "title": data.TITLE,
                "period_start": data.PERIOD_START,
                "period_end": data.PERIOD_END,
                "focus": data.FOCUS,
                "summary": data.SUMMARY,
                "background": data.BACKGROUND,
                "commitments_intro": data.COMMITMENTS_INTRO,
                "goal": data.GOAL,
                "how_to_follow": data.HOW_TO_FOLLOW,
                "is_example": example,
            },
            givers={"police_areas": [area], "signing_municipalities": [municipality]},
            coverage={"municipalities": [municipality], "districts": []},
        )
        if not promise.contacts.exists():
            for position, contact in enumerate(data.CONTACTS, start=1):
                Contact.objects.create(promise=promise, position=position, **contact)
        parties_for = {
            "police": [police_org],
            "municipality": [municipal_org],
            "joint": [police_org, municipal_org],
        }
        specs = []
        for title, lead, type_slugs, *target in data.COMMITMENTS:
            spec = {"title": title, "parties": [lead], "types": type_slugs}
            if target and target[0] is not None:
                spec["target"] = tuple(target)
            elif target:
                spec["target"] = None
            specs.append(spec)
        types = {t.slug: t for t in ActivityType.objects.all()}
        commitments = self._commitments(promise, specs, parties_for, types)
        return promise, self._generate_activities(promise, commitments, data.PLACES, seed, count)

    def _load_follow_up(self, promise: Promise) -> None:
        spec = HARRYDA_FOLLOW_UP
        follow_up, created = FollowUp.objects.get_or_create(
            promise=promise,
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
            defaults={
                "title": spec["title"],
                "narrative": spec["narrative"],
                "next_steps": spec["next_steps"],
                "status": FollowUp.Status.PUBLISHED,
            },
        )
        if not created:
            return
        for position, verdict, explanation in spec["assessments"]:
            assessment = Assessment(
                follow_up=follow_up,
                commitment=promise.commitments.get(position=position),
                verdict=verdict,
                explanation=explanation,
            )
            assessment.full_clean()
            assessment.save()

    def _load_city(self, region: PoliceRegion) -> int:
        city = Municipality.objects.get(code="1480")
        districts = {}
        for name, slug in goteborg.DISTRICTS:
            districts[slug], _ = District.objects.get_or_create(
                municipality=city, slug=slug, defaults={"name": name}
            )
        areas, police_orgs = {}, {}
        for name, slug, covered in goteborg.POLICE_AREAS:
            areas[slug], _ = PoliceArea.objects.get_or_create(
                slug=slug, defaults={"name": name, "region": region}
            )
            areas[slug].districts.add(*[districts[d] for d in covered])
            police_orgs[slug] = self._organisation(
                f"Lokalpolisområde {name}",
                Organisation.Kind.POLICE_AREA,
                police_area=areas[slug],
            )
        city_org = self._organisation(
            "Göteborgs stad", Organisation.Kind.MUNICIPALITY, municipality=city
        )
        partner = self._organisation(goteborg.PARTNER, Organisation.Kind.PARTNER, municipality=city)
        types = {t.slug: t for t in ActivityType.objects.all()}
        created = 0
        for n, spec in enumerate(goteborg.PROMISES):
            district = districts[spec["district"]]
            promise = self._promise(
                lookup={"districts": district, "period_start": goteborg.PERIOD_START},
                fields={
                    "title": spec["title"],
                    "period_start": goteborg.PERIOD_START,
                    "period_end": goteborg.PERIOD_END,
                    "focus": spec["focus"],
                    "summary": spec["summary"],
                    "goal": spec["goal"],
                    "how_to_follow": (
                        "Följ arbetet på den här webbplatsen, där varje aktivitet redovisas."
                    ),
                    "is_example": True,
                },
                givers={
                    "police_areas": [areas[spec["police_area"]]],
                    "signing_municipalities": [city] if spec["signed_by_city"] else [],
                    "partners": [partner]
                    if any("partner" in c["parties"] for c in spec["commitments"])
                    else [],
                },
                coverage={"municipalities": [city], "districts": [district]},
            )
            parties_for = {
                "police": [police_orgs[spec["police_area"]]],
                "municipality": [city_org],
                "partner": [partner],
            }
            commitments = self._commitments(promise, spec["commitments"], parties_for, types)
            created += self._generate_activities(
                promise, commitments, spec["places"], seed=2030 + n, count=90
            )
            created += self._plan_upcoming(promise, commitments, spec["places"])
        return created

    def _generate_activities(self, promise, commitments, places, seed, count) -> int:
        """Deterministic example activities, so that a second run finds them all present."""
        rng = random.Random(seed)
        # Generated activities stop short of today for a current promise, so that
        # the demo never shows activities in the future.
        last_day = min(promise.period_end, DEMO_TODAY)
        span = (last_day - promise.period_start).days
        created = 0
        for n in range(count):
            commitment, parties, types = commitments[n % len(commitments)]
            # The last commitment of an example goes quiet, to show the
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
                        f"Exempeldata: {_in_sentence(activity_type.name)} inom åtagandet. "
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
                activity.organisations.set(parties)
                created += 1
        return created

    def _plan_upcoming(self, promise, commitments, places) -> int:
        """A few planned activities after the demo's last day: shown as ”Kommande”."""
        created = 0
        for n, (commitment, parties, types) in enumerate(commitments):
            when = max(timezone.localdate(), DEMO_TODAY) + timedelta(days=7 * (n + 1))
            if when > promise.period_end:
                continue
            activity, was_created = Activity.objects.get_or_create(
                commitment=commitment,
                title=f"Planerat: {_in_sentence(types[0].name)} i {places[n % len(places)]}",
                is_example=True,
                defaults={
                    "date": when,
                    "type": types[0],
                    "place": places[n % len(places)],
                    "state": Activity.State.PLANNED,
                    "description": "Exempeldata: en planerad aktivitet.",
                },
            )
            if was_created:
                activity.organisations.set(parties)
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


def _in_sentence(name: str) -> str:
    """A type's name inside a sentence: only its first letter lower-cased, so that
    abbreviations such as SSPF stay whole (and the glossary explains them)."""
    return name[:1].lower() + name[1:]
