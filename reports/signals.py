"""A follow-up's report files are rebuilt whenever what they show changes."""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from activities.models import Activity
from promises.models import Assessment, Commitment, Contact, FollowUp, PriorityArea, Promise

from . import files
from .models import FollowUpHighlight, ReportFile


@receiver(post_save, sender=FollowUp)
def follow_up_changed(sender, instance: FollowUp, raw=False, **kwargs) -> None:
    if not raw:
        files.request_build(instance)


@receiver(post_save, sender=Assessment)
@receiver(post_delete, sender=Assessment)
@receiver(post_save, sender=FollowUpHighlight)
@receiver(post_delete, sender=FollowUpHighlight)
def part_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if kwargs.get("signal") is post_delete:
        # Also sent while the follow-up itself is being deleted: only mark
        # files that still exist, never create a row for it.
        files.request_rebuild(instance.follow_up_id)
        return
    follow_up = FollowUp.objects.filter(pk=instance.follow_up_id).first()
    if follow_up is not None:
        files.request_build(follow_up)


# Commitments whose activities changed in the current transaction, marked
# once at commit: an import of thousands of rows costs two queries, not two
# per row, a rolled-back preview costs none, and no report-file row stays
# locked while the import runs.
_changed = threading.local()


def _mark_changed_commitments() -> None:
    commitment_ids = _changed.__dict__.pop("commitment_ids", set())
    if commitment_ids:
        files.promise_activities_changed(
            Commitment.objects.filter(pk__in=commitment_ids).values("promise_id")
        )


@receiver(post_save, sender=Activity)
@receiver(post_delete, sender=Activity)
def activity_changed(sender, instance: Activity, raw=False, **kwargs) -> None:
    if raw:
        return
    _changed.__dict__.setdefault("commitment_ids", set()).add(instance.commitment_id)
    # The first callback to run after the commit takes them all; the others
    # find nothing left. After a rollback the next commit takes them (a
    # spurious rebuild at worst, never a missed one).
    transaction.on_commit(_mark_changed_commitments)


@receiver(post_save, sender=Promise)
def promise_changed(sender, instance: Promise, raw=False, **kwargs) -> None:
    # The cover, the situation picture, the goal and how to follow the work.
    if not raw:
        files.promise_activities_changed([instance.pk])


@receiver(post_save, sender=Commitment)
@receiver(post_delete, sender=Commitment)
@receiver(post_save, sender=PriorityArea)
@receiver(post_delete, sender=PriorityArea)
@receiver(post_save, sender=Contact)
@receiver(post_delete, sender=Contact)
def promise_part_changed(sender, instance, raw=False, **kwargs) -> None:
    # What was promised, by whom, and whom to contact.
    if not raw:
        files.promise_activities_changed([instance.promise_id])


@receiver(post_delete, sender=ReportFile)
def report_file_deleted(sender, instance: ReportFile, **kwargs) -> None:
    for field in (instance.pdf, instance.xlsx):
        if field:
            field.storage.delete(field.name)
