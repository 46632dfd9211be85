"""The activities page: quick periods, from/to dates, the folded filter and its count."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from public.filters import quick_ranges


def _ranges(today: date) -> dict[str, tuple[date, date]]:
    return {str(q.label): (q.start, q.end) for q in quick_ranges(today)}


def test_quick_ranges_mid_year():
    assert _ranges(date(2024, 3, 15)) == {
        "Senaste 30 dagarna": (date(2024, 2, 15), date(2024, 3, 15)),
        "Förra månaden": (date(2024, 2, 1), date(2024, 2, 29)),
        "I år": (date(2024, 1, 1), date(2024, 3, 15)),
    }


def test_quick_ranges_in_january_reach_back_to_december():
    assert _ranges(date(2025, 1, 10)) == {
        "Senaste 30 dagarna": (date(2024, 12, 12), date(2025, 1, 10)),
        "Förra månaden": (date(2024, 12, 1), date(2024, 12, 31)),
        "I år": (date(2025, 1, 1), date(2025, 1, 10)),
    }


def test_quick_ranges_on_the_first_and_last_day_of_a_month():
    ranges = _ranges(date(2023, 3, 1))
    assert ranges["Förra månaden"] == (date(2023, 2, 1), date(2023, 2, 28))
    assert ranges["Senaste 30 dagarna"] == (date(2023, 1, 31), date(2023, 3, 1))
    assert _ranges(date(2023, 12, 31))["I år"] == (date(2023, 1, 1), date(2023, 12, 31))


@pytest.fixture
def current(make_promise, harryda, activity_type):
    from promises.models import Commitment

    today = timezone.localdate()
    promise = make_promise(
        [harryda],
        title="Härryda nu",
        start=today - timedelta(days=800),
        end=today + timedelta(days=300),
    )
    commitment = Commitment.objects.create(promise=promise, position=1, title="Trygga kvällar")
    return promise, commitment


def _list_url(promise) -> str:
    return reverse("public:activity-list", args=[promise.municipalities.get().slug, promise.slug])


@pytest.mark.django_db
def test_quick_links_filter_by_their_period_and_mark_the_current_one(
    client, current, make_activity
):
    promise, commitment = current
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    make_activity(commitment=commitment, date=today, title="I dag")
    make_activity(commitment=commitment, date=last_month_end, title="Förra månadens sista")
    make_activity(
        commitment=commitment,
        date=last_month_end.replace(day=1) - timedelta(days=1),
        title="Månaden innan",
    )

    html = client.get(_list_url(promise) + "?typ=fotpatrullering&ar=2020").content.decode()
    links = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(
            r'class="ml-quick-dates__link" href="([^"]+)"[^>]*>([^<]+)<', html
        )
    )
    assert set(links) == {"Senaste 30 dagarna", "Förra månaden", "I år"}
    month = links["Förra månaden"]
    # The other filters stay; a year chosen in the list would contradict the period.
    assert "typ=fotpatrullering" in month and "ar=" not in month
    assert f"fran={last_month_end.replace(day=1).isoformat()}" in month
    assert f"till={last_month_end.isoformat()}" in month
    assert "aria-current" not in html.split('id="ml-quick-dates"')[1].split("</nav>")[0]

    listing = client.get(month).content.decode()
    assert "Förra månadens sista" in listing
    assert "Månaden innan" not in listing and ">I dag<" not in listing
    nav = listing.split('id="ml-quick-dates"')[1].split("</nav>")[0]
    assert re.search(r'aria-current="true">Förra månaden<', nav)
    assert nav.count("aria-current") == 1
    # The form shows the chosen period, and the folded filter counts two choices.
    assert (
        f'name="fran" id="id_fran" value="{last_month_end.replace(day=1).isoformat()}"' in listing
    )
    assert "Filtrera (2)" in listing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "fran=igår",
        "fran=2024-13-45&till=2024-01-01",
        "till=99999-01-01",
        "fran=2024-05-01&till=2024-04-01",
    ],
)
def test_bad_dates_are_skipped_with_a_message_never_an_error(client, current, make_activity, query):
    promise, commitment = current
    make_activity(commitment=commitment, date=timezone.localdate(), title="Synlig ändå")
    response = client.get(f"{_list_url(promise)}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "kunde inte användas och hoppades över" in html
    assert "Synlig ändå" in html or "till=2024" in query
    # A bad value is never echoed into a date field (invalid HTML, and confusing).
    assert 'value="igår"' not in html and "99999" not in html.split("<form")[1].split("</form>")[0]


@pytest.mark.django_db
def test_filters_fold_in_a_details_element_that_counts_the_choices(client, current):
    promise, _commitment = current
    html = client.get(_list_url(promise)).content.decode()
    details = html.split('<details class="ml-filter-panel">')[1].split("</details>")[0]
    assert "<form" in details and "Filtrera</span></summary>" in details
    # Closed by default, and before the results in the markup.
    assert '<details class="ml-filter-panel" open' not in html
    assert html.index("ml-filter-panel") < html.index('id="ml-results-heading"')

    html = client.get(
        _list_url(promise) + "?q=centrum&atagande=trygga-kvallar&fran=2024-01-01&till=2024-02-01"
    ).content.decode()
    assert "Filtrera (3)" in html


@pytest.mark.django_db
def test_htmx_results_update_the_count_and_the_quick_links(client, current):
    promise, _commitment = current
    today = timezone.localdate()
    start = today.replace(month=1, day=1).isoformat()
    response = client.get(
        f"{_list_url(promise)}?q=x&fran={start}&till={today.isoformat()}",
        headers={"HX-Request": "true", "HX-Target": "ml-results"},
    )
    html = response.content.decode()
    assert '<span id="ml-filter-summary" data-hx-swap-oob="innerHTML">Filtrera (2)' in html
    nav = html.split('<nav id="ml-quick-dates" data-hx-swap-oob="innerHTML">')[1].split("</nav>")[0]
    assert re.search(r'aria-current="true">I år<', nav)


@pytest.mark.django_db
def test_totals_say_unknown_rather_than_zero_people(
    client, current, make_activity, django_capture_on_commit_callbacks
):
    promise, commitment = current
    make_activity(commitment=commitment, date=timezone.localdate(), occasions=3)
    html = client.get(_list_url(promise)).content.decode()
    assert "<dt>Nådda personer, summa</dt><dd>uppgift saknas</dd>" in html

    with django_capture_on_commit_callbacks(execute=True):  # the cached page is dropped
        make_activity(commitment=commitment, date=timezone.localdate(), people_reached=340)
    html = client.get(_list_url(promise)).content.decode()
    assert (
        "<dt>Nådda personer, summa</dt><dd>minst 340 (uppgift saknas för 1 aktivitet)</dd>" in html
    )
    assert "summa</dt><dd>0</dd>" not in html


@pytest.mark.django_db
def test_activity_list_query_count_with_dates(
    client, current, make_activity, django_assert_max_num_queries
):
    promise, commitment = current
    for n in range(5):
        make_activity(commitment=commitment, date=timezone.localdate() - timedelta(days=n))
    url = f"{_list_url(promise)}?fran=2020-01-01&till={timezone.localdate().isoformat()}"
    client.get(url)  # warms the glossary cache, as any page view does
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
