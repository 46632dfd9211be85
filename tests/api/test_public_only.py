"""The API and its CSV files show what the public pages show, and nothing else."""

import json

import pytest
from django.urls import reverse

from api.v1 import RESOURCES

from .conftest import HIDDEN, HIDDEN_FIELDS

LISTS = [resource.name for resource in RESOURCES]


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def _keys(value) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("name", LISTS)
def test_no_list_detail_or_csv_shows_anything_unpublished(client, api_site, name):
    listed = client.get(reverse(f"api-v1:{name}-list"), {"limit": 500})
    assert listed.status_code == 200
    documents = [listed.content.decode()]
    for item in listed.json()["items"]:
        detail = client.get(reverse(f"api-v1:{name}-detail", args=[item["id"]]))
        assert detail.status_code == 200
        assert detail.json() == item
        documents.append(detail.content.decode())
    for delimiter in ("semicolon", "comma"):
        download = client.get(reverse(f"api-v1:{name}-csv"), {"delimiter": delimiter})
        assert download.status_code == 200
        documents.append(_csv(download))
    for document in documents:
        for text in HIDDEN:
            assert text not in document, (name, text)
    keys = _keys(listed.json())
    assert not keys & set(HIDDEN_FIELDS), (name, keys & set(HIDDEN_FIELDS))


def test_lists_hold_exactly_the_public_things(client, api_site):
    def ids(name):
        return {item["id"] for item in client.get(f"/api/v1/{name}").json()["items"]}

    site = api_site
    assert ids("promises") == {site["promise"].pk, site["other"].pk}
    assert ids("commitments") == {
        site["commitment"].pk,
        site["second"].pk,
        site["other_commitment"].pk,
    }
    assert ids("activities") == {
        site["patrol"].pk,
        site["walk"].pk,
        site["planned"].pk,
        site["kvarnbyn_patrol"].pk,
    }
    assert ids("follow-ups") == {site["follow_up"].pk}
    assert {a["follow_up_id"] for a in client.get("/api/v1/assessments").json()["items"]} == {
        site["follow_up"].pk
    }
    indicators = client.get("/api/v1/indicators").json()["items"]
    assert {i["name"] for i in indicators} == {"Trygghet i Härryda", "Anmälda brott i Kvarnbyn"}
    measurements = client.get("/api/v1/measurements").json()["items"]
    assert {m["indicator_id"] for m in measurements} == {site["survey"].pk, site["crimes"].pk}
    assert len(measurements) == 3


def test_measurements_carry_their_place_values_and_intervals(client, api_site):
    survey = client.get("/api/v1/measurements", {"indicator": api_site["survey"].pk}).json()
    first, latest = survey["items"]
    assert (first["year"], first["value"], first["ci_low"], first["ci_high"]) == (
        2021,
        68.5,
        65.0,
        72.0,
    )
    assert first["sample_size"] == 800 and first["municipality"]["slug"] == "harryda"
    assert latest["ci_low"] is None and latest["district"] is None
    crimes = client.get("/api/v1/measurements", {"indicator": api_site["crimes"].pk}).json()
    assert crimes["items"][0]["district"]["slug"] == "kvarnbyn"
    indicator = client.get(f"/api/v1/indicators/{api_site['crimes'].pk}").json()
    assert indicator["promise_id"] == api_site["other"].pk
    assert indicator["direction"] == "down"


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("promises", "unpublished"),
        ("commitments", "hidden_commitment"),
        ("activities", "hidden_activity"),
        ("follow-ups", "hidden_follow_up"),
        ("indicators", "hidden_indicator"),
    ],
)
def test_unpublished_things_are_not_found_by_id(client, api_site, path, key):
    response = client.get(f"/api/v1/{path}/{api_site[key].pk}")
    assert response.status_code == 404
    assert response.json() == {
        "detail": "Det finns inget med det id:t, eller så är det inte publicerat."
    }


def test_a_draft_activity_is_not_found_by_id(client, api_site, make_activity):
    from activities.models import Activity

    draft = Activity.objects.get(title="Utkast som inte får synas")
    assert client.get(f"/api/v1/activities/{draft.pk}").status_code == 404


def test_a_renewed_draft_is_not_named(client, api_site):
    other = client.get(f"/api/v1/promises/{api_site['other'].pk}").json()
    assert other["renews_id"] is None


def test_items_carry_stable_ids_slugs_and_their_public_addresses(client, api_site):
    site = api_site
    promise = client.get(f"/api/v1/promises/{site['promise'].pk}").json()
    assert promise["slug"] == site["promise"].slug
    assert promise["url"] == f"http://testserver/harryda/{site['promise'].slug}/"
    assert client.get(promise["url"]).status_code == 200

    commitment = client.get(f"/api/v1/commitments/{site['second'].pk}").json()
    assert commitment["priority_area"]["title"] == "Ungdomar"
    assert commitment["target_value"] == 6 and commitment["target_period"] == "year"
    assert client.get(commitment["url"]).status_code == 200

    activity = client.get(f"/api/v1/activities/{site['walk'].pk}").json()
    assert activity["promise_id"] == site["promise"].pk
    assert activity["type"]["slug"] == "trygghetsvandring"
    assert activity["people_reached"] == 40 and activity["end_date"] == "2023-09-06"
    assert client.get(activity["url"]).status_code == 200

    follow_up = client.get(f"/api/v1/follow-ups/{site['follow_up'].pk}").json()
    assert follow_up["assessments"] == [
        {
            "commitment_id": site["commitment"].pk,
            "verdict": "done",
            "explanation": "",
            "explanation_en": "",
        },
        {
            "commitment_id": site["second"].pk,
            "verdict": "partly",
            "explanation": "Två vandringar ställdes in.",
            "explanation_en": "",
        },
    ]
    assert client.get(follow_up["url"]).status_code == 200

    other = client.get(f"/api/v1/promises/{site['other'].pk}").json()
    assert [d["slug"] for d in other["districts"]] == ["kvarnbyn"]
    assert [p["name"] for p in other["partners"]] == ["Bostadsbolaget"]

    municipality = client.get("/api/v1/municipalities", {"limit": 500}).json()["items"]
    harryda = next(m for m in municipality if m["slug"] == "harryda")
    assert harryda["code"] == "1401"
    assert harryda["url"] == "http://testserver/harryda/"
    assert [a["slug"] for a in harryda["police_areas"]] == ["storgoteborg-syd"]


def test_csv_has_the_json_fields_flattened_with_a_bom(client, api_site):
    response = client.get("/api/v1/activities.csv", {"promise": api_site["promise"].pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="activities.csv"'
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:4] == ["id", "url", "promise_id", "commitment_id"]
    assert {"type_slug", "type_name", "organisations", "state", "updated_at"} <= set(header)
    rows = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]
    assert len(rows) == 3
    patrol = next(r for r in rows if r["id"] == str(api_site["patrol"].pk))
    json_patrol = client.get(f"/api/v1/activities/{api_site['patrol'].pk}").json()
    assert patrol["occasions"] == "12"
    assert patrol["organisations"] == "LPO Storgöteborg syd"
    assert patrol["is_example"] == "false"
    assert patrol["people_reached"] == ""
    assert patrol["updated_at"] == json_patrol["updated_at"]
    assert patrol["url"] == json_patrol["url"]


def test_csv_with_commas_quotes_what_needs_quoting(client, api_site):
    import csv
    import io

    response = client.get("/api/v1/follow-ups.csv", {"delimiter": "comma"})
    rows = list(csv.DictReader(io.StringIO(_csv(response).removeprefix("\ufeff"))))
    assert [r["title"] for r in rows] == ["Uppföljning 2023"]
    # The assessments have a file of their own.
    assert "assessments" not in rows[0]
    assessments = client.get("/api/v1/assessments.csv", {"delimiter": "comma"})
    rows = list(csv.DictReader(io.StringIO(_csv(assessments).removeprefix("\ufeff"))))
    assert sorted(r["verdict"] for r in rows) == ["done", "partly"]


def test_json_is_utf8_with_swedish_letters(client, api_site):
    response = client.get(f"/api/v1/activities/{api_site['patrol'].pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content.decode("utf-8"))["title"] == (
        "Fotpatrullering i Mölnlycke centrum"
    )
