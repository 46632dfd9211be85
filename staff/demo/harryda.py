"""Härryda's published medborgarlöfte 2022–2024, as the municipality published it.

The text is quoted as published; only the lead parties and the sentence on how
to follow the work (left blank in the original) are the project's own reading.
"""

from datetime import date

TITLE = "Medborgarlöfte Härryda kommun"
PERIOD_START = date(2022, 5, 31)
PERIOD_END = date(2024, 5, 31)
FOCUS = "ungdomar i riskzon"

SUMMARY = """\
Medborgarlöftet är ett åtagande som Lokalpolisområde Storgöteborg syd och Härryda kommun \
ger till kommunens invånare under ett år. Löftet innebär konkreta aktiviteter som genomförs \
i syfte att minska ett problem.

Medborgarlöftet är en del av det långsiktiga trygghetsarbetet i kommunen där polisen, \
kommunen och medborgarna samverkar för att öka den upplevda tryggheten utifrån en gemensam \
lokal lägesbild."""

BACKGROUND = """\
I den lokala lägesbilden för Härryda kommun har medborgarna, polisen och kommunen beskrivit \
problemen och orsakerna till upplevd otrygghet bland kommuninvånarna. Resultatet är baserat \
på bland annat brottsstatistik och medborgardialoger.

Droghantering, skadegörelse och annan brottslighet bland ungdomar skapar otrygghet hos många \
kommuninvånare.

För att nå framgång krävs samlade åtgärder, inte bara från kommunen och polisen, utan också \
från lokalsamhället. Det gemensamma trygghetsarbetet är motorn i detta arbete."""

COMMITMENTS_INTRO = (
    "Genomföra tidiga, förebyggande, stödjande och repressiva åtgärder för att fånga upp "
    "ungdomar som riskerar hamna i kriminalitet eller missbruk:"
)

# (title, lead party, activity types used for the generated examples)
COMMITMENTS = [
    (
        "Riktade insatser mot ungdomar för att minska kriminalitet och droganvändning.",
        "police",
        ["riktad-insats", "fotpatrullering", "skolsamverkan"],
    ),
    (
        "Information till föräldrar och andra föräldrastärkande insatser.",
        "municipality",
        ["foraldrastarkande", "nattvandring", "medborgardialog"],
    ),
    (
        "Fortsätta att utveckla samverkan mellan myndigheter i det förebyggande och främjande "
        "arbetet för ungdomar.",
        "joint",
        ["myndighetssamverkan", "skolsamverkan"],
    ),
    (
        "Insatser för att minska skadegörelse.",
        "joint",
        ["sanering", "fotpatrullering", "trygghetsvandring"],
    ),
    (
        "Fysiska åtgärder för att öka den upplevda tryggheten.",
        "municipality",
        ["fysisk-atgard", "trygghetsvandring"],
    ),
]

GOAL = (
    "De gemensamma långsiktiga målen är att öka den upplevda tryggheten för invånarna i "
    "Härryda kommun, minska brottsligheten bland ungdomar och stoppa nyrekrytering till "
    "kriminalitet."
)

HOW_TO_FOLLOW = (
    "Invånarna i Härryda kommun kan följa arbetet på den här webbplatsen, där polisen och "
    "kommunen löpande redovisar vad som har gjorts under varje åtagande."
)

CONTACTS = [
    {
        "name": "Linda Bergvall",
        "role": "Kommunpolis",
        "organisation": "Polisen, lokalpolisområde Storgöteborg syd",
        "phone": "010-565 41 38",
    },
]

PLACES = [
    "Mölnlycke centrum",
    "Landvetter centrum",
    "Hindås",
    "Rävlanda",
    "Härryda",
    "Mölnlycke station",
    "Landvetter flygplats",
    "Råda",
]
