"""Generate a national dataset for benchmarks: every municipality's promises and a million activities.

For measuring only, never for a real site. It lives in the activities app
because it needs the promises and the activities and nothing above them (no
staff accounts, no public pages): the lowest layer that sees both. The demo,
``load_demo``, is in staff because it creates staff accounts and groups.

What it makes, on top of the reference data (290 municipalities):

- police areas of one to four municipalities per county, and in Stockholm,
  Göteborg and Malmö police areas that cover several districts each (and a
  neighbouring municipality: Lidingö, Partille);
- three promise periods for every municipality or group of municipalities
  and every district: two finished and the current one (one to three years
  long, a few starting in spring); a few current ones still drafts, a few
  drafts for the next period;
- commitments with targets of every kind (period, year, month, week, "vid
  behov", none), priority areas, parties, contacts, yearly follow-ups with
  assessments;
- ``--activities`` activities (default 1,000,000) spread over the promises:
  most done, some planned or cancelled, most published, some drafts.

Everything is written in bulk, which skips ``clean()`` and the history: the
data satisfies the domain rules by construction (one published promise at a
time per municipality or district, activities inside their promise's period,
nothing done in the future), and a test validates a sample with
``full_clean()``. On PostgreSQL the activities go in with COPY (several times
faster than ``bulk_create``, see docs/performance.md; ``--bulk-create`` to
compare). Every name it creates ends in "(exempeldata)", every promise and
activity is marked as example data, and ``--replace`` deletes exactly that.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import summaries
from activities.models import Activity
from promises.models import (
    ActivityType,
    Assessment,
    Commitment,
    Contact,
    District,
    FollowUp,
    Municipality,
    Organisation,
    PoliceArea,
    PriorityArea,
    Promise,
)

# The end of every name the command creates: what --replace deletes, and a
# mark of example data wherever the name is shown.
MARK = " (exempeldata)"
SEED = 20261201

# Stockholm, Göteborg and Malmö: promises per district, from police areas that
# each cover several districts and sometimes a neighbouring municipality.
# (police area, its districts, whole municipalities it also covers by kommunkod)
CITIES = {
    "0180": [
        ("Norrmalm", ["Norrmalm", "Östermalm", "Kungsholmen"], ["0186"]),
        ("Södermalm", ["Södermalm", "Enskede-Årsta-Vantör", "Skarpnäck"], []),
        ("Rinkeby", ["Rinkeby-Kista", "Spånga-Tensta"], []),
        ("Västerort", ["Hässelby-Vällingby", "Bromma"], []),
        ("Söderort", ["Farsta", "Hägersten-Älvsjö", "Skärholmen"], []),
    ],
    "1480": [
        ("Storgöteborg Hisingen", ["Norra Hisingen", "Västra Hisingen", "Lundby"], []),
        ("Storgöteborg nordost", ["Angered", "Östra Göteborg"], ["1402"]),
        ("Storgöteborg centrum", ["Centrum", "Majorna-Linné", "Örgryte-Härlanda"], []),
        ("Storgöteborg väst", ["Askim-Frölunda-Högsbo", "Västra Göteborg"], []),
    ],
    "1280": [
        ("Malmö norr", ["Innerstaden", "Kirseberg"], []),
        ("Malmö väster", ["Västra innerstaden", "Limhamn-Bunkeflo", "Hyllie"], []),
        ("Malmö söder", ["Södra innerstaden", "Fosie", "Oxie"], []),
        ("Malmö öster", ["Rosengård", "Husie"], []),
    ],
}
# Police areas named in the domain notes: Härryda and Mölndal together.
NAMED_AREAS = [("Storgöteborg syd", ["1401", "1481"])]

# Kinds of commitment: (title, activity types, target choices). A target is
# (per, value, unit, counted type or None, measure); "as_needed" or None (no target).
COMMITMENTS = [
    (
        "Polisen är synlig på de platser där boende känner sig otrygga",
        ["fotpatrullering"],
        [
            ("period", 300, "fotpatrulleringar", "fotpatrullering", "occasions"),
            ("year", 150, "fotpatrulleringar", "fotpatrullering", "occasions"),
            ("week", 3, "fotpatrulleringar", "fotpatrullering", "occasions"),
        ],
    ),
    (
        "Vi genomför trygghetsvandringar tillsammans med boende",
        ["trygghetsvandring"],
        [("year", 6, "trygghetsvandringar", None, "occasions")],
    ),
    (
        "Vi bjuder in till medborgardialoger och trygghetskvällar",
        ["medborgardialog"],
        [
            ("year", 4, "dialoger", None, "occasions"),
            ("period", 300, "invånare", None, "people"),
        ],
    ),
    (
        "Vi stärker föräldrar genom föräldraträffar och nattvandringar",
        ["foraldrastarkande", "nattvandring"],
        [("year", 200, "föräldrar", None, "people")],
    ),
    (
        "Riktade insatser mot narkotikaförsäljning",
        ["riktad-insats"],
        [("period", 10, "riktade insatser", None, "occasions"), None],
    ),
    (
        "Klotter och skadegörelse saneras inom ett dygn",
        ["sanering", "fysisk-atgard"],
        [("month", 4, "saneringar", "sanering", "occasions")],
    ),
    (
        "Trafikkontroller vid skolor och i bostadsområden",
        ["trafikkontroll", "hastighetsdisplay"],
        [("month", 2, "trafikkontroller", "trafikkontroll", "occasions")],
    ),
    (
        "Samverkan med skola och socialtjänst kring unga i riskzon (SSPF)",
        ["skolsamverkan", "myndighetssamverkan"],
        [("year", 10, "samverkansmöten", None, "occasions"), None],
    ),
    (
        "Information om bedrägerier till äldre",
        ["bedrageriinformation"],
        [("year", 8, "informationsträffar", None, "occasions")],
    ),
    ("Samverkan med det lokala näringslivet", ["naringsliv"], [None]),
    (
        "Vi hjälper till med en trygghetsvandring när boende ber om det",
        ["trygghetsvandring"],
        ["as_needed"],
    ),
    (
        "Bättre belysning och röjd växtlighet på otrygga platser",
        ["fysisk-atgard"],
        [("period", 20, "platser", None, "occasions")],
    ),
]
# Which party promises a commitment, by its first activity type.
POLICE_TYPES = {"fotpatrullering", "riktad-insats", "trafikkontroll", "hastighetsdisplay"}
MUNICIPAL_TYPES = {"sanering", "fysisk-atgard", "foraldrastarkande", "naringsliv"}
PRIORITY_AREAS = ["Ungdomar", "Otrygga platser", "Brott mot äldre", "Trafik"]
FOCUS = [
    "ungdomar i riskzon",
    "trygga centrummiljöer",
    "narkotika i offentlig miljö",
    "trafiken kring skolorna",
    "bedrägerier mot äldre",
    "otrygga platser på kvällstid",
]

# Title pattern and occasions per activity type.
TITLES = {
    "fotpatrullering": ("Fotpatrullering i {place}", (2, 14)),
    "riktad-insats": ("Riktad insats mot narkotika i {place}", (1, 2)),
    "trygghetsvandring": ("Trygghetsvandring i {place}", (1, 1)),
    "medborgardialog": ("Trygghetskväll för boende i {place}", (1, 1)),
    "foraldrastarkande": ("Föräldraträff om droger och alkohol i {place}", (1, 2)),
    "nattvandring": ("Nattvandring med föräldrar i {place}", (1, 3)),
    "fysisk-atgard": ("Ny belysning och röjd växtlighet i {place}", (1, 1)),
    "sanering": ("Klotter sanerat i {place}", (1, 6)),
    "trafikkontroll": ("Trafikkontroll vid {place}", (1, 3)),
    "hastighetsdisplay": ("Hastighetsdisplay uppsatt vid {place}", (1, 1)),
    "skolsamverkan": ("SSPF-möte med skola, socialtjänst och polis", (1, 2)),
    "bedrageriinformation": ("Information om bedrägerier för seniorer i {place}", (1, 1)),
    "naringsliv": ("Möte med näringsidkare i {place}", (1, 1)),
    "myndighetssamverkan": ("Samverkansmöte om unga i riskzon", (1, 1)),
}
# Activity types whose entries usually say how many people they reached.
PEOPLE_TYPES = {"medborgardialog", "foraldrastarkande", "nattvandring", "bedrageriinformation"}
PLACES = [
    "{name} centrum",
    "{name} resecentrum",
    "{name} idrottsplats",
    "{name} skolområde",
    "{name} köpcentrum",
    "{name} park",
    "{name} bibliotek",
    "{name} torg",
]
DESCRIPTIONS = [
    "Kvällstid tillsammans med fältassistenter.",
    "I samverkan med skolan och socialtjänsten.",
    "Fokus på ungdomar som rör sig ute sent.",
    "Boende visade mörka gångvägar och tunnlar.",
    "Samtal med näringsidkare om skadegörelse.",
    "Nattvandrare och föreningar deltog.",
    "Kontroll av hastighet och nykterhet vid skolan.",
    "Information om bedrägerier via telefon och e-post.",
    "Belysningen i gångtunneln är utbytt.",
    "Klottret anmäldes av boende och togs bort samma dag.",
    "Insatsen gav flera beslag och anmälningar.",
    "Bra uppslutning och många frågor om trygghet.",
]
EXPLANATIONS = [
    "Färre tillfällen än planerat på grund av personalbrist under sommaren.",
    "Arbetet kom i gång senare än tänkt, när avtalet med entreprenören var klart.",
    "Insatsen prioriterades ned till förmån för ett akut läge i ett annat område.",
    "Samverkan pågår och följs upp vid nästa uppföljning.",
]

ACTIVITY_FIELDS = (
    "commitment_id",
    "type_id",
    "date",
    "end_date",
    "title",
    "description",
    "place",
    "occasions",
    "people_reached",
    "state",
    "status",
    "internal_note",
    "is_example",
    "created_at",
    "updated_at",
)


@dataclass
class Unit:
    """Where one chain of promises applies: whole municipalities, or one district."""

    name: str
    area: PoliceArea
    municipalities: list[Municipality]
    district: District | None = None
    weight: float = 1.0
    years: int = 2
    places: list[str] = field(default_factory=list)


@dataclass
class PlannedPromise:
    """A promise about to be written, with what its activities need."""

    promise: Promise
    unit: Unit
    commitments: list[tuple[Commitment, list[int], list[int], int]] = field(default_factory=list)
    weight: float = 0.0


def _years_later(day: date, years: int) -> date:
    # Anchors are never 29 February, so replace() is always valid.
    return day.replace(year=day.year + years)


class Command(BaseCommand):
    help = gettext_lazy(
        "Skapar ett nationellt dataunderlag för prestandamätningar: medborgarlöften för alla "
        "290 kommuner och stadsdelar i Stockholm, Göteborg och Malmö, åtaganden, uppföljningar "
        "och en miljon aktiviteter, allt märkt som exempeldata. Bara för mätningar."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--activities",
            type=int,
            default=1_000_000,
            help=_("Antal aktiviteter (standard 1 000 000)."),
        )
        parser.add_argument(
            "--seed", type=int, default=SEED, help=_("Slumpfrö (samma frö ger samma data).")
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Ta bort det som kommandot skapat tidigare och skapa på nytt."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Kör även när DEBUG är av. Aldrig mot en produktionsdatabas."),
        )
        parser.add_argument(
            "--bulk-create",
            action="store_true",
            help=_("Skriv aktiviteterna med bulk_create även på PostgreSQL (för jämförelse)."),
        )
        parser.add_argument(
            "--batch-size", type=int, default=50_000, help=_("Aktiviteter per skrivning.")
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "generate_national_data fyller databasen med påhittade medborgarlöften för "
                    "prestandamätningar. Kör med DEBUG=true, eller med --force om det verkligen "
                    "inte är en produktionsdatabas."
                )
            )
        if options["activities"] < 0:
            raise CommandError(_("Antalet aktiviteter kan inte vara negativt."))
        self.rng = random.Random(options["seed"])
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.verbosity = options["verbosity"]
        started = time.perf_counter()
        call_command("load_reference_data", verbosity=0, stdout=self.stdout)
        try:
            with transaction.atomic():
                if generated_exists():
                    if not options["replace"]:
                        raise CommandError(
                            _(
                                "Det finns redan genererade data (namn som slutar på "
                                "”%(mark)s”). Kör med --replace för att ta bort dem och skapa "
                                "nya."
                            )
                            % {"mark": MARK.strip()}
                        )
                    self._step(_("Tar bort tidigare genererade data"), delete_generated)
                self._generate(options)
                # COPY and bulk_create pass by the signals that keep the sums.
                self._step(_("Månadssummor"), summaries.rebuild)
        except IntegrityError as error:
            # Most likely on --replace: something made since (a highlight in a
            # report, an activity logged by hand) points at the generated data.
            raise CommandError(
                _(
                    "Databasen vägrade, inget ändrades: %(error)s. Hänvisar något annat till "
                    "tidigare genererade data, t.ex. en utvald aktivitet i en rapport? Ta bort "
                    "det först."
                )
                % {"error": error}
            ) from error
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner sees the new shape at once.
            self._step("VACUUM ANALYZE", _analyze)
        self._report(time.perf_counter() - started)

    def _step(self, label: str, function, *args):
        started = time.perf_counter()
        result = function(*args)
        if self.verbosity:
            self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")
        return result

    def _generate(self, options) -> None:
        types = {t.slug: t for t in ActivityType.objects.filter(is_active=True)}
        self.type_slugs = {t.pk: slug for slug, t in types.items()}
        units = self._step(_("Polisområden, stadsdelar, organisationer"), self._units)
        planned = self._step(_("Medborgarlöften och åtaganden"), self._promises, units, types)
        self._step(_("Uppföljningar"), self._follow_ups, planned)
        counts = _share(options["activities"], [p.weight for p in planned])
        use_copy = connection.vendor == "postgresql" and not options["bulk_create"]
        writer = _CopyWriter(options["activities"]) if use_copy else _BulkWriter()
        self._step(
            _("Aktiviteter (%(method)s)") % {"method": "COPY" if use_copy else "bulk_create"},
            self._activities,
            planned,
            counts,
            writer,
            options["batch_size"],
        )

    # Places: police areas, districts, organisations, and where promises apply.

    def _units(self) -> list[Unit]:
        rng = self.rng
        municipalities = {
            m.code: m for m in Municipality.objects.select_related("county__police_region")
        }
        taken = _covered_whole()
        units: list[Unit] = []
        areas: list[PoliceArea] = []
        districts: list[District] = []
        covers: list[tuple[PoliceArea, Municipality]] = []
        covers_districts: list[tuple[PoliceArea, District]] = []
        placed: set[str] = set()

        def area_for(name: str, region) -> PoliceArea:
            slug = slugify(f"{name}{MARK}")
            if any(area.slug == slug for area in areas):  # Habo and Håbo
                slug = slugify(f"{name} {len(areas)}{MARK}")
            area = PoliceArea(name=f"{name}{MARK}", slug=slug, region=region)
            areas.append(area)
            return area

        def whole(area: PoliceArea, members: list[Municipality]) -> None:
            covers.extend((area, m) for m in members)
            # Where a promise that is not ours covers a whole municipality, ours
            # would overlap it: those municipalities get none.
            members = [m for m in members if m.pk not in taken]
            if len(members) > 1 and rng.random() < 0.3:
                # One promise for the police area's municipalities together.
                name = " och ".join([", ".join(m.name for m in members[:-1]), members[-1].name])
                units.append(Unit(name, area, members, weight=len(members) * 0.8))
            else:
                units.extend(Unit(m.name, area, [m]) for m in members)

        partners: dict[int, Organisation] = {}
        for code, city_areas in CITIES.items():
            city = municipalities[code]
            partners[city.pk] = Organisation(
                kind=Organisation.Kind.PARTNER,
                name=f"Bostadsbolaget i {city.name}{MARK}",
                municipality=city,
            )
            placed.add(code)
            # About a tenth of the country's work in Stockholm, a sixteenth in
            # Göteborg, a thirtieth in Malmö, as their shares of the population.
            weight = {"0180": 8.0, "1480": 3.0, "1280": 2.0}[code]
            for area_name, district_names, neighbours in city_areas:
                area = area_for(area_name, city.county.police_region)
                for district_name in district_names:
                    district = District(
                        municipality=city,
                        name=f"{district_name}{MARK}",
                        slug=slugify(f"{district_name}{MARK}"),
                    )
                    districts.append(district)
                    covers_districts.append((area, district))
                    # Stockholm's districts promise year by year, Göteborg's
                    # and Malmö's for two years.
                    years = 1 if code == "0180" else 2
                    units.append(Unit(district_name, area, [city], district, weight, years))
                whole(area, [municipalities[c] for c in neighbours])
                placed.update(neighbours)
        for area_name, codes in NAMED_AREAS:
            members = [municipalities[c] for c in codes]
            whole(area_for(area_name, members[0].county.police_region), members)
            placed.update(codes)
        # The rest: police areas of one to four neighbouring municipalities per county.
        rest = sorted(
            (m for c, m in municipalities.items() if c not in placed), key=lambda m: m.code
        )
        while rest:
            size = rng.choices([1, 2, 3, 4], weights=[40, 35, 15, 10])[0]
            members = [m for m in rest[:size] if m.county_id == rest[0].county_id]
            rest = rest[len(members) :]
            name = members[0].name if len(members) == 1 else f"{members[0].name} m.fl."
            whole(area_for(name, members[0].county.police_region), members)

        PoliceArea.objects.bulk_create(areas)
        District.objects.bulk_create(districts)
        PoliceArea.municipalities.through.objects.bulk_create(
            [
                PoliceArea.municipalities.through(policearea_id=a.pk, municipality_id=m.pk)
                for a, m in covers
            ]
        )
        PoliceArea.districts.through.objects.bulk_create(
            [
                PoliceArea.districts.through(policearea_id=a.pk, district_id=d.pk)
                for a, d in covers_districts
            ]
        )
        self.area_orgs = {
            area.pk: Organisation(
                kind=Organisation.Kind.POLICE_AREA,
                name=f"Lokalpolisområde {area.name}",
                police_area=area,
            )
            for area in areas
        }
        self.municipal_orgs = {
            m.pk: Organisation(
                kind=Organisation.Kind.MUNICIPALITY,
                name=f"{m.name} kommun{MARK}",
                municipality=m,
            )
            for m in municipalities.values()
        }
        self.partners = partners
        Organisation.objects.bulk_create(
            [*self.area_orgs.values(), *self.municipal_orgs.values(), *partners.values()]
        )
        for unit in units:
            # Bigger and smaller places: activity counts vary as much as the
            # municipalities' populations do (a few times ten between them).
            unit.weight *= rng.lognormvariate(0, 0.3 if unit.district else 1.0)
            if unit.district is None:
                unit.years = rng.choices([1, 2, 3], weights=[20, 55, 25])[0]
            names = [unit.name] if unit.district else [m.name for m in unit.municipalities]
            unit.places = [
                pattern.format(name=rng.choice(names))
                for pattern in rng.sample(PLACES, rng.randint(4, 6))
            ]
        return units

    # Promises, their relations, commitments, priority areas and contacts.

    def _periods(self, unit: Unit) -> list[tuple[date, date, str]]:
        """Two finished periods and the current one, back to back; sometimes a draft next."""
        rng, today, years = self.rng, self.today, unit.years
        month, day = rng.choices([(1, 1), (4, 1), (7, 1)], weights=[75, 15, 10])[0]
        anchor = date(today.year, month, day)
        if anchor > today:
            anchor = _years_later(anchor, -1)
        start = _years_later(anchor, -rng.randrange(years))
        starts = [_years_later(start, -2 * years), _years_later(start, -years), start]
        draft_now = rng.random() < 0.04  # a few current promises are not published yet
        periods = []
        for n, first in enumerate(starts):
            status = Promise.Status.DRAFT if n == 2 and draft_now else Promise.Status.PUBLISHED
            periods.append((first, _years_later(first, years) - timedelta(days=1), status))
        if rng.random() < 0.05:
            # A renewal being prepared for the next period.
            first = _years_later(start, years)
            periods.append(
                (first, _years_later(first, years) - timedelta(days=1), Promise.Status.DRAFT)
            )
        return periods

    def _promises(self, units: list[Unit], types: dict) -> list[PlannedPromise]:
        rng = self.rng
        planned: list[PlannedPromise] = []
        renewals: list[tuple[Promise, Promise]] = []
        for unit in units:
            previous = None
            for start, end, status in self._periods(unit):
                districts = [unit.district] if unit.district else []
                promise = Promise(
                    title=(
                        f"Exempel: medborgarlöfte för {unit.name} "
                        f"{start.year}{'–' + str(end.year) if end.year != start.year else ''}"
                    ),
                    period_start=start,
                    period_end=end,
                    status=status,
                    is_example=True,
                    focus=rng.choice(FOCUS),
                    summary=(
                        "Exempeldata: ett påhittat medborgarlöfte, genererat för att mäta hur "
                        "webbplatsen klarar alla Sveriges kommuner. Det är inte ett verkligt löfte."
                    ),
                    goal=f"Fler ska känna sig trygga i {unit.name}.",
                    signed_on=start - timedelta(days=rng.randint(7, 60)),
                    signed_by="Kommunstyrelsens ordförande och lokalpolisområdeschefen (exempel)",
                )
                promise.slug = promise.default_slug(districts)
                planned.append(PlannedPromise(promise, unit))
                if previous is not None:
                    renewals.append((promise, previous))
                previous = promise
        Promise.objects.bulk_create([p.promise for p in planned], batch_size=2000)
        # Each period renews the one before it, as the admin's "Förnya" records.
        for promise, previous in renewals:
            promise.renews = previous
        Promise.objects.bulk_update([p for p, _previous in renewals], ["renews"], batch_size=2000)

        links: dict[str, list] = {
            name: []
            for name in (
                "police_areas",
                "signing_municipalities",
                "partners",
                "municipalities",
                "districts",
            )
        }
        contacts, areas, commitments = [], [], []
        for item in planned:
            promise, unit = item.promise, item.unit
            links["police_areas"].append(
                Promise.police_areas.through(promise_id=promise.pk, policearea_id=unit.area.pk)
            )
            police_alone = rng.random() < (0.4 if unit.district else 0.15)
            for municipality in unit.municipalities:
                links["municipalities"].append(
                    Promise.municipalities.through(
                        promise_id=promise.pk, municipality_id=municipality.pk
                    )
                )
                if not police_alone:
                    links["signing_municipalities"].append(
                        Promise.signing_municipalities.through(
                            promise_id=promise.pk, municipality_id=municipality.pk
                        )
                    )
            if unit.district:
                links["districts"].append(
                    Promise.districts.through(promise_id=promise.pk, district_id=unit.district.pk)
                )
            partner = self.partners.get(unit.municipalities[0].pk)
            with_partner = partner is not None and rng.random() < 0.4
            if with_partner:
                links["partners"].append(
                    Promise.partners.through(promise_id=promise.pk, organisation_id=partner.pk)
                )
            contacts.append(
                Contact(
                    promise=promise,
                    position=1,
                    name="Kommunpolisen",
                    role="Kommunpolis",
                    organisation=f"Lokalpolisområde {unit.area.name}",
                    phone="114 14",
                )
            )
            if not police_alone:
                contacts.append(
                    Contact(
                        promise=promise,
                        position=2,
                        name="Trygghetssamordnaren",
                        role="Brottsförebyggande samordnare",
                        organisation=f"{unit.municipalities[0].name} kommun",
                        email=f"trygghet@{unit.municipalities[0].slug}.example.se",
                    )
                )
            if rng.random() < 0.3:
                for position, title in enumerate(rng.sample(PRIORITY_AREAS, 2), start=1):
                    areas.append(PriorityArea(promise=promise, position=position, title=title))
            # The commitments, with their parties and types for the activities.
            police = self.area_orgs[unit.area.pk]
            municipal = [self.municipal_orgs[m.pk] for m in unit.municipalities]
            for position, (title, type_slugs, targets) in enumerate(
                rng.sample(COMMITMENTS, rng.randint(3, 7)), start=1
            ):
                type_ids = [types[s].pk for s in type_slugs if s in types]
                if not type_ids:
                    continue
                commitment = Commitment(
                    promise=promise, position=position, title=title, slug=_slug(title)
                )
                target = rng.choice(targets)
                if target == "as_needed":
                    commitment.target_period = Commitment.TargetPeriod.AS_NEEDED
                elif target is not None:
                    per, value, unit_name, counted, measure = target
                    commitment.target_period = per
                    commitment.target_value = max(1, round(value * rng.uniform(0.6, 1.6)))
                    commitment.target_unit = unit_name
                    commitment.target_measure = measure
                    if counted in types:
                        commitment.target_activity_type = types[counted]
                if type_slugs[0] in POLICE_TYPES:
                    parties = [police]
                elif type_slugs[0] in MUNICIPAL_TYPES and not police_alone:
                    parties = municipal
                else:
                    parties = [police, *([] if police_alone else municipal)]
                if with_partner and type_slugs[0] in {"fysisk-atgard", "sanering"}:
                    parties = [partner]
                # Foot patrols are most of the logged entries, as in real follow-ups.
                weight = 4 if type_slugs[0] == "fotpatrullering" else 1
                commitments.append(commitment)
                item.commitments.append((commitment, type_ids, [p.pk for p in parties], weight))
        for rows in links.values():
            if rows:
                rows[0].__class__.objects.bulk_create(rows, batch_size=5000)
        Contact.objects.bulk_create(contacts, batch_size=5000)
        PriorityArea.objects.bulk_create(areas, batch_size=5000)
        by_promise: dict[int, list[PriorityArea]] = {}
        for area in areas:
            by_promise.setdefault(area.promise_id, []).append(area)
        for commitment in commitments:
            own = by_promise.get(commitment.promise_id)
            if own:
                commitment.priority_area = own[commitment.position % len(own)]
        Commitment.objects.bulk_create(commitments, batch_size=5000)
        Commitment.parties.through.objects.bulk_create(
            [
                Commitment.parties.through(commitment_id=c.pk, organisation_id=org)
                for item in planned
                for c, _types, orgs, _weight in item.commitments
                for org in orgs
            ],
            batch_size=5000,
        )
        for item in planned:
            promise = item.promise
            if promise.period_start > self.today or not item.commitments:
                continue  # a draft for the next period: no work logged yet
            days = (min(promise.period_end, self.today) - promise.period_start).days + 1
            item.weight = item.unit.weight * days * (1.0 if promise.is_published else 0.5)
        return planned

    def _follow_ups(self, planned: list[PlannedPromise]) -> None:
        """A follow-up for every calendar year of a published promise that has ended."""
        rng = self.rng
        follow_ups, verdicts = [], []
        for item in planned:
            promise = item.promise
            if not promise.is_published:
                continue
            for year in range(promise.period_start.year, promise.period_end.year + 1):
                start = max(promise.period_start, date(year, 1, 1))
                end = min(promise.period_end, date(year, 12, 31))
                if end >= self.today:
                    break
                published = rng.random() < 0.9
                follow_up = FollowUp(
                    promise=promise,
                    title=f"Uppföljning {year} (exempel)",
                    period_start=start,
                    period_end=end,
                    status=FollowUp.Status.PUBLISHED if published else FollowUp.Status.DRAFT,
                    narrative="Exempeldata: en påhittad uppföljning.",
                    published_on=(
                        min(self.today, end + timedelta(days=rng.randint(20, 90)))
                        if published
                        else None
                    ),
                )
                follow_ups.append(follow_up)
                last = end == promise.period_end
                for commitment, *_rest in item.commitments:
                    verdict = rng.choices(
                        ["done", "partly", "not_done", "ongoing", "not_applicable"],
                        weights=[55, 20, 8, 0 if last else 12, 5],
                    )[0]
                    verdicts.append((follow_up, commitment, verdict))
        FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        Assessment.objects.bulk_create(
            [
                Assessment(
                    follow_up=follow_up,
                    commitment=commitment,
                    verdict=verdict,
                    explanation="" if verdict == "done" else rng.choice(EXPLANATIONS),
                )
                for follow_up, commitment, verdict in verdicts
            ],
            batch_size=5000,
        )

    # Activities.

    def _activities(self, planned, counts, writer, batch_size: int) -> None:
        rows, links = [], []
        for item, count in zip(planned, counts, strict=True):
            for row, organisations in self._promise_activities(item, count):
                rows.append(row)
                links.append(organisations)
                if len(rows) >= batch_size:
                    writer.write(rows, links)
                    rows, links = [], []
        if rows:
            writer.write(rows, links)

    def _promise_activities(self, item: PlannedPromise, count: int):
        """``count`` activity rows for the promise, each with its organisations' ids."""
        if not count or not item.commitments:
            return
        rng, today = self.rng, self.today
        DONE, PLANNED, CANCELLED = (
            Activity.State.DONE,
            Activity.State.PLANNED,
            Activity.State.CANCELLED,
        )
        PUBLISHED, DRAFT = Activity.Status.PUBLISHED, Activity.Status.DRAFT
        promise = item.promise
        start, end = promise.period_start, promise.period_end
        last_done = min(end, today)
        past_days = (last_done - start).days
        # Planned work ahead, within the next four months of a current promise.
        ahead = (min(end, today + timedelta(days=120)) - today).days
        share_ahead = 0.06 if ahead > 0 else 0.0
        commitments = item.commitments
        weights = [c[3] for c in commitments]
        places = item.unit.places
        for choice in rng.choices(range(len(commitments)), weights=weights, k=count):
            commitment, type_ids, organisations, _weight = commitments[choice]
            type_id = rng.choice(type_ids)
            slug = self.type_slugs[type_id]
            pattern, (low, high) = TITLES.get(slug, ("{place}", (1, 1)))
            place = rng.choice(places)
            if share_ahead and rng.random() < share_ahead:
                day = today + timedelta(days=rng.randint(1, ahead))
                state = PLANNED if rng.random() < 0.85 else CANCELLED
            else:
                day = start + timedelta(days=rng.randint(0, past_days))
                roll = rng.random()
                state = DONE if roll < 0.955 else CANCELLED if roll < 0.985 else PLANNED
                if state == PLANNED and promise.has_ended(today):
                    state = DONE
            end_date = None
            if rng.random() < 0.08:
                limit = min(end, today) if state == DONE else end
                end_date = min(day + timedelta(days=rng.randint(1, 3)), limit)
                if end_date <= day:
                    end_date = None
            occasions = rng.randint(low, high)
            people = None
            if slug in PEOPLE_TYPES and rng.random() < 0.85:
                people = rng.randint(8, 120) * occasions
            elif rng.random() < 0.1:
                people = rng.randint(5, 60)
            if state == PLANNED:
                created_on = day - timedelta(days=rng.randint(7, 60))
            else:
                created_on = day + timedelta(days=rng.randint(0, 14))
            created = min(
                self.now,
                timezone.make_aware(
                    datetime.combine(created_on, datetime.min.time())
                    + timedelta(minutes=rng.randint(7 * 60, 18 * 60))
                ),
            )
            updated = (
                created
                if rng.random() < 0.8
                else min(self.now, created + timedelta(days=rng.randint(1, 30)))
            )
            chosen = (
                organisations
                if len(organisations) < 2 or rng.random() < 0.3
                else [rng.choice(organisations)]
            )
            yield (
                (
                    commitment.pk,
                    type_id,
                    day,
                    end_date,
                    pattern.format(place=place),
                    f"{rng.choice(DESCRIPTIONS)} Exempeldata.",
                    place,
                    occasions,
                    people,
                    state,
                    PUBLISHED if rng.random() < 0.95 else DRAFT,
                    "",
                    True,
                    created,
                    updated,
                ),
                chosen,
            )

    def _report(self, seconds: float) -> None:
        promises = generated_promises()
        activities = Activity.objects.filter(commitment__promise__in=promises).order_by()
        states = Counter(
            dict(activities.values("state").annotate(n=Count("pk")).values_list("state", "n"))
        )
        draft_activities = activities.filter(status=Activity.Status.DRAFT).count()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Nationella exempeldata klara på %(seconds).0f s: %(areas)d lokalpolisområden, "
                    "%(districts)d stadsdelar, %(promises)d medborgarlöften (%(drafts)d utkast), "
                    "%(commitments)d åtaganden, %(follow_ups)d uppföljningar, %(activities)d "
                    "aktiviteter (%(done)d genomförda, %(planned)d planerade, %(cancelled)d "
                    "inställda; %(draft_activities)d utkast)."
                )
                % {
                    "seconds": seconds,
                    "areas": generated_police_areas().count(),
                    "districts": generated_districts().count(),
                    "promises": promises.count(),
                    "drafts": promises.filter(status=Promise.Status.DRAFT).count(),
                    "commitments": Commitment.objects.filter(promise__in=promises).count(),
                    "follow_ups": FollowUp.objects.filter(promise__in=promises).count(),
                    "activities": sum(states.values()),
                    "done": states["done"],
                    "planned": states["planned"],
                    "cancelled": states["cancelled"],
                    "draft_activities": draft_activities,
                }
            )
        )


def _slug(title: str) -> str:
    """Whole words up to about 50 characters, as Commitment.save() makes them."""
    slug = ""
    for word in slugify(title).split("-"):
        if slug and len(slug) + len(word) + 1 > 50:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def _share(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to the weights, in whole numbers that add up to it."""
    weight_sum = sum(weights)
    if not total or not weight_sum:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _BulkWriter:
    """bulk_create, on any database: the ids come back for the organisation links."""

    def write(self, rows, links) -> None:
        activities = Activity.objects.bulk_create(
            [Activity(**dict(zip(ACTIVITY_FIELDS, row, strict=True))) for row in rows],
            batch_size=5000,
        )
        Through = Activity.organisations.through
        Through.objects.bulk_create(
            [
                Through(activity_id=activity.pk, organisation_id=org)
                for activity, organisations in zip(activities, links, strict=True)
                for org in organisations
            ],
            batch_size=10000,
        )


class _CopyWriter:
    """COPY on PostgreSQL, with ids taken from the table's sequence in one block.

    bulk_create sets created_at and updated_at to now; COPY writes the
    generated times, so the feeds (newest change first) get a realistic order.
    """

    def __init__(self, total: int) -> None:
        table = Activity._meta.db_table
        self.columns = [Activity._meta.get_field(name).column for name in ACTIVITY_FIELDS]
        # Every other stored column gets its model default, as bulk_create
        # would give it: COPY leaves an omitted column NULL, which a text
        # field added later (blank, not null) refuses.
        given = {Activity._meta.get_field(name).column for name in ACTIVITY_FIELDS}
        self.defaults = []
        for model_field in Activity._meta.concrete_fields:
            if (
                model_field.primary_key
                or model_field.column in given
                or model_field.generated
                or model_field.has_db_default()
            ):
                continue
            self.columns.append(model_field.column)
            self.defaults.append(
                model_field.get_db_prep_save(model_field.get_default(), connection)
            )
        self.through = Activity.organisations.through._meta.db_table
        with connection.cursor() as cursor:
            # No one else may take ids from the block while it is being filled.
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            self.sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [self.sequence])
            self.next_id = cursor.fetchone()[0]
            if total > 1:
                cursor.execute("SELECT setval(%s, %s)", [self.sequence, self.next_id + total - 1])
        self.table = table

    def write(self, rows, links) -> None:
        columns = ", ".join(["id", *self.columns])
        with connection.cursor() as cursor:
            first = self.next_id
            with cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                for n, row in enumerate(rows):
                    copy.write_row((first + n, *row, *self.defaults))
            with cursor.copy(
                f"COPY {self.through} (activity_id, organisation_id) FROM STDIN"
            ) as copy:
                for n, organisations in enumerate(links):
                    for org in organisations:
                        copy.write_row((first + n, org))
        self.next_id += len(rows)


def _analyze() -> None:
    # Every table, the sums and the links of promises included: a server
    # with autovacuum off (or not yet run) would otherwise plan the pages
    # with no statistics for them. VACUUM as well when it may run (not inside
    # a transaction, e.g. a test's): it clears what --replace deleted, which
    # would otherwise slow even the planning of queries, and marks the pages
    # all-visible for index-only scans.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(command)


def _covered_whole() -> set[int]:
    """Municipalities that an existing promise covers as a whole: none of ours go there."""
    narrowed = set(
        Promise.districts.through.objects.values_list("promise_id", "district__municipality_id")
    )
    return {
        municipality_id
        for promise_id, municipality_id in Promise.municipalities.through.objects.values_list(
            "promise_id", "municipality_id"
        )
        if (promise_id, municipality_id) not in narrowed
    }


# What the command created: found by the mark on the names.


def generated_police_areas():
    return PoliceArea.objects.filter(name__endswith=MARK)


def generated_districts():
    return District.objects.filter(name__endswith=MARK)


def generated_organisations():
    return Organisation.objects.filter(name__endswith=MARK)


def generated_promises():
    return Promise.objects.filter(
        is_example=True, police_areas__in=generated_police_areas()
    ).distinct()


def generated_exists() -> bool:
    return (
        generated_police_areas().exists()
        or generated_districts().exists()
        or generated_organisations().exists()
    )


def delete_generated() -> None:
    """Delete what the command created, and whatever others made that points at it.

    The generated rows were written without history and go the same way: a
    plain DELETE per table, no signals, no history records, no cascade
    collected in memory for a million rows. What the site made on top of them
    (a report's stored files, a chosen highlight, an indicator) is deleted
    the normal way first, with its own signals; the apps that own those
    models are found through the relations, not imported.
    """
    using = connection.alias
    promise_ids = list(generated_promises().values_list("pk", flat=True))
    area_ids = list(generated_police_areas().values_list("pk", flat=True))
    district_ids = list(generated_districts().values_list("pk", flat=True))
    batches = [
        Activity.organisations.through.objects.filter(
            activity__commitment__promise_id__in=promise_ids
        ),
        Activity.objects.filter(commitment__promise_id__in=promise_ids),
        Assessment.objects.filter(follow_up__promise_id__in=promise_ids),
        FollowUp.objects.filter(promise_id__in=promise_ids),
        Commitment.parties.through.objects.filter(commitment__promise_id__in=promise_ids),
        Commitment.objects.filter(promise_id__in=promise_ids),
        PriorityArea.objects.filter(promise_id__in=promise_ids),
        Contact.objects.filter(promise_id__in=promise_ids),
        Promise.police_areas.through.objects.filter(promise_id__in=promise_ids),
        Promise.signing_municipalities.through.objects.filter(promise_id__in=promise_ids),
        Promise.partners.through.objects.filter(promise_id__in=promise_ids),
        Promise.municipalities.through.objects.filter(promise_id__in=promise_ids),
        Promise.districts.through.objects.filter(promise_id__in=promise_ids),
        Promise.objects.filter(pk__in=promise_ids),
        generated_organisations(),
        PoliceArea.municipalities.through.objects.filter(policearea_id__in=area_ids),
        PoliceArea.districts.through.objects.filter(policearea_id__in=area_ids),
        PoliceArea.objects.filter(pk__in=area_ids),
        District.objects.filter(pk__in=district_ids),
    ]
    ours = {queryset.model for queryset in batches}
    for queryset in batches:
        for relation in queryset.model._meta.related_objects:
            if relation.related_model not in ours and not relation.many_to_many:
                relation.related_model._base_manager.filter(
                    **{f"{relation.field.name}__in": queryset.values("pk")}
                ).delete()
    for queryset in batches:
        queryset._raw_delete(using)
