"""Admin polish (issue 12): logging only on current promises, sensible defaults, progress."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from promises.models import ActivityType, Commitment, Promise

ADD_URL = "admin:activities_activity_add"


def _today() -> date:
    # Read when used, not when the module is collected: a run that passes
    # midnight (Swedish time) would otherwise compare with yesterday.
    return timezone.localdate()


@pytest.fixture
def current(make_promise, molndal):
    """A current promise of Mölndal with one commitment."""
    promise = make_promise(
        [molndal],
        title="Löftet för Mölndal",
        slug="nu",
        start=_today() - timedelta(days=400),
        end=_today() + timedelta(days=300),
    )
    return Commitment.objects.create(promise=promise, position=1, title="Trygg i centrum")


@pytest.fixture
def ended(make_promise, molndal):
    promise = make_promise(
        [molndal], title="Det gamla löftet", start=date(2020, 1, 1), end=date(2021, 12, 31)
    )
    return Commitment.objects.create(promise=promise, position=1, title="Gammalt åtagande")


@pytest.fixture
def coordinator(client, molndal_staff):
    client.force_login(molndal_staff)
    return client


@pytest.fixture
def officer(client, make_staff, molndal_org):
    client.force_login(make_staff("kommunpolis.molndal", molndal_org, "Kommunpolis"))
    return client


def _post(client, commitment, activity_type, **fields):
    data = {
        "commitment": commitment.pk,
        "type": activity_type.pk,
        "date": (_today() - timedelta(days=2)).isoformat(),
        "place": "Kvarnbyn",
        "occasions": "2",
        "title": "",
        "state": "done",
        "status": "published",
        **fields,
    }
    return client.post(reverse(ADD_URL), data)


def _form(response):
    return response.context["adminform"].form


# Only current promises take new activities.


def test_an_ended_promise_offers_no_logging(coordinator, current, ended):
    changelist = coordinator.get(reverse("admin:promises_commitment_changelist")).content.decode()
    assert f"{reverse(ADD_URL)}?commitment={current.pk}" in changelist
    assert f"{reverse(ADD_URL)}?commitment={ended.pk}" not in changelist
    assert "Löftet har slutat" in changelist
    change = coordinator.get(reverse("admin:promises_commitment_change", args=[ended.pk]))
    assert "Logga aktivitet" not in change.content.decode()
    change = coordinator.get(reverse("admin:promises_commitment_change", args=[current.pk]))
    assert "Logga aktivitet" in change.content.decode()


def test_a_promise_not_yet_begun_offers_no_logging(coordinator, make_promise, molndal):
    promise = make_promise(
        [molndal],
        title="Nästa",
        start=_today() + timedelta(days=10),
        end=_today() + timedelta(days=700),
    )
    later = Commitment.objects.create(promise=promise, position=1, title="Senare")
    changelist = coordinator.get(reverse("admin:promises_commitment_changelist")).content.decode()
    assert f"?commitment={later.pk}" not in changelist
    assert "Löftet har inte börjat" in changelist


def test_only_current_commitments_are_offered_for_new_activities(coordinator, current, ended):
    choices = _form(coordinator.get(reverse(ADD_URL))).fields["commitment"].queryset
    assert list(choices) == [current]


def test_an_ended_commitment_is_not_filled_in_nor_its_date(coordinator, ended):
    response = coordinator.get(reverse(ADD_URL), {"commitment": ended.pk})
    form = _form(response)
    assert "commitment" not in form.initial
    assert "gäller inte i dag" in response.content.decode()
    # No commitment is chosen, and today fits every one offered.
    assert form.initial["date"] == _today()


def test_no_date_outside_a_commitments_period_is_ever_filled_in(ended, current):
    from staff.activity_admin import ActivityAdmin

    ended = Commitment.objects.select_related("promise").get(pk=ended.pk)
    # Neither today nor a date asked for that lies outside the period.
    assert ActivityAdmin._initial_date(_today().isoformat(), ended) is None
    assert ActivityAdmin._initial_date("2021-06-01", ended) == date(2021, 6, 1)
    assert ActivityAdmin._initial_date("2021-02-30", ended) is None
    assert ActivityAdmin._initial_date("inte ett datum", current) == _today()


def test_an_ended_commitment_cannot_be_posted(coordinator, ended, activity_type):
    response = _post(coordinator, ended, activity_type, date="2021-06-01")
    assert response.status_code == 200
    assert _form(response).errors["commitment"]
    assert not Activity.objects.exists()


def test_the_date_is_today_for_a_current_commitment(coordinator, current):
    form = _form(coordinator.get(reverse(ADD_URL), {"commitment": current.pk}))
    assert form.initial["date"] == _today()


def test_a_date_outside_the_period_is_never_filled_in(coordinator, current):
    form = _form(
        coordinator.get(reverse(ADD_URL), {"commitment": current.pk, "date": "2001-01-01"})
    )
    assert form.initial["date"] == _today()
    inside = (_today() - timedelta(days=30)).isoformat()
    form = _form(coordinator.get(reverse(ADD_URL), {"commitment": current.pk, "date": inside}))
    assert form.initial["date"].isoformat() == inside


def test_editing_an_old_activity_keeps_its_commitment(coordinator, ended, activity_type):
    activity = Activity.objects.create(
        commitment=ended, type=activity_type, date=date(2021, 5, 1), title="Förr"
    )
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    form = _form(coordinator.get(url))
    assert ended in form.fields["commitment"].queryset
    response = coordinator.post(
        url,
        {
            "commitment": ended.pk,
            "type": activity_type.pk,
            "date": "2021-05-02",
            "title": "Förr, rättad",
            "occasions": "1",
            "state": "done",
            "status": "published",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Förr, rättad"


def test_the_commitment_search_offers_only_current_commitments(coordinator, current, ended):
    response = coordinator.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": "activity", "field_name": "commitment"},
    )
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {str(current.pk)}


# Types and places from the commitment's earlier work.


def test_types_used_for_the_commitment_come_first(coordinator, current, activity_type):
    other = ActivityType.objects.get(slug="trygghetsvandring")
    Activity.objects.create(commitment=current, type=other, date=_today(), title="Vandring")
    page = coordinator.get(reverse(ADD_URL), {"commitment": current.pk}).content.decode()
    select = page[page.index('name="type"') : page.index("</select>", page.index('name="type"'))]
    first, rest = select.split('label="Andra typer"')
    assert "Används för åtagandet" in first
    assert f'value="{other.pk}"' in first
    assert f'value="{activity_type.pk}"' in rest


def test_a_type_from_the_other_group_can_be_saved(coordinator, current, activity_type):
    other = ActivityType.objects.get(slug="trygghetsvandring")
    Activity.objects.create(commitment=current, type=other, date=_today(), title="Vandring")
    assert _post(coordinator, current, activity_type).status_code == 302


def test_places_are_suggested_from_the_commitments_earlier_activities(
    coordinator, current, activity_type
):
    neighbour = Commitment.objects.create(promise=current.promise, position=2, title="Granne")
    Activity.objects.create(
        commitment=neighbour, type=activity_type, date=_today(), title="Z", place="Grannens gata"
    )
    for place in ("Kvarnbyn", "Mölndals torg", "kvarnbyn"):
        Activity.objects.create(
            commitment=current, type=activity_type, date=_today(), title="X", place=place
        )
    page = coordinator.get(reverse(ADD_URL), {"commitment": current.pk}).content.decode()
    assert 'list="id_place_forslag"' in page
    datalist = page[page.index('<datalist id="id_place_forslag">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert datalist.count("<option") == 2
    assert "Mölndals torg" in datalist
    assert "Grannens gata" not in datalist


# Drafts unless the group may publish at once.


def test_an_officers_new_activity_is_a_draft(officer, current, activity_type):
    form = _form(officer.get(reverse(ADD_URL), {"status": "published"}))
    assert form.initial["status"] == Activity.Status.DRAFT
    assert form.fields["status"].disabled
    assert _post(officer, current, activity_type, status="published").status_code == 302
    assert Activity.objects.get().status == Activity.Status.DRAFT


def test_a_coordinators_new_activity_is_published(coordinator, current, activity_type):
    form = _form(coordinator.get(reverse(ADD_URL)))
    assert form.initial["status"] == Activity.Status.PUBLISHED
    assert not form.fields["status"].disabled
    assert _post(coordinator, current, activity_type).status_code == 302
    assert Activity.objects.get().status == Activity.Status.PUBLISHED


def test_an_officer_may_still_publish_an_existing_activity(officer, current, activity_type):
    activity = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="Utkast", status="draft"
    )
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    assert not _form(officer.get(url)).fields["status"].disabled


# One field order; "Spara och logga en till" keeps what the next one shares.


def test_add_and_change_forms_share_one_field_order(coordinator, current, activity_type):
    activity = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="X"
    )

    def order(response):
        return [
            field.field.name
            for fieldset in response.context["adminform"]
            for line in fieldset
            for field in line
            if not field.is_readonly
        ]

    added = order(coordinator.get(reverse(ADD_URL)))
    changed = order(
        coordinator.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    )
    assert added == changed
    assert {"title_en", "description_en", "link"} <= set(added)


def test_log_another_is_offered_on_activities_of_current_promises_only(
    coordinator, current, ended, activity_type, molndal_org
):
    new = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="Ny", place="Torget"
    )
    new.organisations.add(molndal_org)
    old = Activity.objects.create(
        commitment=ended, type=activity_type, date=date(2021, 5, 1), title="Gammal"
    )
    page = coordinator.get(
        reverse("admin:activities_activity_change", args=[new.pk])
    ).content.decode()
    assert "Logga en till" in page
    assert f"place=Torget&amp;organisations={molndal_org.pk}" in page
    page = coordinator.get(
        reverse("admin:activities_activity_change", args=[old.pk])
    ).content.decode()
    assert "Logga en till" not in page


def test_save_and_log_another_keeps_date_place_and_organisations(
    coordinator, current, activity_type, molndal_org
):
    day = _today() - timedelta(days=4)
    response = _post(
        coordinator,
        current,
        activity_type,
        date=day.isoformat(),
        place="Kvarnbyn",
        organisations=[molndal_org.pk],
        _addanother="1",
    )
    assert response.status_code == 302
    form = _form(coordinator.get(response["Location"]))
    assert str(form.initial["commitment"]) == str(current.pk)
    assert str(form.initial["type"]) == str(activity_type.pk)
    assert form.initial["date"] == day
    assert form.initial["place"] == "Kvarnbyn"
    assert [str(pk) for pk in form.initial["organisations"]] == [str(molndal_org.pk)]


# The commitment list: progress without a query per row.


def test_the_commitment_list_shows_progress(coordinator, current, activity_type):
    current.target_value = 10
    current.target_unit = "fotpatrulleringar"
    current.save()
    Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="X", occasions=4
    )
    Activity.objects.create(
        commitment=current,
        type=activity_type,
        date=_today(),
        title="Y",
        occasions=3,
        status="draft",
    )
    page = coordinator.get(reverse("admin:promises_commitment_changelist")).content.decode()
    assert "4 av 10 fotpatrulleringar (40 %)" in page


def test_the_commitment_list_queries_do_not_grow_with_rows(
    coordinator, make_promise, molndal, activity_type, django_assert_max_num_queries
):
    url = reverse("admin:promises_commitment_changelist")
    coordinator.get(url)  # warm up: session, permissions

    def add(n):
        promise = make_promise(
            [molndal],
            title=f"Löfte {n}",
            slug=f"lofte-{n}",
            # Drafts: only one published promise per municipality at a time.
            status=Promise.Status.DRAFT,
            start=_today() - timedelta(days=100 + n),
            end=_today() + timedelta(days=100),
        )
        for position in range(1, 4):
            commitment = Commitment.objects.create(
                promise=promise, position=position, title=f"Åtagande {n}.{position}"
            )
            Activity.objects.create(
                commitment=commitment, type=activity_type, date=_today(), title="X"
            )

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        coordinator.get(url)
    for n in range(2, 6):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator.get(url)
    assert len(response.context["cl"].result_list) == 15


# "Skapad av" as text; delete pages in words.


def test_created_by_is_a_name_not_a_link(coordinator, current, activity_type, molndal_staff):
    activity = Activity.objects.create(
        commitment=current,
        type=activity_type,
        date=_today(),
        title="X",
        created_by=molndal_staff,
        updated_by=molndal_staff,
    )
    page = coordinator.get(
        reverse("admin:activities_activity_change", args=[activity.pk])
    ).content.decode()
    assert "samordnare.molndal" in page
    assert "/admin/auth/user/" not in page


@pytest.fixture
def superuser(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("root", "", "ett-langt-losenord-2024")
    )
    return client


def _delete_page(client, name, obj) -> str:
    response = client.get(reverse(f"admin:{name}_delete", args=[obj.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_deleting_an_activity_names_its_organisations(
    coordinator, current, activity_type, molndal_org
):
    activity = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="X"
    )
    activity.organisations.add(molndal_org)
    page = _delete_page(coordinator, "activities_activity", activity)
    assert "Genomförd av: Mölndals stad" in page
    assert "object (" not in page
    assert "relation" not in page


def test_delete_pages_of_a_superuser_use_words_only(
    superuser, make_promise, molndal, molndal_org, activity_type, make_follow_up
):
    from promises.models import Indicator

    promise = make_promise([molndal], title="Tomt löfte", slug="tomt", status="draft")
    promise.partners.add(molndal_org)
    commitment = Commitment.objects.create(promise=promise, position=1, title="Åtagande.")
    commitment.parties.add(molndal_org)
    indicator = Indicator.objects.create(name="Trygghet", unit="procent", promise=promise)
    indicator.municipalities.add(molndal)
    follow_up = make_follow_up(promise, {commitment: ("done", "Klart")})
    pages = [
        _delete_page(superuser, "promises_indicator", indicator),
        _delete_page(superuser, "promises_followup", follow_up),
        _delete_page(superuser, "promises_commitment", commitment),
        _delete_page(superuser, "promises_promise", promise),
    ]
    for page in pages:
        assert "object (" not in page
        assert " relation" not in page
    assert "Kommuner: Mölndal" in pages[0]
    assert "Bedömning: Åtagande: Genomfört" in pages[1]
    assert "Vem lovar: Mölndals stad" in pages[2]


# "Publicera" on the preview.


@pytest.fixture
def draft(current, activity_type):
    return Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="Utkastet", status="draft"
    )


def test_the_preview_of_a_draft_offers_publishing_and_going_back(officer, draft):
    page = officer.get(reverse("public:activity-preview", args=[draft.pk])).content.decode()
    publish = reverse("admin:activities_activity_publish", args=[draft.pk])
    assert f'<form method="post" action="{publish}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "Tillbaka till redigering" in page
    assert reverse("admin:activities_activity_change", args=[draft.pk]) in page


def test_publishing_from_the_preview(officer, draft):
    publish = reverse("admin:activities_activity_publish", args=[draft.pk])
    response = officer.post(publish)
    assert response.status_code == 302
    assert response["Location"] == reverse("public:activity-preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Activity.Status.PUBLISHED
    assert draft.history.latest().history_change_reason == "publicerad från förhandsgranskningen"
    page = officer.get(response["Location"]).content.decode()
    assert publish not in page
    assert "Det här är publicerat och syns för alla." in page


def test_publishing_needs_post_and_the_csrf_token(client, make_staff, molndal_org, draft):
    from django.test import Client

    user = make_staff("kp", molndal_org, "Kommunpolis")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    publish = reverse("admin:activities_activity_publish", args=[draft.pk])
    assert strict.get(publish).status_code == 405
    assert strict.post(publish).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT


def test_publishing_is_refused_outside_the_area_and_without_change_permission(
    client, make_staff, harryda_org, molndal_org, draft
):
    publish = reverse("admin:activities_activity_publish", args=[draft.pk])
    client.force_login(make_staff("annan", harryda_org, "Kommunpolis"))
    assert client.post(publish).status_code == 404
    client.force_login(make_staff("lasare", molndal_org, "Rapportläsare"))
    assert client.post(publish).status_code == 403
    preview = client.get(reverse("public:activity-preview", args=[draft.pk])).content.decode()
    assert publish not in preview
    draft.refresh_from_db()
    assert draft.status == Activity.Status.DRAFT


def test_a_draft_promise_is_published_from_its_preview(coordinator, current):
    promise = current.promise
    Promise.objects.filter(pk=promise.pk).update(status=Promise.Status.DRAFT)
    publish = reverse("admin:promises_promise_publish", args=[promise.pk])
    page = coordinator.get(reverse("public:promise-preview", args=[promise.pk])).content.decode()
    assert publish in page
    assert coordinator.post(publish).status_code == 302
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED


def test_view_on_site_of_a_draft_goes_to_the_preview(coordinator, draft):
    from django.contrib.contenttypes.models import ContentType

    change = coordinator.get(reverse("admin:activities_activity_change", args=[draft.pk]))
    on_site = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Activity).pk, draft.pk]
    )
    assert on_site in change.content.decode()
    response = coordinator.get(on_site)
    assert response["Location"] == reverse("public:activity-preview", args=[draft.pk])
    assert coordinator.get(response["Location"]).status_code == 200


# The link instead of photos.


@pytest.mark.parametrize(
    ("link", "text"),
    [
        ("https://www.molndal.se/nyheter/trygghetsvandring.html", "molndal.se"),
        ("https://molndal.se/dokument/Rapport.PDF", "molndal.se (PDF)"),
    ],
)
def test_the_public_activity_page_links_to_more(client, current, activity_type, link, text):
    activity = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="Vandring", link=link
    )
    page = client.get(activity.get_absolute_url()).content.decode()
    assert f'Läs mer: <a href="{link}" rel="noopener">{text}</a>' in page


def test_no_read_more_without_a_link(client, current, activity_type):
    activity = Activity.objects.create(
        commitment=current, type=activity_type, date=_today(), title="Vandring"
    )
    assert "Läs mer" not in client.get(activity.get_absolute_url()).content.decode()


def test_a_published_activity_of_a_draft_promise_says_why_it_is_not_shown(coordinator, draft):
    Promise.objects.filter(pk=draft.commitment.promise_id).update(status=Promise.Status.DRAFT)
    coordinator.post(reverse("admin:activities_activity_publish", args=[draft.pk]))
    page = coordinator.get(reverse("public:activity-preview", args=[draft.pk])).content.decode()
    assert "syns inte för allmänheten förrän medborgarlöftet är publicerat" in page
    assert reverse("admin:activities_activity_publish", args=[draft.pk]) not in page


def test_publishing_takes_a_fixed_number_of_queries(officer, draft, django_assert_max_num_queries):
    # Session, user, permissions, the object in the user's area, its clean() (one query per
    # check constraint), save, history, and the renewal of its month's and its commitment's
    # sums (the month before, the lock, the sums read, deleted and written).
    with django_assert_max_num_queries(31):
        response = officer.post(reverse("admin:activities_activity_publish", args=[draft.pk]))
    assert response.status_code == 302
    with django_assert_max_num_queries(10):
        assert officer.get(response["Location"]).status_code == 200


def test_without_a_current_promise_the_form_says_so(coordinator, ended):
    page = coordinator.get(reverse(ADD_URL)).content.decode()
    assert "Inget av dina medborgarlöften pågår i dag" in page


def test_with_a_current_promise_no_such_warning(coordinator, current):
    page = coordinator.get(reverse(ADD_URL)).content.decode()
    assert "Inget av dina medborgarlöften pågår i dag" not in page
