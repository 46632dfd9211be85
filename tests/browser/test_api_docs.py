"""The API's interactive docs: Swagger UI served by this site, nothing fetched from elsewhere."""

import pytest

pytestmark = pytest.mark.browser


def test_docs_load_and_fetch_nothing_from_other_sites(live_server, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.status == 200
    # The operations are drawn once the OpenAPI document has loaded.
    page.get_by_text("Publicerade aktiviteter", exact=True).first.wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert f"{live_server.url}/api/v1/openapi.json" in requested
    elsewhere = [
        url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))
    ]
    assert not elsewhere, elsewhere
    assert not page.context.cookies()
