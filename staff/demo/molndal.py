"""A made-up example promise for Mölndal with numeric targets, marked as example data.

Härryda's real promise has no numeric targets and has ended; this example shows
how a current promise with targets is followed up. Nothing here is Mölndal's
real promise.
"""

from datetime import date

TITLE = "Exempel: medborgarlöfte Mölndals stad"
PERIOD_START = date(2025, 1, 1)
PERIOD_END = date(2026, 12, 31)
FOCUS = "trygga offentliga miljöer"

SUMMARY = (
    "Det här är ett påhittat exempel som visar hur uppföljningen ser ut när ett "
    "medborgarlöfte har mätbara mål. Det är inte Mölndals stads verkliga medborgarlöfte."
)
BACKGROUND = (
    "Exempel: i medborgardialoger och trygghetsmätningar har invånarna pekat ut centrala "
    "Mölndal och stationsområdena som platser där de känner sig otrygga på kvällstid."
)
COMMITMENTS_INTRO = ""
GOAL = "Exempel: fler ska känna sig trygga i centrala Mölndal på kvällstid."
HOW_TO_FOLLOW = "Följ arbetet på den här webbplatsen, där varje aktivitet redovisas."

# (title, lead party, types, target value, target unit, target type slug, measure)
COMMITMENTS = [
    (
        "Polisen genomför minst 300 fotpatrulleringar i centrala Mölndal.",
        "police",
        ["fotpatrullering"],
        300,
        "fotpatrulleringar",
        "fotpatrullering",
        "occasions",
    ),
    (
        "Kommunen och polisen genomför minst sex trygghetsvandringar.",
        "joint",
        ["trygghetsvandring"],
        6,
        "trygghetsvandringar",
        "trygghetsvandring",
        "occasions",
    ),
    (
        "Kommunen når minst 400 föräldrar med information och föräldrastärkande insatser.",
        "municipality",
        ["foraldrastarkande", "medborgardialog"],
        400,
        "föräldrar",
        None,
        "people",
    ),
    (
        "Kommunen åtgärdar platser som upplevs otrygga, bland annat med bättre belysning.",
        "municipality",
        ["fysisk-atgard", "sanering"],
        None,
        "",
        None,
        "occasions",
    ),
]

CONTACTS = [
    {
        "name": "Kommunpolisen i Mölndal",
        "role": "Kommunpolis",
        "organisation": "Polisen, lokalpolisområde Storgöteborg syd",
        "phone": "114 14",
    },
    {
        "name": "Trygghetssamordnaren",
        "role": "Trygghetssamordnare",
        "organisation": "Mölndals stad",
        "email": "trygghet@example.se",
    },
]

PLACES = ["Mölndals centrum", "Mölndals station", "Kållered", "Lindome", "Krokslätt", "Bifrost"]
