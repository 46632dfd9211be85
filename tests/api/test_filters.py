"""Filters, pagination and bad values: a clear 422 in Swedish, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities.models import Activity


def _titles(client, path, **params):
    response = client.get(f"/api/v1/{path}", params)
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


HARRYDA_WORK = [
    "Fotpatrullering i Mölnlycke centrum",
    "Planerad vandring",
    "Trygghetsvandring i Landvetter",
]


@pytest.mark.parametrize("value", ["harryda", "1401"])
def test_municipality_by_slug_or_kommunkod(client, api_site, value):
    assert _titles(client, "activities", municipality=value) == HARRYDA_WORK
    assert _titles(client, "promises", municipality=value) == ["Medborgarlöfte Härryda kommun"]
    assert _titles(client, "follow-ups", municipality=value) == ["Uppföljning 2023"]
    assert len(_titles(client, "commitments", municipality=value)) == 2
    assert _titles(client, "promises", municipality="molndal") == ["Löftet för Kvarnbyn"]
    districts = client.get("/api/v1/districts", {"municipality": "1481"}).json()["items"]
    assert [d["slug"] for d in districts] == ["kvarnbyn"]


def test_promise_commitment_and_follow_up(client, api_site):
    site = api_site
    assert _titles(client, "activities", promise=site["other"].pk) == ["Fotpatrullering i Kvarnbyn"]
    assert _titles(client, "activities", commitment=site["second"].pk) == [
        "Planerad vandring",
        "Trygghetsvandring i Landvetter",
    ]
    assert _titles(client, "commitments", promise=site["promise"].pk) == [
        "Riktade insatser mot ungdomar",
        "Trygghetsvandringar",
    ]
    assessments = client.get(
        "/api/v1/assessments", {"commitment": site["second"].pk, "follow_up": site["follow_up"].pk}
    ).json()["items"]
    assert [a["verdict"] for a in assessments] == ["partly"]


def test_activity_type_and_state(client, api_site):
    assert _titles(client, "activities", type="trygghetsvandring") == [
        "Planerad vandring",
        "Trygghetsvandring i Landvetter",
    ]
    assert _titles(client, "activities", type="trygghetsvandring", state="done") == [
        "Trygghetsvandring i Landvetter"
    ]
    assert _titles(client, "activities", state="planned") == ["Planerad vandring"]


def test_date_range_takes_what_goes_on_in_it(client, api_site):
    # The walk runs 5–6 September 2023: it goes on on the 6th.
    assert _titles(client, "activities", **{"from": "2023-09-06", "to": "2023-12-31"}) == [
        "Trygghetsvandring i Landvetter"
    ]
    assert _titles(client, "activities", **{"from": "2023-09-07", "to": "2024-03-01"}) == [
        "Fotpatrullering i Kvarnbyn"
    ]
    assert _titles(client, "activities", to="2023-03-14") == ["Fotpatrullering i Mölnlycke centrum"]
    # Promises and follow-ups by their periods.
    assert _titles(client, "promises", **{"from": "2024-06-01"}) == ["Löftet för Kvarnbyn"]
    assert _titles(client, "promises", to="2023-12-31") == ["Medborgarlöfte Härryda kommun"]
    assert _titles(client, "follow-ups", **{"from": "2024-01-01"}) == []


def test_updated_since(client, api_site):
    now = timezone.now()
    Activity.objects.filter(pk=api_site["walk"].pk).update(updated_at=now + timedelta(hours=1))
    since = (now + timedelta(minutes=30)).isoformat()
    assert _titles(client, "activities", updated_since=since) == ["Trygghetsvandring i Landvetter"]
    # Without a zone, the time is Swedish time: still before the change.
    local = timezone.localtime(now + timedelta(minutes=30)).replace(tzinfo=None).isoformat()
    assert _titles(client, "activities", updated_since=local) == ["Trygghetsvandring i Landvetter"]
    assert len(_titles(client, "activities", updated_since="2000-01-01")) == 4
    assert _titles(client, "promises", updated_since=since) == []


def test_the_same_filters_apply_to_the_csv(client, api_site):
    response = client.get("/api/v1/activities.csv", {"municipality": "harryda", "state": "done"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(body.splitlines()) == 3  # the header and two activities
    assert "Planerad vandring" not in body and "Kvarnbyn" not in body
    bad = client.get("/api/v1/activities.csv", {"municipality": "finns-inte"})
    assert bad.status_code == 422


def test_pagination_walks_the_whole_list_once(client, api_site, make_activity):
    for n in range(7):
        make_activity(title=f"Patrull {n}")
    first = client.get("/api/v1/activities", {"limit": 4}).json()
    assert first["count"] == 11 and first["limit"] == 4 and first["offset"] == 0
    assert first["previous"] is None
    seen = [item["id"] for item in first["items"]]
    page = first
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [item["id"] for item in page["items"]]
    assert len(seen) == len(set(seen)) == 11
    assert page["offset"] == 8 and len(page["items"]) == 3
    assert page["previous"] == "http://testserver/api/v1/activities?limit=4&offset=4"
    beyond = client.get("/api/v1/activities", {"offset": 100}).json()
    assert beyond["items"] == [] and beyond["count"] == 11 and beyond["next"] is None


def test_pages_keep_the_filters(client, api_site):
    page = client.get("/api/v1/activities", {"municipality": "harryda", "limit": 1}).json()
    assert page["count"] == 3
    assert "municipality=harryda" in page["next"]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ({"limit": "alla"}, "limit", "måste vara ett heltal"),
        ({"limit": "0"}, "limit", "måste vara minst 1"),
        ({"limit": "501"}, "limit", "får vara högst 500"),
        ({"offset": "-1"}, "offset", "måste vara minst 0"),
        ({"from": "2024-13-01"}, "from", "måste vara ett datum som 2025-03-01"),
        ({"to": "igår"}, "to", "måste vara ett datum"),
        ({"updated_since": "nyss"}, "updated_since", "måste vara en tidpunkt"),
        ({"updated_since": "0001-01-01T00:00:00"}, "updated_since", "utanför"),
        ({"state": "klar"}, "state", "måste vara ett av: done, planned, cancelled"),
        ({"promise": "ett"}, "promise", "måste vara ett heltal"),
        ({"promise": "99999999999999999999"}, "promise", "får vara högst"),
        ({"municipality": "atlantis"}, "municipality", "Det finns ingen kommun"),
        ({"municipality": "9999"}, "municipality", "”9999”"),
        ({"type": "finns-inte"}, "type", "Det finns ingen aktivitetstyp"),
        ({"commitment": "999999"}, "commitment", "Det finns inget åtagande med id 999999"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "to", "kan inte vara före"),
    ],
)
def test_bad_values_give_422_with_a_swedish_message(client, api_site, query, parameter, message):
    response = client.get("/api/v1/activities", query)
    assert response.status_code == 422
    body = response.json()
    assert [e["parameter"] for e in body["errors"]] == [parameter]
    assert message in body["errors"][0]["message"]
    assert message in body["detail"]


def test_unpublished_promise_as_filter_is_like_one_that_does_not_exist(client, api_site):
    hidden = client.get("/api/v1/activities", {"promise": api_site["unpublished"].pk})
    missing = client.get("/api/v1/activities", {"promise": 999999})
    assert hidden.status_code == missing.status_code == 422
    assert hidden.json()["detail"] == missing.json()["detail"].replace(
        "999999", str(api_site["unpublished"].pk)
    )
    hidden = client.get("/api/v1/assessments", {"follow_up": api_site["hidden_follow_up"].pk})
    assert hidden.status_code == 422


@pytest.mark.parametrize("path", ["activities/ett", "activities/0", "promises/-4"])
def test_bad_ids_give_422(client, api_site, path):
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "id"


def test_indicators_by_municipality_promise_and_measurements_by_indicator(client, api_site):
    def names(**params):
        items = client.get("/api/v1/indicators", params).json()["items"]
        return sorted(item["name"] for item in items)

    # Measured in the municipality, or belonging to a promise that applies there.
    assert names(municipality="harryda") == ["Trygghet i Härryda"]
    assert names(municipality="1481") == ["Anmälda brott i Kvarnbyn"]
    assert names(promise=api_site["other"].pk) == ["Anmälda brott i Kvarnbyn"]
    values = client.get("/api/v1/measurements", {"municipality": "harryda"}).json()["items"]
    assert [m["year"] for m in values] == [2021, 2023]
    hidden = client.get("/api/v1/measurements", {"indicator": api_site["hidden_indicator"].pk})
    assert hidden.status_code == 422
    assert "Det finns ingen publicerad indikator" in hidden.json()["detail"]
