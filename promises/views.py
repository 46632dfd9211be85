"""Public pages. Everything shown here goes through the models' public querysets."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from activities.models import Activity

from .models import Commitment, Municipality, Promise


def _published_promise(municipality_slug: str, promise_slug: str) -> tuple[Municipality, Promise]:
    municipality = get_object_or_404(Municipality, slug=municipality_slug)
    promise = get_object_or_404(
        Promise.objects.published()
        .for_municipality(municipality)
        .select_related("police_area")
        .prefetch_related("municipalities", "contacts"),
        slug=promise_slug,
    )
    return municipality, promise


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.with_published_promise().select_related(
        "police_area__region"
    )
    return render(request, "promises/home.html", {"municipalities": municipalities})


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "promises/about.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "promises/accessibility.html")


@require_GET
def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    municipality = get_object_or_404(
        Municipality.objects.select_related("police_area__region"), slug=municipality
    )
    promises = list(
        Promise.objects.published()
        .for_municipality(municipality)
        .prefetch_related("municipalities")
    )
    if not promises:
        from django.http import Http404

        raise Http404
    current = next((p for p in promises if p.is_current()), None)
    earlier = [p for p in promises if p is not current]
    return render(
        request,
        "promises/municipality_detail.html",
        {"municipality": municipality, "current": current, "earlier": earlier},
    )


@require_GET
def promise_detail(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    commitments = promise.commitments.prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.public().select_related("type").order_by("-date", "-pk"),
            to_attr="public_activities",
        )
    )
    return render(
        request,
        "promises/promise_detail.html",
        {"municipality": municipality, "promise": promise, "commitments": commitments},
    )


@require_GET
def commitment_detail(
    request: HttpRequest, municipality: str, promise: str, commitment: str
) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    commitment = get_object_or_404(Commitment, promise=promise, slug=commitment)
    activities = (
        Activity.objects.public()
        .filter(commitment=commitment)
        .select_related("type")
        .prefetch_related("organisations")
    )
    return render(
        request,
        "promises/commitment_detail.html",
        {
            "municipality": municipality,
            "promise": promise,
            "commitment": commitment,
            "activities": activities,
        },
    )


@require_GET
def activity_list(request: HttpRequest, municipality: str, promise: str) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    activities = (
        Activity.objects.public()
        .filter(commitment__promise=promise)
        .select_related("type", "commitment")
        .prefetch_related("organisations")
    )
    return render(
        request,
        "promises/activity_list.html",
        {"municipality": municipality, "promise": promise, "activities": activities},
    )


@require_GET
def activity_detail(request: HttpRequest, municipality: str, promise: str, pk: int) -> HttpResponse:
    municipality, promise = _published_promise(municipality, promise)
    activity = get_object_or_404(
        Activity.objects.public()
        .filter(commitment__promise=promise)
        .select_related("type", "commitment")
        .prefetch_related("organisations"),
        pk=pk,
    )
    return render(
        request,
        "promises/activity_detail.html",
        {"municipality": municipality, "promise": promise, "activity": activity},
    )
