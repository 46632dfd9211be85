"""Load Sweden's police regions, counties and municipalities, and the activity types.

Safe to run any number of times.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promises.models import ActivityType, County, Municipality, PoliceRegion

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def _rows(name: str) -> list[dict]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


class Command(BaseCommand):
    help = gettext_lazy(
        "Läser in polisregionerna, de 21 länen och de 290 kommunerna med kommunkod (SCB), "
        "och de vanliga aktivitetstyperna. Kan köras flera gånger: befintliga kommuner "
        "behåller sina adressnamn och befintliga typer sina texter."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        regions = {}
        for row in _rows("police_regions.csv"):
            regions[row["slug"]], _created = PoliceRegion.objects.update_or_create(
                slug=row["slug"], defaults={"name": row["name"]}
            )
        counties = {}
        for row in _rows("counties.csv"):
            counties[row["code"]], _created = County.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "police_region": regions[row["police_region"]]},
            )
        existing = {m.code: m for m in Municipality.objects.all()}
        new = []
        for row in _rows("municipalities.csv"):
            county = counties[row["code"][:2]]
            municipality = existing.get(row["code"])
            if municipality is None:
                new.append(
                    Municipality(
                        code=row["code"], name=row["name"], slug=row["slug"], county=county
                    )
                )
            elif municipality.county_id != county.pk or municipality.name != row["name"]:
                municipality.county, municipality.name = county, row["name"]
                municipality.save(update_fields=["county", "name"])
        Municipality.objects.bulk_create(new)
        # The kinds of work seen in real promises (also seeded by a migration):
        # missing ones are added, edited ones kept as staff left them.
        for position, row in enumerate(_rows("activity_types.csv"), start=1):
            ActivityType.objects.get_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "name_en": row["name_en"],
                    "position": position * 10,
                },
            )
        self.stdout.write(
            _(
                "Referensdata inläst: %(regions)d polisregioner, %(counties)d län, "
                "%(municipalities)d kommuner (%(new)d nya)."
            )
            % {
                "regions": len(regions),
                "counties": len(counties),
                "municipalities": Municipality.objects.count(),
                "new": len(new),
            }
        )
