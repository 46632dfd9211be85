"""The open-data API, version 1: read-only, and only what the public pages show.

Every list is built on the domain's public querysets (``Promise.objects.
published()``, ``Activity.objects.public()`` …), so the API, the pages, the
feeds and the CSV files agree on what is public. Each resource has a list
(paginated, filtered), a detail by id and a CSV download of the whole
filtered list; each list takes a fixed number of queries whatever its length.
"""

# No `from __future__ import annotations`: django-ninja reads the endpoints'
# parameter types at import, and those are made per resource in _register().

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from pydantic import create_model

from activities.models import Activity, MonthlySum
from promises.models import (
    ActivityType,
    Assessment,
    Commitment,
    District,
    FollowUp,
    Indicator,
    Measurement,
    Municipality,
    PoliceArea,
    PoliceRegion,
    Promise,
)

from . import counts
from .downloads import CsvParams, csv_response
from .filters import (
    MAX_ID,
    ActivityFilters,
    AssessmentFilters,
    CommitmentFilters,
    DistrictFilters,
    FollowUpFilters,
    IndicatorFilters,
    InvalidFilter,
    Lookups,
    MeasurementFilters,
    NoFilters,
    PageParams,
    PromiseFilters,
    conditions,
    narrow,
)
from .items import dumper
from .messages import parameter_problems
from .schemas import (
    ActivityOut,
    ActivityTypeOut,
    AssessmentOut,
    CommitmentOut,
    DistrictOut,
    FollowUpOut,
    IndicatorOut,
    InvalidParameters,
    MeasurementOut,
    MunicipalityOut,
    PoliceAreaOut,
    PoliceRegionOut,
    Problem,
    PromiseOut,
)

# The document is in Swedish only, like the API's answers: /api/ has no
# language prefix. Its texts are plain strings, not in the catalogue; the
# messages a client gets back (errors, 429) go through gettext.
DESCRIPTION = """\
Medborgarlöftena, deras åtaganden, aktiviteterna som gjorts för att hålla dem,
uppföljningarna och indikatorerna (mätningar av hur tryggt det är), som öppna data.
Bara det som är publicerat på webbplatsen ingår: inga utkast, inga interna
anteckningar, inga uppgifter om personalens konton.

* **Licens:** CC0 1.0 Universell. Använd uppgifterna fritt.
* **Listor** sidindelas med `limit` (högst 500) och `offset`; svaret har `count`, `next`
  och `previous`. Samma lista finns som CSV-fil, hela och med samma filter, under samma
  adress med `.csv` på slutet.
* **Felaktiga värden** i en parameter ger 422 med en förklaring på svenska.
* **Cache:** svaren har `ETag` och `Cache-Control: public, max-age=60`. Fråga med
  `If-None-Match` för att få 304 när inget ändrats.
* **Begränsning:** för många förfrågningar från samma adress ger 429 med `Retry-After`.

Läs mer och se exempel på sidan [Öppna data](/oppna-data/).
"""


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The generated document, with the answers every endpoint can give besides its own."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].update(COMMON_RESPONSES)
        return schema


def _text(description: str) -> dict:
    return {"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}}


COMMON_RESPONSES = {
    304: {"description": "Inte ändrad sedan förfrågans If-None-Match: inget innehåll."},
    400: _text("Adressen innehåller otillåtna tecken."),
    429: {
        **_text(
            "För många förfrågningar från samma adress. Vänta så många sekunder som "
            "Retry-After säger."
        ),
        "headers": {
            "Retry-After": {
                "description": "Sekunder att vänta innan nästa förfrågan.",
                "required": True,
                "schema": {"type": "integer"},
            }
        },
    },
}

api = OpenDataAPI(
    title="Medborgarlöften: öppna data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # No validator badge: Swagger UI would load it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(ValidationError)
def _invalid_parameters(request: HttpRequest, exc: ValidationError):
    return _problems(request, parameter_problems(exc.errors))


@api.exception_handler(InvalidFilter)
def _invalid_filter(request: HttpRequest, exc: InvalidFilter):
    return _problems(request, [{"parameter": exc.parameter, "message": exc.message}])


def _problems(request: HttpRequest, problems: list[dict]):
    detail = " ".join(f"{p['parameter']}: {p['message']}" for p in problems)
    return api.create_response(request, {"detail": detail, "errors": problems}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    return api.create_response(
        request,
        {"detail": _("Det finns inget med det id:t, eller så är det inte publicerat.")},
        status=404,
    )


def _page_schema(item: type[Schema]) -> type[Schema]:
    return create_model(
        f"{item.__name__.removesuffix('Out')}Page",
        __base__=Schema,
        count=(int, Field(description="Antal poster i hela listan med filtren.")),
        limit=(int, ...),
        offset=(int, ...),
        next=(str | None, Field(description="Adressen till nästa sida; tom på sista sidan.")),
        previous=(str | None, Field(description="Adressen till föregående sida.")),
        items=(list[item], ...),
    )


def _page_url(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _page(
    request: HttpRequest,
    queryset: QuerySet,
    params: PageParams,
    counted: Callable[[], int | None] | None = None,
) -> dict:
    """One page of the list; ``counted`` counts it in a faster way than ``queryset.count()``."""
    start, limit = params.offset, params.limit
    items = list(queryset[start : start + limit])
    if items and len(items) < limit or not items and start == 0:
        count = start + len(items)  # the last page: no need to count
    else:
        count = counts.count(queryset, counted)
    return {
        "count": count,
        "limit": limit,
        "offset": start,
        "next": _page_url(request, start + limit) if start + limit < count else None,
        "previous": _page_url(request, max(0, start - limit)) if start > 0 else None,
        "items": items,
    }


@dataclass(frozen=True)
class Resource:
    path: str
    name: str
    tag: str
    item: type[Schema]
    queryset: Callable[[], QuerySet]
    filters: type[Schema] = NoFilters
    lookups: Lookups = Lookups()
    summary_list: str = ""
    summary_item: str = ""
    # The list's count from summary rows, given its filters; None where they cannot say.
    count_sums: Callable[[Schema, Lookups], int | None] | None = None


def _register(resource: Resource) -> None:
    # One schema of query parameters per endpoint: the list's filters with the
    # page's, or with the CSV file's (a list without filters has those only).
    prefix = resource.item.__name__.removesuffix("Out")
    ListParams = type(f"{prefix}ListParams", (resource.filters, PageParams), {})
    CsvListParams = type(f"{prefix}CsvParams", (resource.filters, CsvParams), {})
    tags = [resource.tag]
    operation = resource.name.replace("-", "_")
    csv_content = {
        200: {
            "description": "CSV, UTF-8 med BOM.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }

    @api.get(
        f"/{resource.path}",
        response={200: _page_schema(resource.item), 422: InvalidParameters},
        operation_id=f"{operation}_list",
        url_name=f"{resource.name}-list",
        summary=resource.summary_list,
        tags=tags,
    )
    def list_view(request, params: Query[ListParams]):
        rows = resource.queryset()
        checked = conditions(rows.model, params, resource.lookups)

        def counted() -> int:
            summed = resource.count_sums and resource.count_sums(params, resource.lookups)
            return checked.count(rows) if summed is None else summed

        page = _page(request, checked.apply(rows), params, counted)
        # The items as the schema has them, read directly rather than through
        # ninja's validation (api/items.py): the same JSON, in less time.
        dump, context = dumper(resource.item), {"request": request}
        page["items"] = [dump(item, context) for item in page["items"]]
        return api.create_response(request, page, status=200)

    @api.get(
        f"/{resource.path}.csv",
        response={200: None, 422: InvalidParameters},
        operation_id=f"{operation}_csv",
        url_name=f"{resource.name}-csv",
        summary=f"{resource.summary_list} som CSV",
        description="Hela listan med filtren, utan sidindelning.",
        tags=tags,
        openapi_extra={"responses": csv_content},
    )
    def csv_view(request, params: Query[CsvListParams]):
        queryset = narrow(resource.queryset(), params, resource.lookups)
        return csv_response(
            request, queryset, resource.item, f"{resource.path}.csv", params.delimiter
        )

    @api.get(
        f"/{resource.path}/{{id}}",
        response={200: resource.item, 404: Problem, 422: InvalidParameters},
        operation_id=f"{operation}_detail",
        url_name=f"{resource.name}-detail",
        summary=resource.summary_item,
        tags=tags,
    )
    def detail_view(request, id: Annotated[int, Path(ge=1, le=MAX_ID)]):
        return get_object_or_404(resource.queryset(), pk=id)


def _promise_for_urls() -> QuerySet:
    """What an item's address needs of its promise: the slug and the municipalities."""
    return Promise.objects.only("pk", "slug").prefetch_related("municipalities")


# The public querysets, with what their schemas read fetched in a fixed number
# of queries and in a stable order (a page must not skip or repeat an item).


def _police_regions() -> QuerySet:
    return PoliceRegion.objects.order_by("name", "pk")


def _police_areas() -> QuerySet:
    return (
        PoliceArea.objects.select_related("region")
        .prefetch_related("municipalities", "districts")
        .order_by("name", "pk")
    )


def _municipalities() -> QuerySet:
    return (
        Municipality.objects.select_related("county__police_region")
        .prefetch_related("police_areas")
        .order_by("name", "pk")
    )


def _districts() -> QuerySet:
    return (
        District.objects.select_related("municipality")
        .prefetch_related("police_areas")
        .order_by("municipality__name", "name", "pk")
    )


def _activity_types() -> QuerySet:
    return ActivityType.objects.order_by("position", "name", "pk")


def _promises() -> QuerySet:
    return (
        Promise.objects.published()
        .select_related("renews")
        .prefetch_related(
            "municipalities", "districts", "police_areas", "signing_municipalities", "partners"
        )
        .order_by("-period_start", "pk")
    )


def _commitments() -> QuerySet:
    return (
        Commitment.objects.public()
        .select_related("priority_area", "target_activity_type")
        .prefetch_related("parties", Prefetch("promise", queryset=_promise_for_urls()))
        .order_by("promise_id", "position", "pk")
    )


def _activities() -> QuerySet:
    commitments = Commitment.objects.only("pk", "promise_id").prefetch_related(
        Prefetch("promise", queryset=_promise_for_urls())
    )
    return (
        Activity.objects.public()
        .select_related("type")
        .prefetch_related("organisations", Prefetch("commitment", queryset=commitments))
        .order_by("-date", "-pk")
    )


def _count_activities(params: Schema, lookups: Lookups) -> int | None:
    """The activities' count from the monthly sums, when every filter is one they keep.

    Counting the list itself reads every row it holds (all the public
    activities: about 130 ms at a million); the sums of the same commitments
    and types hold the same number in a few rows each. A period or a time of
    change is finer than a month: those lists are counted row by row.
    """
    if params.from_ or params.to or params.updated_since:
        return None
    sums = narrow(MonthlySum.objects.public(), params.model_copy(update={"state": None}), lookups)
    return sums.activity_count(params.state)


def _follow_ups() -> QuerySet:
    return (
        FollowUp.objects.published()
        .prefetch_related(
            Prefetch("promise", queryset=_promise_for_urls()),
            Prefetch("assessments", queryset=Assessment.objects.public().order_by("pk")),
        )
        .order_by("-period_end", "pk")
    )


def _assessments() -> QuerySet:
    return (
        Assessment.objects.public()
        .annotate(promise_id=F("follow_up__promise_id"))
        .order_by("follow_up_id", "pk")
    )


def _indicators() -> QuerySet:
    return (
        Indicator.objects.public()
        .prefetch_related("municipalities")
        .order_by("position", "name", "pk")
    )


def _measurements() -> QuerySet:
    return (
        Measurement.objects.public()
        .select_related("municipality", "district")
        .order_by("indicator_id", "municipality_id", "year", "date", "pk")
    )


RESOURCES = [
    Resource(
        "police-regions",
        "police-region",
        "Polisregioner",
        PoliceRegionOut,
        _police_regions,
        summary_list="Polisregioner",
        summary_item="En polisregion",
    ),
    Resource(
        "police-areas",
        "police-area",
        "Lokalpolisområden",
        PoliceAreaOut,
        _police_areas,
        summary_list="Lokalpolisområden",
        summary_item="Ett lokalpolisområde",
    ),
    Resource(
        "municipalities",
        "municipality",
        "Kommuner och stadsdelar",
        MunicipalityOut,
        _municipalities,
        summary_list="Kommuner",
        summary_item="En kommun",
    ),
    Resource(
        "districts",
        "district",
        "Kommuner och stadsdelar",
        DistrictOut,
        _districts,
        DistrictFilters,
        Lookups(municipality="municipality"),
        summary_list="Stadsdelar och områden",
        summary_item="En stadsdel eller ett område",
    ),
    Resource(
        "activity-types",
        "activity-type",
        "Aktiviteter",
        ActivityTypeOut,
        _activity_types,
        summary_list="Aktivitetstyper",
        summary_item="En aktivitetstyp",
    ),
    Resource(
        "promises",
        "promise",
        "Medborgarlöften",
        PromiseOut,
        _promises,
        PromiseFilters,
        Lookups(
            municipality="municipalities",
            period=("period_start", "period_end"),
            updated="updated_at",
        ),
        summary_list="Publicerade medborgarlöften",
        summary_item="Ett publicerat medborgarlöfte",
    ),
    Resource(
        "commitments",
        "commitment",
        "Medborgarlöften",
        CommitmentOut,
        _commitments,
        CommitmentFilters,
        Lookups(municipality="promise__municipalities", promise="promise", updated="updated_at"),
        summary_list="Åtaganden i publicerade medborgarlöften",
        summary_item="Ett åtagande",
    ),
    Resource(
        "activities",
        "activity",
        "Aktiviteter",
        ActivityOut,
        _activities,
        ActivityFilters,
        Lookups(
            municipality="commitment__promise__municipalities",
            promise="commitment__promise",
            commitment="commitment",
            period=("date", "end_date"),
            updated="updated_at",
        ),
        summary_list="Publicerade aktiviteter",
        summary_item="En publicerad aktivitet",
        count_sums=_count_activities,
    ),
    Resource(
        "follow-ups",
        "follow-up",
        "Uppföljningar",
        FollowUpOut,
        _follow_ups,
        FollowUpFilters,
        Lookups(
            municipality="promise__municipalities",
            promise="promise",
            period=("period_start", "period_end"),
            updated="updated_at",
        ),
        summary_list="Publicerade uppföljningar",
        summary_item="En publicerad uppföljning",
    ),
    Resource(
        "assessments",
        "assessment",
        "Uppföljningar",
        AssessmentOut,
        _assessments,
        AssessmentFilters,
        Lookups(
            municipality="follow_up__promise__municipalities",
            promise="follow_up__promise",
            commitment="commitment",
            follow_up="follow_up",
        ),
        summary_list="Bedömningar av åtaganden i publicerade uppföljningar",
        summary_item="En bedömning",
    ),
    Resource(
        "indicators",
        "indicator",
        "Indikatorer",
        IndicatorOut,
        _indicators,
        IndicatorFilters,
        Lookups(
            municipality=("municipalities", "promise__municipalities"),
            promise="promise",
            updated="updated_at",
        ),
        summary_list="Publicerade indikatorer: hur tryggt det är, inte vad som gjorts",
        summary_item="En publicerad indikator",
    ),
    Resource(
        "measurements",
        "measurement",
        "Indikatorer",
        MeasurementOut,
        _measurements,
        MeasurementFilters,
        Lookups(municipality="municipality", indicator="indicator", updated="updated_at"),
        summary_list="Mätvärden för publicerade indikatorer",
        summary_item="Ett mätvärde",
    ),
]

for _resource in RESOURCES:
    _register(_resource)
