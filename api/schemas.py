"""What the API shows of each thing: the fields the public pages show, and no others.

Every schema names its fields one by one (never all of a model's), so that a
new model field, an internal note say, never reaches the API by itself. The
descriptions are the API document's, in Swedish like the rest of it.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import TextChoices
from django.urls import reverse
from ninja import Field, Schema

from activities.models import Activity
from promises.models import Assessment, Commitment, Indicator, Organisation, Promise


def _choices(choices: type[TextChoices]) -> str:
    return "; ".join(f"{value} = {label}" for value, label in choices.choices)


def _one_of(choices: type[TextChoices]):
    return Literal[tuple(choices.values)]


def _absolute(context, path: str | None) -> str | None:
    if path is None:
        return None
    return context["request"].build_absolute_uri(path)


def _page_municipality(promise: Promise):
    """The municipality whose address a promise's pages have; None if it has none."""
    # Reads the prefetched municipalities, like Promise.primary_municipality.
    return promise.primary_municipality if promise.municipalities.all() else None


def _remembered(context, kind: str, key, make):
    """``make()``, once per answer: the items of a page share a few promises."""
    memo = context.setdefault(f"_remembered_{kind}", {})
    if key not in memo:
        memo[key] = make()
    return memo[key]


URL = "Adressen till sidan på webbplatsen (på svenska; samma adress efter /en/ på engelska)."
UPDATED = "Senast ändrad. Filtrera med updated_since för att hämta bara det som ändrats."


# Reference data: every row is public, as on the pages.


class PoliceRegionOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, stabilt.")
    name: str = Field(description="Polisregionens namn, t.ex. Väst.")


class CountyOut(Schema):
    code: str = Field(description="Länskod (SCB), två siffror.")
    name: str


class PoliceAreaRef(Schema):
    id: int
    slug: str
    name: str


class MunicipalityRef(Schema):
    id: int
    slug: str
    code: str = Field(description="Kommunkod (SCB), fyra siffror.")
    name: str


class DistrictRef(Schema):
    id: int
    slug: str = Field(description="Adressnamn, unikt inom kommunen.")
    name: str
    municipality_id: int


class OrganisationRef(Schema):
    id: int
    kind: _one_of(Organisation.Kind) = Field(description=_choices(Organisation.Kind))
    name: str


class ActivityTypeRef(Schema):
    id: int
    slug: str
    name: str
    name_en: str = Field(description="Namnet på engelska, tomt om det saknas.")


class PoliceAreaOut(Schema):
    id: int
    slug: str
    name: str = Field(description="Lokalpolisområdets namn.")
    region: PoliceRegionOut
    municipalities: list[MunicipalityRef] = Field(description="Kommuner som området täcker helt.")
    districts: list[DistrictRef] = Field(
        description="Stadsdelar och områden av kommuner som området täcker."
    )


class MunicipalityOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, stabilt, t.ex. harryda.")
    code: str = Field(description="Kommunkod (SCB), fyra siffror, t.ex. 1401.")
    name: str
    url: str = Field(description=URL)
    county: CountyOut | None
    police_region: PoliceRegionOut | None
    police_areas: list[PoliceAreaRef] = Field(
        description="Lokalpolisområden som täcker hela kommunen."
    )

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_police_region(obj):
        return obj.county.police_region if obj.county else None


class DistrictOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, unikt inom kommunen.")
    name: str
    municipality: MunicipalityRef
    police_areas: list[PoliceAreaRef]


class ActivityTypeOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, används i filtret type.")
    name: str
    name_en: str = Field(description="Namnet på engelska, tomt om det saknas.")
    is_active: bool = Field(
        description="Falskt för typer som inte längre används i nya aktiviteter."
    )


# What was promised, what was done and how it went: published only.


class PromiseOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, unikt inom varje kommun löftet gäller i.")
    url: str | None = Field(description=URL)
    title: str
    title_en: str = Field(description="Fält som slutar på _en är engelska versioner, ofta tomma.")
    period_start: date = Field(description="Löftet gäller från och med.")
    period_end: date = Field(description="Löftet gäller till och med.")
    focus: str = Field(description="Särskilt fokus på …")
    focus_en: str
    summary: str
    summary_en: str
    background: str = Field(description="Bakgrund och lokal lägesbild.")
    background_en: str
    commitments_intro: str
    commitments_intro_en: str
    goal: str
    goal_en: str
    how_to_follow: str
    how_to_follow_en: str
    signed_on: date | None
    is_example: bool = Field(description="Påhittad exempeldata för demonstration.")
    police_areas: list[PoliceAreaRef] = Field(description="Lokalpolisområden som ger löftet.")
    signing_municipalities: list[MunicipalityRef] = Field(
        description="Kommuner som lovar; tom när polisen lovar ensam."
    )
    partners: list[OrganisationRef] = Field(description="Samverkanspartner som lovar.")
    municipalities: list[MunicipalityRef] = Field(description="Kommuner där löftet gäller.")
    districts: list[DistrictRef] = Field(
        description="Stadsdelar eller områden som löftet är begränsat till; tom om det gäller "
        "hela kommunerna."
    )
    renews_id: int | None = Field(description="Det publicerade löfte som det här förnyar.")
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        municipality = _page_municipality(obj)
        return _absolute(context, municipality and obj.get_absolute_url(municipality))

    @staticmethod
    def resolve_renews_id(obj) -> int | None:
        # As the promise's page: a renewed promise is named only if it is published.
        return obj.renews_id if obj.renews_id and obj.renews.is_published else None


class PriorityAreaRef(Schema):
    id: int
    position: int
    title: str
    title_en: str
    description: str
    description_en: str


class CommitmentOut(Schema):
    id: int
    slug: str = Field(description="Adressnamn, unikt inom löftet.")
    url: str | None = Field(description=URL)
    promise_id: int
    position: int = Field(description="Ordningen i löftet.")
    priority_area: PriorityAreaRef | None
    title: str
    title_en: str
    description: str
    description_en: str
    parties: list[OrganisationRef] = Field(
        description="Vem som lovar åtagandet; tom om alla som ger löftet lovar tillsammans."
    )
    target_value: int | None = Field(description="Målet: minst så många. Tomt om målet saknas.")
    target_period: _one_of(Commitment.TargetPeriod) = Field(
        description=_choices(Commitment.TargetPeriod)
    )
    target_unit: str = Field(description="Vad målet räknar, t.ex. fotpatrulleringar.")
    target_unit_en: str
    target_measure: _one_of(Commitment.Measure) = Field(
        description="Vad som summeras ur aktiviteterna: " + _choices(Commitment.Measure)
    )
    target_activity_type: ActivityTypeRef | None = Field(
        description="Bara aktiviteter av den här typen räknas mot målet."
    )
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        municipality = _page_municipality(obj.promise)
        return _absolute(context, municipality and obj.get_absolute_url(municipality))


class ActivityOut(Schema):
    id: int
    url: str | None = Field(description=URL)
    promise_id: int
    commitment_id: int
    date: date
    end_date: date | None = Field(description="Sista dagen om aktiviteten pågick flera dagar.")
    title: str
    title_en: str = Field(description="Rubriken på engelska, tom om den saknas.")
    description: str
    description_en: str = Field(description="Beskrivningen på engelska, tom om den saknas.")
    type: ActivityTypeRef
    place: str = Field(description="Ett område eller en allmän plats.")
    occasions: int = Field(description="Antal tillfällen som posten sammanfattar.")
    people_reached: int | None = Field(description="Antal nådda personer, om det räknats.")
    state: _one_of(Activity.State) = Field(
        description=_choices(Activity.State) + ". Bara genomförda räknas mot målen."
    )
    organisations: list[OrganisationRef] = Field(description="Genomförd av.")
    is_example: bool = Field(description="Genererad exempeldata för demonstration.")
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)

    @staticmethod
    def resolve_promise_id(obj) -> int:
        return obj.commitment.promise_id

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        promise = obj.commitment.promise

        def address_before_id() -> str | None:
            # An activity's address is its promise's, then its id: made once per
            # promise from the first activity's (a reverse() per item is a third of
            # a page's time).
            municipality = _page_municipality(promise)
            if municipality is None:
                return None
            url = _absolute(context, obj.get_absolute_url(municipality))
            end = f"/{obj.pk}/"
            assert url.endswith(end), url
            return url[: -len(end) + 1]

        before = _remembered(context, "activity_url", promise.pk, address_before_id)
        return None if before is None else f"{before}{obj.pk}/"


VERDICT = _choices(Assessment.Verdict)
EXPLANATION = "Varför, när åtagandet inte är genomfört."


class FollowUpAssessment(Schema):
    commitment_id: int
    verdict: _one_of(Assessment.Verdict) = Field(description=VERDICT)
    explanation: str = Field(description=EXPLANATION)
    explanation_en: str


class FollowUpOut(Schema):
    id: int
    url: str | None = Field(description=URL)
    promise_id: int
    title: str
    title_en: str
    period_start: date = Field(description="Uppföljningen gäller från och med.")
    period_end: date = Field(description="Uppföljningen gäller till och med.")
    narrative: str = Field(description="Sammanfattning och lärdomar.")
    narrative_en: str
    next_steps: str = Field(description="Det här ändras till nästa period.")
    next_steps_en: str
    published_on: date | None
    assessments: list[FollowUpAssessment] = Field(
        description="Bedömningen av varje åtagande (samma som under /assessments)."
    )
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)

    @staticmethod
    def resolve_url(obj, context) -> str | None:
        municipality = _page_municipality(obj.promise)
        if municipality is None:
            return None
        path = reverse(
            "public:follow-up-detail", args=[municipality.slug, obj.promise.slug, obj.pk]
        )
        return _absolute(context, path)


class AssessmentOut(Schema):
    id: int
    follow_up_id: int
    promise_id: int
    commitment_id: int
    verdict: _one_of(Assessment.Verdict) = Field(description=VERDICT)
    explanation: str = Field(description=EXPLANATION)
    explanation_en: str


# Outcome indicators: published ones, of published promises or of municipalities.


class IndicatorOut(Schema):
    id: int
    promise_id: int | None = Field(
        description="Det medborgarlöfte som indikatorn hör till; tomt för en serie som följer "
        "kommunerna över flera löftesperioder."
    )
    municipalities: list[MunicipalityRef] = Field(
        description="Kommuner där indikatorn mäts, när den inte hör till ett löfte."
    )
    position: int
    name: str
    name_en: str
    unit: str = Field(description="T.ex. procent, eller anmälda brott per 100 000 invånare.")
    unit_en: str
    direction: _one_of(Indicator.Direction) = Field(description=_choices(Indicator.Direction))
    description: str = Field(description="Vad som mäts och hur.")
    description_en: str
    source_name: str = Field(description="Källa, t.ex. Polisens trygghetsmätning eller Brå.")
    source_url: str
    is_example: bool = Field(description="Påhittade värden för demonstration.")
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)


OptionalDate = date | None


class MeasurementOut(Schema):
    id: int
    indicator_id: int
    municipality: MunicipalityRef
    district: DistrictRef | None = Field(description="Tomt när värdet gäller hela kommunen.")
    year: int = Field(description="Året som värdet gäller.")
    # (A field named date with a default: its type must not be spelt "date".)
    date: OptionalDate = Field(description="Dagen, när värdet gäller en mätning under året.")
    value: float
    sample_size: int | None = Field(description="För enkäter: antal svarande.")
    ci_low: float | None = Field(description="95 % konfidensintervall, nedre gräns.")
    ci_high: float | None = Field(description="95 % konfidensintervall, övre gräns.")
    note: str = Field(description="Kommentar till värdet, t.ex. ny frågeformulering.")
    created_at: datetime
    updated_at: datetime = Field(description=UPDATED)


# Errors.


class Problem(Schema):
    detail: str = Field(description="Vad som gick fel, på svenska.")


class ParameterProblem(Schema):
    parameter: str
    message: str


class InvalidParameters(Schema):
    detail: str = Field(description="Vad som gick fel, på svenska.")
    errors: list[ParameterProblem] = Field(description="Varje felaktig parameter för sig.")
