"""The national reference data in promises/reference/ is complete and consistent.

Reads the CSV files directly: no database and no models are involved.
"""

import csv
from collections import Counter
from pathlib import Path

from django.utils.text import slugify

REFERENCE = Path(__file__).resolve().parents[2] / "promises" / "reference"

# SCB: municipalities per county code.
MUNICIPALITIES_PER_COUNTY = {
    "01": 26,  # Stockholms län
    "03": 8,  # Uppsala län
    "04": 9,  # Södermanlands län
    "05": 13,  # Östergötlands län
    "06": 13,  # Jönköpings län
    "07": 8,  # Kronobergs län
    "08": 12,  # Kalmar län
    "09": 1,  # Gotlands län
    "10": 5,  # Blekinge län
    "12": 33,  # Skåne län
    "13": 6,  # Hallands län
    "14": 49,  # Västra Götalands län
    "17": 16,  # Värmlands län
    "18": 12,  # Örebro län
    "19": 10,  # Västmanlands län
    "20": 15,  # Dalarnas län
    "21": 10,  # Gävleborgs län
    "22": 7,  # Västernorrlands län
    "23": 8,  # Jämtlands län
    "24": 15,  # Västerbottens län
    "25": 14,  # Norrbottens län
}

# Håbo (0305) and Habo (0643) both slugify to "habo", but a slug is a public
# URL and must be unique. Habo keeps "habo" (its name is exactly that); Håbo,
# whose name loses a letter to slugify, gets its county appended.
SLUG_EXCEPTIONS = {"0305": "habo-uppsala-lan"}


def read(name):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def municipalities():
    return read("municipalities.csv")


def counties():
    return read("counties.csv")


def regions():
    return read("police_regions.csv")


def test_headers():
    for name, header in [
        ("municipalities.csv", ["code", "name", "slug"]),
        ("counties.csv", ["code", "name", "police_region"]),
        ("police_regions.csv", ["slug", "name"]),
    ]:
        with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == header, name


def test_row_counts():
    assert len(municipalities()) == 290
    assert len(counties()) == 21
    assert len(regions()) == 7


def test_no_blank_fields():
    for name in ("municipalities.csv", "counties.csv", "police_regions.csv"):
        for row in read(name):
            for column, value in row.items():
                assert value and value == value.strip(), (name, row, column)


def test_municipality_codes_are_unique_and_four_digits():
    codes = [m["code"] for m in municipalities()]
    assert len(set(codes)) == len(codes), [c for c, n in Counter(codes).items() if n > 1]
    bad = [c for c in codes if not (len(c) == 4 and c.isascii() and c.isdigit())]
    assert bad == []


def test_county_codes_are_unique_and_two_digits():
    codes = [c["code"] for c in counties()]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 2 and c.isascii() and c.isdigit() for c in codes), codes
    assert set(codes) == set(MUNICIPALITIES_PER_COUNTY)


def test_names_are_unique():
    for rows in (municipalities(), counties(), regions()):
        names = [r["name"] for r in rows]
        assert len(set(names)) == len(names), [n for n, k in Counter(names).items() if k > 1]


def test_every_municipality_lies_in_a_county():
    county_codes = {c["code"] for c in counties()}
    orphans = [m for m in municipalities() if m["code"][:2] not in county_codes]
    assert orphans == []


def test_municipalities_per_county():
    counts = Counter(m["code"][:2] for m in municipalities())
    assert dict(counts) == MUNICIPALITIES_PER_COUNTY


def test_municipality_slugs_are_slugify_of_name():
    wrong = [
        m
        for m in municipalities()
        if m["code"] not in SLUG_EXCEPTIONS and m["slug"] != slugify(m["name"])
    ]
    assert wrong == []


def test_slug_exceptions_are_needed_and_follow_the_rule():
    rows = {m["code"]: m for m in municipalities()}
    county_name = {c["code"]: c["name"] for c in counties()}
    plain_slugs = Counter(slugify(m["name"]) for m in rows.values())
    for code, slug in SLUG_EXCEPTIONS.items():
        row = rows[code]
        assert row["slug"] == slug
        # An exception only exists to break a tie between two names...
        assert plain_slugs[slugify(row["name"])] > 1, row
        # ...and is made by appending the county's name.
        assert slug == slugify(f"{row['name']} {county_name[code[:2]]}")


def test_municipality_slugs_are_unique_and_ascii():
    slugs = [m["slug"] for m in municipalities()]
    assert len(set(slugs)) == len(slugs), [s for s, n in Counter(slugs).items() if n > 1]
    assert all(s.isascii() for s in slugs)


def test_region_slugs():
    assert {r["slug"]: r["name"] for r in regions()} == {
        "nord": "Nord",
        "mitt": "Mitt",
        "stockholm": "Stockholm",
        "ost": "Öst",
        "vast": "Väst",
        "syd": "Syd",
        "bergslagen": "Bergslagen",
    }


def test_every_county_has_an_existing_police_region():
    region_slugs = {r["slug"] for r in regions()}
    assert all(c["police_region"] in region_slugs for c in counties())
    # Every region covers at least one county.
    assert {c["police_region"] for c in counties()} == region_slugs


def test_known_county_regions():
    region_of = {c["code"]: c["police_region"] for c in counties()}
    assert region_of["01"] == "stockholm"
    assert region_of["09"] == "stockholm"  # Gotland
    assert region_of["14"] == "vast"
    assert region_of["12"] == "syd"
    assert region_of["03"] == "mitt"
    assert region_of["05"] == "ost"
    assert region_of["18"] == "bergslagen"
    assert region_of["25"] == "nord"


def test_known_county_names():
    name_of = {c["code"]: c["name"] for c in counties()}
    assert name_of["01"] == "Stockholms län"
    assert name_of["09"] == "Gotlands län"
    assert name_of["14"] == "Västra Götalands län"
    assert all(name.endswith(" län") for name in name_of.values())


def test_known_municipalities():
    by_code = {m["code"]: (m["name"], m["slug"]) for m in municipalities()}
    assert by_code["1401"] == ("Härryda", "harryda")
    assert by_code["1481"] == ("Mölndal", "molndal")
    assert by_code["0180"] == ("Stockholm", "stockholm")
    assert by_code["0186"] == ("Lidingö", "lidingo")
    assert by_code["1480"] == ("Göteborg", "goteborg")
    assert by_code["1280"] == ("Malmö", "malmo")
    assert by_code["1402"] == ("Partille", "partille")
    assert by_code["2480"] == ("Umeå", "umea")
    # Names with spaces and hyphens.
    assert by_code["0114"] == ("Upplands Väsby", "upplands-vasby")
    assert by_code["2023"] == ("Malung-Sälen", "malung-salen")
    assert by_code["1256"] == ("Östra Göinge", "ostra-goinge")
    # Heby moved to Uppsala län in 2007.
    assert by_code["0331"] == ("Heby", "heby")
    assert by_code["0643"] == ("Habo", "habo")
    assert by_code["0305"] == ("Håbo", "habo-uppsala-lan")
