"""Activity validation: dates inside the promise period, sane counts, clear Swedish messages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from activities.models import Activity


def _activity(commitment, activity_type, **fields):
    fields.setdefault("date", date(2023, 3, 14))
    return Activity(commitment=commitment, type=activity_type, title="Fotpatrullering", **fields)


def test_valid_activity_passes(commitment, activity_type):
    _activity(commitment, activity_type, occasions=12, people_reached=0).full_clean()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", date(2022, 5, 30), "ligger utanför medborgarlöftets period"),
        ("date", date(2024, 6, 1), "ligger utanför medborgarlöftets period"),
        ("end_date", date(2024, 6, 1), "ligger utanför medborgarlöftets period"),
        ("end_date", date(2023, 3, 1), "Slutdatumet kan inte vara före startdatumet."),
        ("occasions", -1, "Antalet tillfällen kan inte vara negativt."),
        ("people_reached", -5, "Antalet nådda personer kan inte vara negativt."),
    ],
)
def test_invalid_activity_is_refused_with_swedish_message(
    commitment, activity_type, field, value, message
):
    activity = _activity(commitment, activity_type, **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert any(message in text for text in excinfo.value.message_dict[field])


def test_period_edges_are_inside(commitment, activity_type):
    _activity(commitment, activity_type, date=date(2022, 5, 31)).full_clean()
    _activity(commitment, activity_type, date=date(2024, 5, 31)).full_clean()


def test_public_queryset_hides_drafts_and_draft_promises(make_activity, commitment):
    shown = make_activity(title="Publicerad")
    make_activity(title="Utkast", status=Activity.Status.DRAFT)
    assert list(Activity.objects.public()) == [shown]
    promise = commitment.promise
    promise.status = promise.Status.DRAFT
    promise.save()
    assert not Activity.objects.public().exists()


def test_inactive_type_cannot_be_chosen_for_a_new_activity(commitment, activity_type):
    activity_type.is_active = False
    activity_type.save()
    with pytest.raises(ValidationError) as excinfo:
        _activity(commitment, activity_type).full_clean()
    assert "används inte längre" in excinfo.value.message_dict["type"][0]


def test_activity_types_from_the_domain_are_seeded(db):
    from promises.models import ActivityType

    names = set(ActivityType.objects.values_list("name", flat=True))
    assert {"Trygghetsvandring", "Riktad insats", "Trafikkontroll"} <= names
