"""The "Öppna data" page: the licence, what is in and out, examples; linked from every page."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize(("prefix", "lang"), [("", "sv"), ("/en", "en")])
def test_page_renders_in_both_languages_without_cookies(client, db, prefix, lang):
    response = client.get(f"{prefix}/oppna-data/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert "CC0 1.0" in html
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/deed.sv"' in html
    assert html.count("<h1") == 1


@override_settings(RATE_LIMIT_API="300/m")
def test_page_says_what_is_in_and_out_with_working_examples(client, harryda):
    html = client.get("/oppna-data/").content.decode()
    assert "<title>Öppna data – Medborgarlöften</title>" in html
    assert "Vad ingår inte?" in html
    assert "interna anteckningar" in html and "utkast" in html
    assert 'href="http://testserver/api/v1/docs"' in html
    assert 'href="http://testserver/api/v1/openapi.json"' in html
    assert 'curl "http://testserver/api/v1/promises?municipality=harryda"' in html
    assert "from urllib.request import urlopen" in html
    assert "300 förfrågningar per minut" in html
    for path in (
        "/api/v1/promises?municipality=harryda",
        "/api/v1/activities?municipality=harryda&from=2024-01-01",
        "/api/v1/activities.csv?municipality=harryda&from=2024-01-01",
    ):
        assert f"http://testserver{path}".replace("&", "&amp;") in html
        assert client.get(path).status_code == 200, path


@override_settings(RATE_LIMIT_API="20/h")
def test_page_states_the_rate_limit_as_configured(client, db):
    assert "20 förfrågningar per timme" in client.get("/oppna-data/").content.decode()


@pytest.mark.parametrize("url", ["/", "/om-webbplatsen/", "/tillganglighetsredogorelse/"])
def test_every_page_links_to_it_from_the_footer(client, db, url):
    html = client.get(url).content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/oppna-data/">Öppna data</a>' in footer


def test_english_pages_link_to_the_english_page(client, db):
    html = client.get("/en/om-webbplatsen/").content.decode()
    assert 'href="/en/oppna-data/"' in html
    with translation.override("en"):
        assert reverse("api:open-data") == "/en/oppna-data/"


def test_about_page_no_longer_says_open_data_is_planned(client, db):
    html = client.get("/om-webbplatsen/").content.decode()
    assert "Vi planerar att publicera" not in html
    assert "CC0" in html
    assert html.count('href="/oppna-data/"') == 2  # the text and the footer


def test_no_municipality_can_take_the_page_address(db):
    from django.core.exceptions import ValidationError

    from promises.models import Municipality

    with pytest.raises(ValidationError):
        Municipality(name="Öppna", slug="oppna-data", code="9998").full_clean()
