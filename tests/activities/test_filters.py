"""The activities page: filters, search, pagination and the htmx fragments."""

from datetime import date

import pytest
from django.core.paginator import Paginator
from django.db import connection

from activities.models import Activity
from activities.progress import PeopleReached
from promises.models import ActivityType, Commitment, Organisation
from public import views as public_views

URL = "/harryda/2022-2024/aktiviteter/"


@pytest.fixture
def walk_type(db):
    return ActivityType.objects.get(slug="trygghetsvandring")


@pytest.fixture
def second(promise):
    return Commitment.objects.create(promise=promise, position=2, title="Insatser mot skadegörelse")


@pytest.fixture
def kommun(harryda):
    return Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Härryda kommun", municipality=harryda
    )


@pytest.fixture
def activities(make_activity, second, walk_type, police_org, kommun):
    patrol = make_activity(title="Fotpatrullering i Mölnlycke centrum", date=date(2023, 3, 14))
    patrol.organisations.add(police_org)
    walk = make_activity(
        commitment=second,
        type=walk_type,
        title="Trygghetsvandring i Landvetter",
        description="Boende visade mörka gångvägar.",
        date=date(2022, 10, 5),
        place="Landvetter",
    )
    walk.organisations.add(kommun, police_org)
    late = make_activity(title="Fotpatrullering i Hindås", date=date(2024, 3, 2), place="Hindås")
    late.organisations.add(kommun)
    return {"patrol": patrol, "walk": walk, "late": late}


def _titles(client, query="", **headers):
    response = client.get(URL + query, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    return {t for t in ("Mölnlycke centrum", "Landvetter", "Hindås") if f"i {t}</a>" in body}


def test_lists_every_public_activity(client, activities):
    assert _titles(client) == {"Mölnlycke centrum", "Landvetter", "Hindås"}


def test_filter_by_commitment(client, activities, second):
    assert _titles(client, f"?atagande={second.slug}") == {"Landvetter"}


def test_filter_by_type_multiple(client, activities):
    assert _titles(client, "?typ=trygghetsvandring") == {"Landvetter"}
    assert _titles(client, "?typ=trygghetsvandring&typ=fotpatrullering") == {
        "Mölnlycke centrum",
        "Landvetter",
        "Hindås",
    }


def test_filter_by_organisation_lists_each_activity_once(client, activities, police_org, kommun):
    assert _titles(client, f"?organisation={kommun.pk}") == {"Landvetter", "Hindås"}
    body = client.get(f"{URL}?organisation={kommun.pk}&organisation={police_org.pk}")
    assert "3 aktiviteter hittades" in body.content.decode()


def test_filter_by_year_and_month(client, activities):
    assert _titles(client, "?ar=2022") == {"Landvetter"}
    assert _titles(client, "?manad=3") == {"Mölnlycke centrum", "Hindås"}
    assert _titles(client, "?ar=2024&manad=3") == {"Hindås"}


def test_filters_combine(client, activities, kommun):
    assert _titles(client, f"?typ=fotpatrullering&organisation={kommun.pk}") == {"Hindås"}


def test_free_text_search(client, activities):
    assert _titles(client, "?q=landvetter") == {"Landvetter"}
    assert _titles(client, "?q=gångvägar") == {"Landvetter"}  # in the description
    assert _titles(client, "?q=Hindås") == {"Hindås"}
    assert _titles(client, "?q=finnsinte") == set()


def test_free_text_search_folds_case_of_swedish_letters(client, activities):
    assert _titles(client, "?q=HINDÅS") == {"Hindås"}
    assert _titles(client, "?q=mölnlycke") == {"Mölnlycke centrum"}


def test_search_uses_swedish_stemming_on_postgresql_and_substrings_elsewhere(client, activities):
    # The suite runs on both databases (SQLite locally, PostgreSQL in CI), so
    # each run checks the search path its database takes.
    if connection.vendor == "postgresql":
        # "trygghetsvandringar" is not a substring of "Trygghetsvandring", but the same stem.
        assert _titles(client, "?q=trygghetsvandringar") == {"Landvetter"}
        assert _titles(client, "?q=mörk") == {"Landvetter"}  # "mörka" in the description
    else:
        assert _titles(client, "?q=trygghetsvandringar") == set()
        assert _titles(client, "?q=trygghetsvandr") == {"Landvetter"}
        assert _titles(client, "?q=mörk") == {"Landvetter"}


def test_search_queryset_on_the_current_database(activities):
    found = set(Activity.objects.public().search("landvetter").values_list("title", flat=True))
    assert found == {"Trygghetsvandring i Landvetter"}


def test_search_finds_rows_written_in_bulk_and_follows_updates(activities, commitment, walk_type):
    # The stored search document is kept by the database, not by save():
    # bulk inserts and queryset updates keep it right as well.
    Activity.objects.bulk_create(
        [
            Activity(
                commitment=commitment,
                type=walk_type,
                date=date(2023, 4, 1),
                title="Nattvandring i Rävlanda",
                place="Rävlanda",
            )
        ]
    )

    def titles(text):
        return set(Activity.objects.public().search(text).values_list("title", flat=True))

    assert titles("Rävlanda") == {"Nattvandring i Rävlanda"}
    Activity.objects.filter(title="Nattvandring i Rävlanda").update(
        title="Nattvandring i Bua", place="Bua"
    )
    assert titles("Rävlanda") == set()
    assert titles("Bua") == {"Nattvandring i Bua"}


def test_the_search_document_is_not_fetched_with_every_row(activities):
    activity = Activity.objects.get(pk=activities["walk"].pk)
    assert "search_vector" in activity.get_deferred_fields()
    if connection.vendor == "postgresql":
        assert "'landvet':3A" in activity.search_vector  # stemmed, from the title
    else:
        assert activity.search_vector is None  # no full-text search on SQLite


def test_sort_oldest_first(client, activities):
    body = client.get(URL + "?sortering=aldst").content.decode()
    assert (
        body.index("Landvetter</a>")
        < body.index("Mölnlycke centrum</a>")
        < body.index("Hindås</a>")
    )
    body = client.get(URL).content.decode()
    assert body.index("Hindås</a>") < body.index("Landvetter</a>")


@pytest.mark.parametrize(
    "query",
    [
        "?ar=abc",
        "?ar=1999",
        "?manad=13",
        "?manad=x",
        "?typ=finns-inte",
        "?atagande=nej",
        "?organisation=abc",
        "?organisation=999999",
        "?sortering=upp",
        "?sida=abc",
        "?sida=-4",
        "?sida=9999",
        "?q=" + "x" * 500,
        "?q=%22%27%3C",
    ],
)
def test_invalid_values_never_fail(client, activities, query):
    response = client.get(URL + query)
    assert response.status_code == 200


def test_a_nul_character_is_a_bad_request_with_a_message(client, activities):
    response = client.get(URL + "?q=%00")
    assert response.status_code == 400
    assert "otillåtna tecken" in response.content.decode()


def test_invalid_value_is_ignored_with_a_message(client, activities):
    body = client.get(URL + "?ar=abc&typ=fotpatrullering").content.decode()
    assert "hoppades över: År" in body
    assert "2 aktiviteter hittades" in body  # the valid filter still applies


@pytest.mark.parametrize("sort", ["", "&sortering=aldst"])
def test_pages_hold_the_list_in_its_order_with_nothing_lost_or_repeated(
    client, make_activity, second, sort
):
    # Several a day (ties broken by id) and on two commitments: each page is
    # read as ids first, then the rows, which must come back in the ids' order.
    made = [
        make_activity(
            title=f"Aktivitet {n}",
            date=date(2023, 1, 1 + n // 3),
            **({"commitment": second} if n % 2 else {}),
        )
        for n in range(47)
    ]
    expected = sorted(made, key=lambda a: (a.date, a.pk), reverse=not sort)
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"{URL}?sida={number}{sort}").context["page"]
        shown += list(page.object_list)
    assert [a.pk for a in shown] == [a.pk for a in expected]


@pytest.mark.parametrize("number", ["", "2", "3", "9999", "0", "-4", "abc"])
@pytest.mark.parametrize("variant", ["", "oldest", "commitment", "type"])
def test_every_page_shows_the_totals_of_the_whole_list(
    client, make_activity, second, police_org, kommun, activity_type, number, variant, monkeypatch
):
    # One organisation's list (in some commitments, in either order) has its
    # totals from the organisation sums and its pages merged from each
    # commitment's list; with a type too, the totals come with a page's ids
    # in one query, or on their own for a page past the end. Either way the
    # same figures on every page, which is the page Django's own paginator
    # picks for the number asked for.
    made = []
    for n in range(45):
        activity = make_activity(
            title=f"Aktivitet {n}",
            date=date(2023, 1, 1 + n // 3),
            occasions=1 + n % 4,
            people_reached=None if n % 5 == 0 else 10 * n,
            is_example=n % 7 == 0,
            **({"commitment": second} if n % 2 else {}),
        )
        activity.organisations.add(*([police_org, kommun] if n % 3 == 0 else [kommun]))
        made.append(activity)
    make_activity(title="Planerad", state=Activity.State.PLANNED).organisations.add(police_org)
    make_activity(title="Utkast", status=Activity.Status.DRAFT).organisations.add(police_org)
    listed = [a for a in made if a.organisations.filter(pk=police_org.pk).exists()]
    query = f"?organisation={police_org.pk}"
    if variant == "commitment":
        listed = [a for a in listed if a.commitment == second]
        query += f"&atagande={second.slug}"
    if variant == "type":
        query += f"&typ={activity_type.slug}"  # every activity's type
    oldest = variant == "oldest"
    if oldest:
        query += "&sortering=aldst"
    listed.sort(key=lambda a: (a.date, a.pk), reverse=not oldest)
    per_page = 5 if variant == "commitment" else 20  # more than one page of 7
    monkeypatch.setattr(public_views, "ACTIVITIES_PER_PAGE", per_page)
    expected = Paginator(listed, per_page).get_page(number or None)

    response = client.get(f"{URL}{query}&sida={number}")

    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["count"] == len(listed) == (7 if variant == "commitment" else 15)
    assert totals["occasions"] == sum(a.occasions for a in listed)
    assert totals["examples"] == sum(a.is_example for a in listed)
    known = [a.people_reached for a in listed if a.people_reached is not None]
    assert totals["people"] == PeopleReached(sum(known), len(listed), len(listed) - len(known))
    page = response.context["page"]
    assert page.number == expected.number
    assert [a.pk for a in page.object_list] == [a.pk for a in expected.object_list]


@pytest.mark.parametrize("number", ["", "2"])
def test_an_empty_list_has_zero_totals(client, activities, number):
    response = client.get(f"{URL}?q=finnsinteallsnagonstans&sida={number}")
    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals["count"], totals["occasions"], totals["examples"]) == (0, 0, 0)
    assert totals["people"] == PeopleReached(0, 0, 0)
    assert list(response.context["page"].object_list) == []


def test_pagination(client, make_activity):
    for day in range(1, 26):
        make_activity(title=f"Aktivitet {day:02d}", date=date(2023, 1, day))

    first = client.get(URL).content.decode()
    assert "Aktivitet 25" in first and "Aktivitet 05" not in first
    assert 'rel="next"' in first
    assert 'aria-current="page"' in first
    assert 'aria-label="Sidor"' in first

    second = client.get(URL + "?sida=2").content.decode()
    assert "Aktivitet 05" in second and "Aktivitet 25" not in second
    assert 'rel="prev"' in second
    assert "Visar 21–25" in second


def test_pagination_keeps_the_filters(client, make_activity):
    for day in range(1, 26):
        make_activity(title=f"Aktivitet {day:02d}", date=date(2023, 1, day))
    body = client.get(URL + "?typ=fotpatrullering").content.decode()
    assert "?typ=fotpatrullering&amp;sida=2" in body


def test_htmx_request_gets_only_the_results_fragment(client, activities):
    response = client.get(
        URL + "?ar=2022", headers={"HX-Request": "true", "HX-Target": "ml-results"}
    )
    body = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in body
    assert "<form" not in body
    assert "Trygghetsvandring i Landvetter" in body
    assert "Hindås" not in body
    assert 'id="ml-status" data-hx-swap-oob="innerHTML"' in body
    assert "1 aktivitet hittades" in body
    assert "HX-Request" in response["Vary"]


def test_show_more_gets_only_the_next_items(client, make_activity):
    for day in range(1, 26):
        make_activity(title=f"Aktivitet {day:02d}", date=date(2023, 1, day))

    response = client.get(
        URL + "?sida=2", headers={"HX-Request": "true", "HX-Target": "ml-activity-items"}
    )
    body = response.content.decode()

    assert "<html" not in body
    assert body.lstrip().startswith("<li")
    assert "Aktivitet 05" in body and "Aktivitet 25" not in body
    assert "autofocus" in body  # focus moves to the first new item
    assert 'id="ml-more" data-hx-swap-oob="true"' in body
    assert "Visar 1–25" in body


def test_full_page_and_history_restore_get_the_whole_page(client, activities):
    response = client.get(URL)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "data-hx-push-url" in response.content.decode()
    assert 'role="status"' in response.content.decode()

    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_form_works_without_javascript(client, activities):
    body = client.get(URL).content.decode()
    assert f'method="get" action="{URL}"' in body
    assert '<button class="ml-button" type="submit">' in body
    assert "htmx" in body  # the script is there, but only as an enhancement


def test_sum_of_the_filtered_activities_is_shown(client, make_activity):
    make_activity(occasions=5)
    make_activity(occasions=7, people_reached=30)
    body = client.get(URL).content.decode()
    assert "<dd>12</dd>" in body
    # One of the two did not count the people it reached: at least 30, not 30.
    assert "<dd>minst 30 (uppgift saknas för 1 aktivitet)</dd>" in body


def test_invalid_value_message_is_in_the_htmx_fragment_too(client, activities):
    response = client.get(URL + "?manad=13", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "hoppades över: Månad" in body
    assert "3 aktiviteter hittades" in body


def test_one_unknown_value_in_a_multi_select_keeps_the_known_ones(client, activities):
    body = client.get(URL + "?typ=trygghetsvandring&typ=nope").content.decode()
    assert "1 aktivitet hittades" in body  # only the walk, not every type
    assert "Landvetter" in body
    assert "hoppades över: Typ av aktivitet (”nope”)" in body


def test_htmx_filtering_pushes_a_clean_address(client, activities):
    query = "?q=&typ=fotpatrullering&organisation=&ar=&manad=&sortering=nyast"
    response = client.get(URL + query, headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == URL + "?typ=fotpatrullering"

    everything = client.get(URL + "?q=&ar=&sortering=nyast", headers={"HX-Request": "true"})
    assert everything["HX-Push-Url"] == URL

    oldest = client.get(URL + "?q=+&sortering=aldst", headers={"HX-Request": "true"})
    assert oldest["HX-Push-Url"] == URL + "?sortering=aldst"


def test_more_pushes_the_address_of_the_page_it_loaded(client, make_activity):
    for day in range(1, 26):
        make_activity(title=f"Aktivitet {day:02d}", date=date(2023, 1, day))

    response = client.get(
        URL + "?q=&sortering=nyast&sida=2",
        headers={"HX-Request": "true", "HX-Target": "ml-activity-items"},
    )

    assert response["HX-Push-Url"] == URL + "?sida=2"
    # Its own next link carries no empty fields either.
    first = client.get(URL + "?q=&ar=&sortering=nyast").content.decode()
    assert 'href="?sida=2"' in first


def test_full_pages_and_history_restores_push_nothing(client, activities):
    assert "HX-Push-Url" not in client.get(URL + "?q=")
    restore = client.get(
        URL + "?q=", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "HX-Push-Url" not in restore


def test_activity_counters_have_thousands_separators(client, make_activity):
    make_activity(title="Stor insats", occasions=1500, people_reached=12000)

    body = client.get(URL).content.decode()
    english = client.get("/en" + URL).content.decode()

    assert "1\xa0500 tillfällen" in body
    assert "12\xa0000 personer nådda" in body
    assert "1,500 occasions" in english
    assert "12,000 people reached" in english
    assert "1 activity found." in english


def test_english_filter_labels_mark_only_what_is_in_swedish(client, activities, commitment):
    ActivityType.objects.filter(slug="fotpatrullering").update(name_en="")
    commitment.title_en = "Targeted work with young people"
    commitment.save()

    body = client.get("/en" + URL).content.decode()

    assert '<span lang="sv">Fotpatrullering och polisnärvaro</span></label>' in body
    assert 'lang="sv">Targeted work' not in body
    assert ">Targeted work with young people</label>" in body
