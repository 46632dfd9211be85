"""What was actually done to keep a promise."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises.models import Commitment, Municipality, Organisation, Promise, Translated


class ActivityType(Translated, models.Model):
    """A managed list of kinds of activity (foot patrol, safety walk, …)."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    name_en = models.CharField(_("namn på engelska"), max_length=100, blank=True)
    slug = models.SlugField(_("adressnamn"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=100)
    is_active = models.BooleanField(
        _("används"), default=True, help_text=_("Avmarkera för att dölja typen i nya aktiviteter.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("aktivitetstyp")
        verbose_name_plural = _("aktivitetstyper")

    def __str__(self) -> str:
        return self.tr("name")


class ActivityQuerySet(models.QuerySet):
    def public(self) -> ActivityQuerySet:
        """The one definition of what residents may see: every public output uses it."""
        return self.published().filter(commitment__promise__status=Promise.Status.PUBLISHED)

    def published(self) -> ActivityQuerySet:
        """Published activities, whatever their promise's status (for staff previews)."""
        return self.filter(status=Activity.Status.PUBLISHED)

    def likely_duplicates_of(self, activity: Activity) -> ActivityQuerySet:
        """Other activities with the same commitment, type, date and place."""
        return self.filter(
            commitment_id=activity.commitment_id,
            type_id=activity.type_id,
            date=activity.date,
            place__iexact=(activity.place or "").strip(),
        ).exclude(pk=activity.pk)

    def for_user(self, user) -> ActivityQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(commitment__promise__in=Promise.objects.for_user(user))

    def for_municipality(self, municipality: Municipality) -> ActivityQuerySet:
        return self.filter(commitment__promise__municipalities=municipality)

    def search(self, text: str) -> ActivityQuerySet:
        """Free-text search in title, description, place and type.

        PostgreSQL: full-text search with the Swedish configuration, so that
        "patrulleringar" finds "patrullering". Elsewhere (SQLite in
        development): every word must occur somewhere, case-insensitively.
        """
        text = text.strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchVector

            # Exactly the expression of the GIN index activity_search_swedish
            # (migration 0004), so that PostgreSQL can use the index. The type's
            # name lives in another table and cannot be in that index: a search
            # that matches a type's name finds that type's activities instead.
            vector = (
                SearchVector("title", weight="A", config="swedish")
                + SearchVector("place", weight="B", config="swedish")
                + SearchVector("description", weight="C", config="swedish")
            )
            query = SearchQuery(text, config="swedish", search_type="websearch")
            type_ids = ActivityType.objects.annotate(
                search_document=SearchVector("name", config="swedish")
            ).filter(search_document=query)
            return self.annotate(search_document=vector).filter(
                Q(search_document=query)
                | Q(type_id__in=list(type_ids.values_list("pk", flat=True)))
            )
        matches = self
        for word in text.split():
            # SQLite's LIKE folds case for ASCII letters only, so "ö" would
            # not find "Ö": try the usual spellings of the word as well.
            found = Q()
            for variant in {word, word.lower(), word.upper(), word.capitalize()}:
                found |= (
                    Q(title__icontains=variant)
                    | Q(description__icontains=variant)
                    | Q(place__icontains=variant)
                    | Q(type__name__icontains=variant)
                )
            matches = matches.filter(found)
        return matches


# Named here, not only as Activity.history, so that the import can write the
# one record of a new activity itself once its organisations are set.
activity_history = HistoricalRecords(m2m_fields=["organisations"], excluded_fields=["updated_at"])


class Activity(models.Model):
    """An activity, often aggregated ("12 patrols in Mölnlycke centre in March")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("åtagande"),
    )
    date = models.DateField(_("datum"))
    end_date = models.DateField(
        _("slutdatum"), null=True, blank=True, help_text=_("Om aktiviteten pågick flera dagar.")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(
        _("beskrivning"),
        blank=True,
        help_text=_(
            "Visas för alla. Skriv inget som kan peka ut enskilda personer, särskilt inte unga."
        ),
    )
    type = models.ForeignKey(
        ActivityType,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("typ"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        related_name="activities",
        verbose_name=_("genomförd av"),
        blank=True,
    )
    place = models.CharField(
        _("plats"),
        max_length=200,
        blank=True,
        help_text=_("Ett område eller en allmän plats, t.ex. ”Mölnlycke centrum”."),
    )
    occasions = models.PositiveIntegerField(
        _("antal tillfällen"),
        default=1,
        validators=[MinValueValidator(0, _("Antalet tillfällen kan inte vara negativt."))],
        help_text=_("T.ex. 12 om posten sammanfattar tolv patrulleringar."),
    )
    people_reached = models.PositiveIntegerField(
        _("antal nådda personer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Antalet nådda personer kan inte vara negativt."))],
    )
    internal_note = models.TextField(
        _("intern anteckning"),
        blank=True,
        help_text=_("Syns bara för personal. Visas aldrig på webbplatsen, i export eller flöden."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
    )
    is_example = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Genererad exempeldata, märks tydligt på webbplatsen."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = activity_history
    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            models.CheckConstraint(
                name="activity_end_not_before_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                violation_error_message=_("Slutdatumet kan inte vara före startdatumet."),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "status", "date"]),
            models.Index(fields=["status", "date"]),
            models.Index(fields=["type", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date)})" if self.date else self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.end_date and self.date and self.end_date < self.date:
            errors.setdefault("end_date", []).append(
                _("Slutdatumet kan inte vara före startdatumet.")
            )
        if self.commitment_id and self.date:
            promise = self.commitment.promise
            for field, value in (("date", self.date), ("end_date", self.end_date)):
                if value and not (promise.period_start <= value <= promise.period_end):
                    errors.setdefault(field, []).append(
                        ValidationError(
                            _(
                                "Datumet %(date)s ligger utanför medborgarlöftets period "
                                "(%(period)s)."
                            ),
                            params={"date": date_format(value), "period": promise.period_label},
                            code="outside_period",
                        )
                    )
        if self.type_id and not self.type.is_active and self._state.adding:
            errors.setdefault("type", []).append(
                _("Aktivitetstypen används inte längre. Välj en annan typ.")
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.commitment.promise.status == Promise.Status.PUBLISHED
        )

    def get_absolute_url(self, municipality: Municipality | None = None) -> str:
        promise = self.commitment.promise
        municipality = municipality or promise.primary_municipality
        return reverse(
            "promises:activity-detail",
            kwargs={"municipality": municipality.slug, "promise": promise.slug, "pk": self.pk},
        )


class ImportJobQuerySet(models.QuerySet):
    def of_session(self, user, session_key: str | None) -> ImportJobQuerySet:
        """The jobs a user started in this browser session: the only ones a request may touch."""
        if not session_key:
            return self.none()
        return self.filter(user=user, session_key=session_key)

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
