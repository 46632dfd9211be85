"""Bad input on every public address gives a 4xx, never a 5xx (property-based, hypothesis)."""

from datetime import date
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promises.models import FollowUp

# Parameters the public pages read, and some they do not.
PARAMS = ["q", "typ", "ar", "manad", "sida", "sortera", "organisation", "atagande", "x", "kommun"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["%ff", "%c3%28", "%00", "%", "%%", "a" * 5000, "-1", "0", "10" * 30, "1e9999", "2023-13"]
    ),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
query_strings = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMS), st.text(max_size=10)), hostile_text),
    max_size=8,
).map(
    # As a client sends them: percent-encoded UTF-8, with any %-sequence kept as it is
    # (so "%ff" arrives as a byte that is not UTF-8).
    lambda pairs: "&".join(
        f"{quote(name, safe='%')}={quote(value, safe='%')}" for name, value in pairs
    )
)


def _public_patterns() -> list[str]:
    """Every public route (language prefix included), as a template with <name> holes."""
    routes = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                routes.append(prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "/")
    # The staff admin and the language switch are not public pages.
    return [r for r in routes if not r.startswith(("/admin/", "/i18n/"))]


@pytest.fixture
def site(promise, commitment, make_activity, make_follow_up):
    activity = make_activity(date=date(2023, 3, 14))
    follow_up = make_follow_up(promise, {}, status=FollowUp.Status.PUBLISHED)
    return {
        "municipality": "harryda",
        "promise": promise.slug,
        "commitment": commitment.slug,
        "pk": str(activity.pk),
        "follow_up": str(follow_up.pk),
        "fmt": "pdf",
    }


def _fill(route: str, values: dict, data) -> str:
    """A route's holes filled with real values or with generated ones."""
    path = route.replace("^", "").replace("$", "")
    while "<" in path:
        start = path.index("<")
        end = path.index(">", start)
        converter, _, name = path[start + 1 : end].rpartition(":")
        real = values.get(name, "1")
        made = data.draw(
            st.one_of(
                st.just(real),
                st.from_regex(r"\A[a-z0-9-]{1,80}\Z")
                if converter != "int"
                else st.integers(0, 10**30).map(str),
                hostile_text.filter(lambda t: "/" not in t and "?" not in t and "#" not in t),
            )
        )
        path = path[:start] + quote(made, safe="%") + path[end + 1 :]
    return path


ROUTES = _public_patterns()


@pytest.mark.parametrize("route", ROUTES)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), query=query_strings)
def test_no_public_address_answers_5xx(client, site, route, data, query):
    path = _fill(route, site, data)
    response = client.get(path, QUERY_STRING=query)
    assert response.status_code < 500, f"{path}?{query} gave {response.status_code}"


def test_every_public_route_is_covered():
    assert len(ROUTES) >= 15
