"""Fixtures for the feeds: a municipality with public, planned, cancelled and hidden work."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from activities.models import Activity
from promises.models import Commitment, FollowUp, Promise

SECRET = "HEMLIG-INTERN-ANTECKNING"


@pytest.fixture
def feeds_site(promise, commitment, make_activity, make_promise, harryda, make_follow_up):
    """Härryda: an earlier promise with done work, a current one with planned work, and drafts."""
    today = timezone.localdate()
    make_activity(
        title="Fotpatrullering i Mölnlycke centrum",
        description="Tolv kvällar i centrum.",
        place="Mölnlycke centrum",
        internal_note=SECRET,
    )
    make_activity(
        title="Utkast som inte får synas", status=Activity.Status.DRAFT, internal_note=SECRET
    )
    make_follow_up(promise, {}, title="Uppföljning 2023", narrative="Det mesta blev gjort.")
    make_follow_up(promise, {}, title="Opublicerad uppföljning", status=FollowUp.Status.DRAFT)

    unpublished = make_promise(
        [harryda], start=date(2019, 1, 1), end=date(2020, 12, 31), status=Promise.Status.DRAFT
    )
    hidden = Commitment.objects.create(promise=unpublished, position=1, title="Dolt åtagande")
    make_activity(
        commitment=hidden, date=date(2020, 3, 1), title="Aktivitet i ett opublicerat löfte"
    )

    current = make_promise(
        [harryda],
        title="Medborgarlöfte Härryda nu",
        start=today - timedelta(days=30),
        end=today + timedelta(days=365),
    )
    now = Commitment.objects.create(promise=current, position=1, title="Trygga kvällar")
    make_activity(commitment=now, date=today - timedelta(days=5), title="Genomförd i höst")
    make_activity(
        commitment=now,
        date=today - timedelta(days=2),
        state=Activity.State.PLANNED,
        title="Planerad men passerad",
    )
    planned = make_activity(
        commitment=now,
        date=today + timedelta(days=7),
        end_date=today + timedelta(days=8),
        state=Activity.State.PLANNED,
        title="Trygghetsvandring i Landvetter",
        place="Landvetter centrum",
        description="Vi går tillsammans med föreningarna.",
        internal_note=SECRET,
    )
    cancelled = make_activity(
        commitment=now,
        date=today + timedelta(days=14),
        state=Activity.State.CANCELLED,
        title="Föreläsning om bedrägerier",
    )
    make_activity(
        commitment=now,
        date=today + timedelta(days=3),
        state=Activity.State.PLANNED,
        status=Activity.Status.DRAFT,
        title="Utkast som inte får synas",
    )
    return {
        "old": promise,
        "commitment": commitment,
        "current": current,
        "now": now,
        "planned": planned,
        "cancelled": cancelled,
        "unpublished": unpublished,
    }
