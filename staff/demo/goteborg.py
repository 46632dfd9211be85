"""A made-up example for a big city: two districts of Göteborg, each with its own promise.

The areas are real parts of Göteborg, but the promises, targets and
activities are invented to show the shapes real city promises take: promises
per district from two police areas in force at the same time, one given by
the police alone, per-year targets, a commitment given by a named partner,
priority areas and a "vid behov" commitment. Everything is marked as example
data on the site.
"""

from datetime import date

PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2026, 12, 31)

DISTRICTS = [("Angered", "angered"), ("Norra Hisingen", "norra-hisingen")]

# Police areas of the example: (name, slug, the districts they cover).
POLICE_AREAS = [
    ("Storgöteborg nordost", "storgoteborg-nordost", ["angered"]),
    ("Storgöteborg Hisingen", "storgoteborg-hisingen", ["norra-hisingen"]),
]

PARTNER = "Exempel: Bostadsbolaget i Angered"

PROMISES = [
    {
        "district": "angered",
        "police_area": "storgoteborg-nordost",
        "signed_by_city": True,
        "title": "Exempel: medborgarlöfte för Angered",
        "focus": "trygga torg och kvällar",
        "summary": (
            "Det här är ett påhittat exempel på ett medborgarlöfte för en stadsdel, med mål "
            "per år under en tvåårsperiod. Det är inte ett verkligt löfte."
        ),
        "goal": "Exempel: fler boende i Angered ska känna sig trygga på torgen på kvällen.",
        "places": ["Angereds torg", "Hammarkulletorget", "Hjällbo", "Gårdsten", "Lövgärdet"],
        "commitments": [
            {
                "title": "Polisen genomför minst 120 trygghetsskapande patrulleringar på "
                "torgen varje år.",
                "parties": ["police"],
                "types": ["fotpatrullering"],
                "target": (120, "patrulleringar", "fotpatrullering", "occasions", "year"),
            },
            {
                "title": "Staden och polisen håller minst sex trygghetsvandringar per år.",
                "parties": ["police", "municipality"],
                "types": ["trygghetsvandring"],
                "target": (6, "trygghetsvandringar", "trygghetsvandring", "occasions", "year"),
            },
            {
                "title": "Bostadsbolaget förbättrar belysningen i trappuppgångar och på gångvägar.",
                "parties": ["partner"],
                "types": ["fysisk-atgard"],
            },
        ],
        "follow_up_planned": True,
    },
    {
        "district": "norra-hisingen",
        "police_area": "storgoteborg-hisingen",
        "signed_by_city": False,
        "title": "Exempel: polisens löfte för Norra Hisingen",
        "focus": "ungdomar och otrygga platser",
        "summary": (
            "Det här är ett påhittat exempel på ett löfte som polisen ger ensam (”Vi lovar…”), "
            "med åtagandena ordnade under prioriterade områden. Det är inte ett verkligt löfte."
        ),
        "goal": "Exempel: färre unga ska dras in i brott, och fler ska känna sig trygga.",
        "places": ["Backaplan", "Tuve", "Kärra", "Skogome", "Hjalmar Brantingsplatsen"],
        "priority_areas": ["Ungdomar", "Otrygga platser"],
        "commitments": [
            {
                "title": "Vi besöker skolorna i området minst en gång i månaden.",
                "parties": ["police"],
                "types": ["skolsamverkan"],
                "target": (1, "skolbesök", "skolsamverkan", "occasions", "month"),
                "priority": "Ungdomar",
            },
            {
                "title": "Vi patrullerar vid Backaplan alla fredags- och lördagskvällar.",
                "parties": ["police"],
                "types": ["fotpatrullering"],
                "target": (2, "kvällspatrulleringar", "fotpatrullering", "occasions", "week"),
                "priority": "Otrygga platser",
            },
            {
                "title": "Vi går med på trygghetsvandringar när boende ber om det.",
                "parties": ["police"],
                "types": ["trygghetsvandring"],
                "as_needed": True,
                "priority": "Otrygga platser",
            },
        ],
    },
]
