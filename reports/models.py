"""What a follow-up's report needs beyond the domain: chosen highlights and stored files."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from promises.models import FollowUp

MAX_HIGHLIGHTS = 5


class FollowUpHighlight(models.Model):
    """An activity the staff chose to show in a follow-up's report (at most five)."""

    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="highlights",
        verbose_name=_("uppföljning"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("aktivitet"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)

    class Meta:
        ordering = ["follow_up", "position", "pk"]
        verbose_name = _("utvald aktivitet")
        verbose_name_plural = _("utvalda aktiviteter")
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "activity"],
                name="highlight_once_per_follow_up",
                violation_error_message=_("Aktiviteten är redan utvald i den här uppföljningen."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.activity)

    def clean(self) -> None:
        super().clean()
        if not (self.follow_up_id and self.activity_id):
            return
        activity = self.activity
        if activity.commitment.promise_id != self.follow_up.promise_id:
            raise ValidationError({"activity": _("Aktiviteten hör till ett annat medborgarlöfte.")})
        if activity.status != Activity.Status.PUBLISHED:
            raise ValidationError({"activity": _("Bara publicerade aktiviteter kan lyftas fram.")})
        others = FollowUpHighlight.objects.filter(follow_up_id=self.follow_up_id).exclude(
            pk=self.pk
        )
        if others.count() >= MAX_HIGHLIGHTS:
            raise ValidationError(
                _("En uppföljning kan lyfta fram högst %(n)s aktiviteter."),
                params={"n": MAX_HIGHLIGHTS},
                code="too_many",
            )


def _report_path(instance: ReportFile, filename: str) -> str:
    # Not guessable: the files of a draft must not be found by trying names.
    suffix = filename.rsplit(".", 1)[-1]
    return f"reports/{uuid.uuid4().hex}.{suffix}"


class ReportFile(models.Model):
    """A follow-up's PDF and XLSX, built by the task worker, never in a request."""

    follow_up = models.OneToOneField(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="report_file",
        verbose_name=_("uppföljning"),
    )
    pdf = models.FileField(_("PDF"), upload_to=_report_path, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=_report_path, blank=True)
    # A change asks for a new build; the files are current once a build that
    # started after the latest request has finished.
    requested_at = models.DateTimeField(_("begärd"))
    built_at = models.DateTimeField(_("byggd"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapportfil")
        verbose_name_plural = _("rapportfiler")

    def __str__(self) -> str:
        return str(self.follow_up)

    @property
    def is_current(self) -> bool:
        return self.built_at is not None and self.built_at >= self.requested_at
