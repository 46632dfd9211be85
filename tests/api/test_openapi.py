"""The API keeps to its own OpenAPI document, whatever it is asked, and documents itself in Swedish.

Schemathesis reads the document from the running application (through the
WSGI handler, in the test's database transaction) and sends generated
requests, valid and invalid, to every operation.
"""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.v1 import RESOURCES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Per operation and kind of input: about 30 operations, three kinds, well under a minute.
EXAMPLES = 8


@pytest.fixture
def api_schema(api_site, settings):
    # Schemathesis calls the application with Host: localhost.
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    # Django closes the database connection at the end of each request; that
    # would end the test's transaction (Django's test client does the same).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _strategies(operation):
    """Valid and invalid input, and for a detail the id of a public item (else mostly 404s)."""
    yield operation.as_strategy(GenerationMode.POSITIVE)
    yield operation.as_strategy(GenerationMode.NEGATIVE)
    if operation.path.endswith("/{id}"):
        path = operation.path.removeprefix("/api/v1/").removesuffix("/{id}")
        resource = next(r for r in RESOURCES if r.path == path)
        known = resource.queryset().values_list("pk", flat=True).first()
        yield operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": known})


def test_every_answer_keeps_to_the_openapi_document(api_schema):
    # Schemathesis's own pytest integration (schema.parametrize with a fixture)
    # does not run under pytest 9, so its strategies run through Hypothesis
    # directly, one operation at a time.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 3 * len(RESOURCES)
    for operation in operations:
        for strategy in _strategies(operation):

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            )
            @given(case=strategy)
            def check(case):
                case.call_and_validate(checks=CHECKS)

            check()


def test_the_document_is_openapi_3_in_swedish(client, db):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Medborgarlöften: öppna data"
    assert "CC0" in document["info"]["description"]
    summaries = [op["summary"] for path in document["paths"].values() for op in path.values()]
    assert "Publicerade aktiviteter" in summaries
    limit = next(
        p
        for p in document["paths"]["/api/v1/activities"]["get"]["parameters"]
        if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 500
    assert "Antal poster per sida" in limit["description"]


def test_the_docs_page_loads_nothing_from_other_sites(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # No stylesheet, script, image or font from anywhere else: no CDN.
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert "cdn" not in html.lower()
    # Swagger UI's validator badge would be fetched from validator.swagger.io.
    assert '"validatorUrl": null' in html
    assert not response.cookies
