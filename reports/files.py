"""A follow-up's stored report files: asked for on every change, built by the worker."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from promises.models import FollowUp

from . import outputs
from .content import report_for_follow_up
from .models import ReportFile

STORED_FORMATS = ("pdf", "xlsx")


def request_build(follow_up: FollowUp) -> None:
    """Mark the follow-up's files as out of date and queue a new build after the commit."""
    ReportFile.objects.update_or_create(
        follow_up=follow_up, defaults={"requested_at": timezone.now()}
    )
    from .tasks import build_report_files

    # The database queue holds the task in this transaction: the worker sees
    # it only once the change it is for is committed.
    build_report_files.enqueue(follow_up.pk)


def request_rebuild(follow_up_id: int) -> None:
    """As request_build(), for a follow-up that already has files."""
    if ReportFile.objects.filter(follow_up_id=follow_up_id).update(requested_at=timezone.now()):
        from .tasks import build_report_files

        build_report_files.enqueue(follow_up_id)


def promise_activities_changed(promise_ids) -> None:
    """Something these promises' reports show changed (an activity, the promise's own
    text, a commitment, a contact): their follow-ups' files are out of date.

    Only files that were current get a new build queued, so that an import of
    thousands of activities queues one build per follow-up, not one per row;
    a build already queued or running picks the change up (see build()).
    """
    files = ReportFile.objects.filter(follow_up__promise_id__in=promise_ids)
    current = list(
        files.filter(built_at__gte=F("requested_at")).values_list("follow_up_id", flat=True)
    )
    files.update(requested_at=timezone.now())
    if current:
        from .tasks import build_report_files

        for follow_up_id in current:
            build_report_files.enqueue(follow_up_id)


# A build asked for longer ago than this and still not done has failed (the
# worker crashed or was restarted): asking for the files asks for it again.
STALE_BUILD = timedelta(minutes=15)


def stored_files(follow_up: FollowUp) -> ReportFile | None:
    """The follow-up's stored files if they are up to date, else None (asking for a build).

    A build is asked for when there has never been one, and again when the
    last one asked for has not been done for a long while.
    """
    stored = ReportFile.objects.filter(follow_up=follow_up).first()
    if stored is None:
        request_build(follow_up)
        return None
    if stored.is_current:
        return stored
    if stored.requested_at < timezone.now() - STALE_BUILD:
        request_build(follow_up)
    return None


def current_file(follow_up: FollowUp, fmt: str):
    """The stored file for the format if it is up to date, else None."""
    stored = stored_files(follow_up)
    field = getattr(stored, fmt) if stored is not None else None
    return field or None


def build(follow_up_id: int) -> None:
    """Write the follow-up's PDF and XLSX; run by the task worker."""
    follow_up = FollowUp.objects.filter(pk=follow_up_id).select_related("promise").first()
    if follow_up is None:
        return
    started = timezone.now()
    stored = ReportFile.objects.filter(follow_up=follow_up).first()
    if stored is not None and stored.is_current:
        return  # an earlier task in the queue already built it after the last change
    # Drafts of a draft promise are reported on from their published activities, as in
    # the staff preview; a published promise's from its public ones.
    report = report_for_follow_up(follow_up, activities=report_activities(follow_up))
    stored, _created = ReportFile.objects.get_or_create(
        follow_up=follow_up, defaults={"requested_at": started}
    )
    old = [getattr(stored, fmt).name for fmt in STORED_FORMATS if getattr(stored, fmt)]
    stored.pdf.save("report.pdf", ContentFile(outputs.pdf_bytes(report)), save=False)
    stored.xlsx.save("report.xlsx", ContentFile(outputs.xlsx_bytes(report)), save=False)
    stored.built_at = started
    stored.save(update_fields=["pdf", "xlsx", "built_at"])
    for name in old:
        stored.pdf.storage.delete(name)
    if ReportFile.objects.filter(pk=stored.pk, requested_at__gt=started).exists():
        # Something changed while this build ran: build again.
        from .tasks import build_report_files

        build_report_files.enqueue(follow_up_id)


def report_activities(follow_up: FollowUp):
    """The activities a report counts: for a draft promise (staff preview) its
    published ones, as the staff preview of the promise page does; None for a
    published promise, whose report counts the public ones (from the monthly
    sums where its period allows), as its public page does."""
    from activities.models import Activity

    if follow_up.promise.is_published:
        return None
    return Activity.objects.published()
