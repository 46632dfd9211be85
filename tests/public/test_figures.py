"""What residents read in the figures: units named, unknown counts never shown as 0,
"Senast ändrad" only for a real change, and English pages that say the promise is Swedish."""

from contextlib import contextmanager
from datetime import date, datetime
from unittest import mock

import feedparser
import pytest
from django.utils import timezone

from activities import workflow
from activities.models import Activity
from activities.progress import PeopleReached, progress_for
from promises.models import ActivityType, Commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def parents(promise):
    """A commitment counted in people reached, with a target."""
    return Commitment.objects.create(
        promise=promise,
        position=2,
        title="Nå 400 föräldrar",
        target_value=400,
        target_unit="föräldrar",
        target_measure=Commitment.Measure.PEOPLE_REACHED,
    )


def test_people_reached_says_unknown_when_nobody_counted():
    assert str(PeopleReached(total=0, activities=3, unknown=3)) == "uppgift saknas"
    assert str(PeopleReached(total=340, activities=15, unknown=12)) == (
        "minst 340 (uppgift saknas för 12 aktiviteter)"
    )
    assert str(PeopleReached(total=340, activities=2, unknown=1)) == (
        "minst 340 (uppgift saknas för 1 aktivitet)"
    )
    assert str(PeopleReached(total=1340, activities=2, unknown=0)) == "1\xa0340"


def test_promise_page_says_unknown_not_zero_people(client, promise, parents, make_activity):
    make_activity(commitment=parents, people_reached=None)
    make_activity(commitment=parents, people_reached=None)
    progress = progress_for(promise, [parents])[parents.pk]
    assert progress.is_unknown and progress.pace is None

    body = client.get(promise.get_absolute_url()).content.decode()
    figure = body.split("Nå 400 föräldrar")[1].split("</li>")[0]
    assert "Uppgift saknas</span> om föräldrar" in figure
    assert "Ingen av de 2 aktiviteterna som räknas har angett" in figure
    assert ">0</span>" not in figure and "0 av" not in figure


def test_promise_page_says_at_least_when_some_did_not_count(
    client, promise, parents, make_activity
):
    make_activity(commitment=parents, people_reached=340)
    make_activity(commitment=parents, people_reached=None)
    body = client.get(promise.get_absolute_url()).content.decode()
    figure = body.split("Nå 400 föräldrar")[1].split("</li>")[0]
    assert '<span class="ml-figure__qualifier">minst</span> 340</span> av minst 400 föräldrar' in (
        figure
    )
    assert "(uppgift saknas för 1 aktivitet)" in figure


def test_municipality_page_says_unknown_not_zero(client, promise, parents, make_activity):
    make_activity(commitment=parents, people_reached=None)
    body = client.get(f"/{promise.municipalities.get().slug}/").content.decode()
    assert "uppgift saknas, av minst 400 föräldrar" in body
    assert "0 av minst 400" not in body


def test_figures_without_a_target_name_their_unit(client, promise, activity_type, make_activity):
    patrols = Commitment.objects.create(
        promise=promise, position=3, title="Patrullera", target_activity_type=activity_type
    )
    everything = Commitment.objects.create(promise=promise, position=4, title="Allt möjligt")
    make_activity(commitment=patrols, occasions=104)
    make_activity(commitment=everything, occasions=7)
    body = client.get(promise.get_absolute_url()).content.decode()
    assert "104</span> tillfällen fotpatrullering och polisnärvaro</p>" in body
    assert "7</span> tillfällen, alla aktiviteter under åtagandet</p>" in body
    assert "</span> tillfällen</p>" not in body


def test_as_needed_figure_names_its_unit(client, promise, make_activity):
    sspf = ActivityType.objects.get(slug="skolsamverkan")
    as_needed = Commitment.objects.create(
        promise=promise,
        position=5,
        title="Vid behov",
        target_period=Commitment.TargetPeriod.AS_NEEDED,
        target_activity_type=sspf,
    )
    make_activity(commitment=as_needed, type=sspf, occasions=3)
    body = client.get(promise.get_absolute_url()).content.decode()
    assert "3</span> tillfällen skolsamverkan (<abbr title=" in body


def test_report_names_units_and_unknown_people(client, promise, parents, make_activity):
    from reports import outputs
    from reports.content import build_report

    make_activity(commitment=parents, people_reached=None, date=date(2023, 3, 1))
    html = outputs.render_html(build_report(promise, (date(2023, 1, 1), date(2023, 12, 31))))
    section = html.split("<h2>Nå 400 föräldrar</h2>")[1]
    done = section.split('data-counted="0">')[1].split("</dd>")[0]
    assert done == "<strong>uppgift saknas</strong> (föräldrar)"


def _activity(make_activity, *, on, created, updated, **fields):
    activity = make_activity(date=on, **fields)
    Activity.objects.filter(pk=activity.pk).update(
        created_at=timezone.make_aware(created), updated_at=timezone.make_aware(updated)
    )
    activity.refresh_from_db()
    return activity


def test_changed_on_only_for_a_change_after_the_work_and_after_writing(make_activity):
    # Loaded in bulk years after the work: never "changed".
    bulk = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2026, 11, 1, 9),
        updated=datetime(2026, 11, 1, 9),
    )
    assert bulk.changed_on() is None
    # Edited the next day, but the edit was within the grace of one act of writing.
    quick = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2023, 3, 15, 9),
        updated=datetime(2023, 3, 15, 9, 2),
    )
    assert quick.changed_on() is None
    # Planned work edited before it happened: not after its own date.
    planned = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2023, 2, 1, 9),
        updated=datetime(2023, 3, 1, 9),
    )
    assert planned.changed_on() is None
    # A multi-day activity corrected on its last day is not after it.
    long = _activity(
        make_activity,
        on=date(2023, 3, 14),
        end_date=date(2023, 3, 20),
        created=datetime(2023, 3, 14, 20),
        updated=datetime(2023, 3, 20, 12),
    )
    assert long.changed_on() is None
    changed = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2023, 3, 14, 20),
        updated=datetime(2023, 4, 2, 12),
    )
    assert changed.changed_on() == date(2023, 4, 2)


def test_activity_page_hides_senast_andrad_for_bulk_loaded_work(client, make_activity):
    bulk = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2026, 11, 1, 9),
        updated=datetime(2026, 11, 2, 9),
    )
    # Changed a day after loading, but still: changed after creation AND after its date.
    assert "Senast ändrad" in client.get(bulk.get_absolute_url()).content.decode()
    same = _activity(
        make_activity,
        on=date(2023, 3, 14),
        created=datetime(2026, 11, 1, 9),
        updated=datetime(2026, 11, 1, 9),
    )
    assert "Senast ändrad" not in client.get(same.get_absolute_url()).content.decode()


def _en(path: str) -> str:
    return f"/en{path}"


def test_english_pages_say_once_that_the_promise_is_in_swedish(
    client, promise, commitment, make_activity
):
    activity = make_activity()
    # Addresses first: a request leaves its language active in this thread.
    pages = [
        promise.get_absolute_url(),
        f"/{promise.municipalities.get().slug}/",
        f"{promise.get_absolute_url()}aktiviteter/",
        activity.get_absolute_url(),
    ]
    for path in pages:
        english = client.get(_en(path)).content.decode()
        assert english.count("ml-notice--language") == 1, path
        # In English (the catalogue has it), so without a Swedish lang attribute.
        notice = english.split('class="ml-notice ml-notice--language"')[1].split("</p>")[0]
        assert notice.startswith(">Citizen promises are published in Swedish."), notice
        assert english.index("ml-notice--language") < english.index("</h1>") + 200
        swedish = client.get(path).content.decode()
        assert "ml-notice--language" not in swedish, path


def test_english_pages_and_feeds_show_the_activitys_english_texts(client, promise, make_activity):
    activity = make_activity(
        title="Fotpatrullering i Mölnlycke centrum",
        title_en="Foot patrol in Mölnlycke centre",
        description="Tolv kvällar i centrum.",
        description_en="Twelve evenings in the centre.",
    )
    untranslated = make_activity(title="Trygghetsvandring i Landvetter", date=date(2023, 3, 1))
    # Addresses first: a request leaves its language active in this thread.
    promise_url, activity_url = promise.get_absolute_url(), activity.get_absolute_url()
    detail = client.get(_en(activity_url)).content.decode()
    assert '<h1 class="ml-h1">Foot patrol in Mölnlycke centre</h1>' in detail
    assert '<div class="ml-prose"><p>Twelve evenings in the centre.</p></div>' in detail
    listing = client.get(_en(f"{promise_url}aktiviteter/")).content.decode()
    assert ">Foot patrol in Mölnlycke centre</a>" in listing
    # The one without English falls back to Swedish, marked so.
    assert f'/{untranslated.pk}/" lang="sv">Trygghetsvandring i Landvetter</a>' in listing
    # Swedish pages keep the Swedish text.
    swedish = client.get(activity_url).content.decode()
    assert "Fotpatrullering i Mölnlycke centrum</h1>" in swedish

    feed = feedparser.parse(client.get(_en(f"{promise_url}flode.atom")).content)
    titles = [entry.title for entry in feed.entries]
    assert any(t.startswith("Foot patrol in Mölnlycke centre") for t in titles), titles
    english = next(e for e in feed.entries if e.title.startswith("Foot patrol"))
    assert "Twelve evenings in the centre." in english.summary
    swedish_feed = feedparser.parse(client.get(f"{promise_url}flode.atom").content)
    assert any(e.title.startswith("Fotpatrullering i Mölnlycke") for e in swedish_feed.entries)


def test_feed_names_people_only_when_counted(client, promise, make_activity):
    make_activity(title="Räknad", people_reached=25)
    make_activity(title="Oräknad", people_reached=None)
    feed = feedparser.parse(client.get(f"{promise.get_absolute_url()}flode.atom").content)
    summaries = {e.title.split(" (")[0]: e.summary for e in feed.entries}
    assert "25 personer nådda" in summaries["Räknad"]
    assert "nådd" not in summaries["Oräknad"] and " 0 " not in summaries["Oräknad"]


def test_api_gives_the_activitys_english_texts(client, make_activity):
    make_activity(title_en="Foot patrol", description_en="In the centre.")
    item = client.get("/api/v1/activities").json()["items"][0]
    assert (item["title_en"], item["description_en"]) == ("Foot patrol", "In the centre.")


def test_activity_page_says_unknown_people_where_the_commitment_counts_people(
    client, parents, make_activity
):
    unknown = make_activity(commitment=parents, people_reached=None)
    body = client.get(unknown.get_absolute_url()).content.decode()
    assert "<dt>Antal nådda personer</dt><dd>uppgift saknas</dd>" in body
    assert "Ja, med 0 mot målet" not in body
    assert "har inte angett hur många personer den nådde" in body
    patrol = make_activity(people_reached=None)  # counts occasions: no row needed
    assert "Antal nådda personer" not in client.get(patrol.get_absolute_url()).content.decode()


@contextmanager
def time_machine_at(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(moment)):
        yield


def test_publishing_or_confirming_later_is_not_a_change(make_activity, django_user_model):
    staff_user = django_user_model.objects.create_user("granskare")
    with time_machine_at(datetime(2023, 3, 1, 9)):
        planned = make_activity(
            date=date(2023, 3, 14), state=Activity.State.PLANNED, status=Activity.Status.DRAFT
        )
    with time_machine_at(datetime(2023, 3, 20, 9)):
        workflow.confirm_done(planned, user=staff_user, occasions=3)
    with time_machine_at(datetime(2023, 3, 21, 9)):
        workflow.publish(planned, user=staff_user)
    planned.refresh_from_db()
    assert planned.changed_on() is None
    # A real correction afterwards is a change.
    with time_machine_at(datetime(2023, 4, 2, 9)):
        planned.place = "Mölnlycke station"
        planned.save()
    planned.refresh_from_db()
    assert planned.changed_on() == date(2023, 4, 2)
