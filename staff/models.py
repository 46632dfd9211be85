"""What the staff tooling keeps of its own: spreadsheet imports in progress, and the
weekly e-mail to staff."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def of_session(self, user, session_key: str | None, kind: str) -> ImportJobQuerySet:
        """The jobs of a kind a user started in this browser session: the only ones a
        request may touch."""
        if not session_key:
            return self.none()
        return self.filter(user=user, session_key=session_key, kind=kind)

    def expired(self) -> ImportJobQuerySet:
        cutoff = timezone.now() - timedelta(hours=settings.IMPORT_FILE_MAX_AGE_HOURS)
        return self.filter(created_at__lt=cutoff)


class ImportJob(models.Model):
    """A spreadsheet import: the uploaded file, its preview and its outcome.

    The file is kept under a name the server chose (the job's id) in
    IMPORT_ROOT, never under the name it was uploaded with, and only until the
    import is confirmed, cancelled, fails or grows old.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Väntar på förhandsgranskning")
        PREVIEWING = "previewing", _("Förhandsgranskas")
        READY = "ready", _("Klar att bekräfta")
        FAILED = "failed", _("Misslyckades")
        CONFIRMED = "confirmed", _("Bekräftad, väntar på import")
        IMPORTING = "importing", _("Importeras")
        DONE = "done", _("Importerad")
        CANCELLED = "cancelled", _("Avbruten")

    class Kind(models.TextChoices):
        ACTIVITIES = "activities", _("Aktiviteter")
        MEASUREMENTS = "measurements", _("Mätvärden")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel-arbetsbok (XLSX)")

    # A random id: it is what the confirm and cancel forms post.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("användare"),
    )
    session_key = models.CharField(_("session"), max_length=40)
    original_name = models.CharField(_("filnamn"), max_length=255)
    stored_name = models.CharField(_("sparad som"), max_length=64, blank=True)
    kind = models.CharField(
        _("vad som importeras"), max_length=12, choices=Kind.choices, default=Kind.ACTIVITIES
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    result = models.JSONField(_("resultat"), default=dict, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def path(self) -> Path | None:
        return Path(settings.IMPORT_ROOT) / self.stored_name if self.stored_name else None

    @property
    def is_waiting(self) -> bool:
        return self.status in {
            self.Status.QUEUED,
            self.Status.PREVIEWING,
            self.Status.CONFIRMED,
            self.Status.IMPORTING,
        }

    def delete_file(self) -> None:
        """Remove the stored file; safe to call twice."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.stored_name = ""
            ImportJob.objects.filter(pk=self.pk).update(stored_name="")


class DigestSettingQuerySet(models.QuerySet):
    def opted_out(self) -> DigestSettingQuerySet:
        return self.filter(wants_digest=False)


class DigestSetting(models.Model):
    """A staff member's weekly e-mail: whether they want it, and which week it last went.

    Staff get the weekly letter unless they said no; a user without a row
    gets it too. ``last_sent_week`` (the Monday of the ISO week) is what makes
    ``send_staff_digests`` safe to run twice in a week.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_setting",
        verbose_name=_("användare"),
    )
    wants_digest = models.BooleanField(_("få veckobrev"), default=True)
    last_sent_week = models.DateField(
        _("senast skickat för veckan"),
        null=True,
        blank=True,
        help_text=_("Måndagen i den vecka då det senaste veckobrevet skickades."),
    )
    changed_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    objects = DigestSettingQuerySet.as_manager()

    class Meta:
        verbose_name = _("veckobrev till personal")
        verbose_name_plural = _("veckobrev till personal")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def wanted_by(cls, user) -> bool:
        return not cls.objects.opted_out().filter(user=user).exists()

    @classmethod
    def choose(cls, user, wants: bool) -> DigestSetting:
        setting, _created = cls.objects.update_or_create(
            user=user, defaults={"wants_digest": wants}
        )
        return setting
