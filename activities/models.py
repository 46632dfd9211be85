"""What was actually done to keep a promise."""

from __future__ import annotations

from datetime import date, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import connection, models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from promises.history import OneRecordPerChange
from promises.models import (
    ActivityType,
    Commitment,
    Municipality,
    Organisation,
    Promise,
    Translated,
)

from .search import CONFIG, activity_document


def check_times(start: time | None, end: time | None) -> tuple[str, str] | None:
    """The field and message of what is wrong with a start and end time, or None.

    An end before the start is allowed: the work runs past midnight (”kl 21–02”).
    """
    if end is not None and start is None:
        return "start_time", _("Ange en starttid när du anger en sluttid.")
    if start is not None and end is not None and start == end:
        return "end_time", _(
            "Sluttiden är samma som starttiden. Ange en senare sluttid, eller en tidigare "
            "om aktiviteten pågår över midnatt."
        )
    return None


def time_label(start: time | None, end: time | None) -> str:
    """”kl. 21:00–02:00 (över midnatt)”, ”kl. 18:00”, or "" without a start time."""
    if start is None:
        return ""
    if end is None:
        return _("kl. %(start)s") % {"start": time_format(start)}
    label = _("kl. %(start)s–%(end)s") % {"start": time_format(start), "end": time_format(end)}
    if end < start:
        label = _("%(times)s (över midnatt)") % {"times": label}
    return label


def check_type_in_use(work: models.Model, errors: dict[str, list]) -> None:
    """New work (an activity or a recurring one) may not use a retired type; old work
    keeps its own."""
    if work.type_id and work._state.adding and not work.type.is_active:
        errors.setdefault("type", []).append(
            _("Aktivitetstypen används inte längre. Välj en annan typ.")
        )


def types_by_use(commitment: Commitment | None, types) -> tuple[list, list]:
    """The types offered for logging under a commitment: those used for it first, then the rest.

    Used: the commitment's own types, the most used first, and its target's
    type even before anything is logged. The rest in the types' own order.
    One query, whatever the number of activities.
    """
    types = list(types)
    uses: dict[int, int] = {}
    if commitment is not None:
        uses = dict(
            Activity.objects.filter(commitment=commitment)
            .order_by()
            .values("type_id")
            .annotate(n=models.Count("pk"))
            .values_list("type_id", "n")
        )
    target = commitment.target_activity_type_id if commitment is not None else None
    used = sorted(
        (t for t in types if t.pk in uses or t.pk == target),
        key=lambda t: (-uses.get(t.pk, 0), t.position, t.name),
    )
    others = sorted((t for t in types if t not in used), key=lambda t: (t.position, t.name))
    return used, others


def check_inside_period(promise: Promise, dates, errors: dict[str, list]) -> None:
    """Add an error for each (field, date) outside the promise's period.

    The one rule for when work may be logged, for single activities and for
    recurring ones.
    """
    for field, value in dates:
        if value and not (promise.period_start <= value <= promise.period_end):
            errors.setdefault(field, []).append(
                ValidationError(
                    _("Datumet %(date)s ligger utanför medborgarlöftets period (%(period)s)."),
                    params={"date": date_format(value), "period": promise.period_label},
                    code="outside_period",
                )
            )


# What residents read of an activity: a change to any of these is a change
# ("Senast ändrad"); publishing, confirming and staff notes are not. Who
# carried it out (a many-to-many) is left out so that the check is one query.
CONTENT_FIELDS = [
    "commitment",
    "date",
    "end_date",
    "start_time",
    "end_time",
    "title",
    "title_en",
    "description",
    "description_en",
    "link",
    "type",
    "place",
    "occasions",
    "people_reached",
]


class ActivityQuerySet(models.QuerySet):
    def public(self) -> ActivityQuerySet:
        """The one definition of what residents may see: every public output uses it."""
        return self.published().filter(commitment__promise__status=Promise.Status.PUBLISHED)

    def published(self) -> ActivityQuerySet:
        """Published activities, whatever their promise's status (for staff previews)."""
        return self.filter(status=Activity.Status.PUBLISHED)

    def done(self) -> ActivityQuerySet:
        """Work that was carried out: the only activities that count towards a figure."""
        return self.filter(state=Activity.State.DONE)

    def awaiting_confirmation(self, now=None) -> ActivityQuerySet:
        """Planned work whose time has come: to be confirmed as done or cancelled.

        Dated before today, or today with a start time that has passed (or
        none), oldest first.
        """
        now = timezone.localtime(now)
        return (
            self.filter(state=Activity.State.PLANNED)
            .filter(
                Q(date__lt=now.date())
                | Q(date=now.date(), start_time__isnull=True)
                | Q(date=now.date(), start_time__lte=now.time())
            )
            # Work without a time first within its day, on every database
            # (PostgreSQL sorts NULL last, SQLite first).
            .order_by("date", models.F("start_time").asc(nulls_first=True), "pk")
        )

    def upcoming(self, on=None) -> ActivityQuerySet:
        """Planned work from today on (”Kommande”), soonest first."""
        on = on or timezone.localdate()
        return self.filter(state=Activity.State.PLANNED, date__gte=on).order_by("date", "pk")

    def scheduled(self, on=None) -> ActivityQuerySet:
        """Upcoming work for a calendar: planned, and cancelled so that it can be struck out."""
        on = on or timezone.localdate()
        return self.filter(
            state__in=[Activity.State.PLANNED, Activity.State.CANCELLED], date__gte=on
        ).order_by("date", "pk")

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

    def recent_places(self, limit: int = 30) -> list[str]:
        """The places these activities were at, the latest first, each once (whatever its case).

        What a form suggests when logging the next one; only the latest few
        hundred activities are looked at, however many there are.
        """
        places: dict[str, str] = {}
        rows = self.exclude(place="").order_by("-date", "-pk").values_list("place", flat=True)
        for place in rows[: limit * 10]:
            places.setdefault(place.strip().casefold(), place.strip())
            if len(places) >= limit:
                break
        return list(places.values())

    def in_order_of(self, ids: list[int]) -> list[Activity]:
        """The activities with these ids, in that order, read with this queryset's relations.

        For a page of a long list: its ids are found first (from an index
        alone where one holds the order, docs/performance.md), then only
        those rows are read.
        """
        found = {activity.pk: activity for activity in self.filter(pk__in=ids).order_by()}
        return [found[pk] for pk in ids if pk in found]

    def for_promise(self, promise: Promise) -> ActivityQuerySet:
        return self.filter(commitment__promise=promise)

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
            # The stored document (title, place, description) has a GIN index.
            # The type's name lives in another table: a search that matches a
            # type's name finds that type's activities as well.
            query = SearchQuery(text, config=CONFIG, search_type="websearch")
            type_ids = ActivityType.objects.annotate(
                search_document=SearchVector("name", config=CONFIG)
            ).filter(search_document=query)
            return self.filter(
                Q(search_vector=query) | Q(type_id__in=list(type_ids.values_list("pk", flat=True)))
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


class ActivityManager(models.Manager.from_queryset(ActivityQuerySet)):
    def get_queryset(self) -> ActivityQuerySet:
        # The search document is for the database's search only: no page,
        # export or report reads it, so it is not fetched with every row.
        return super().get_queryset().defer("search_vector")


class Activity(Translated, models.Model):
    """An activity, often aggregated ("12 patrols in Mölnlycke centre in March")."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    class State(models.TextChoices):
        """Whether the work was carried out, is planned, or was called off."""

        DONE = "done", _("Genomförd")
        PLANNED = "planned", _("Planerad")
        CANCELLED = "cancelled", _("Inställd")

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
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(
        _("sluttid"),
        null=True,
        blank=True,
        help_text=_("En sluttid före starttiden betyder att aktiviteten pågår över midnatt."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    description = models.TextField(
        _("beskrivning"),
        blank=True,
        help_text=_(
            "Visas för alla. Skriv inget som kan peka ut enskilda personer, särskilt inte unga."
        ),
    )
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    link = models.URLField(
        _("länk"),
        max_length=500,
        blank=True,
        help_text=_(
            "En allmän webbsida eller ett dokument om aktiviteten, t.ex. en nyhet på "
            "kommunens webbplats. Visas för alla."
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
    state = models.CharField(
        _("genomförd eller planerad"),
        max_length=10,
        choices=State.choices,
        default=State.DONE,
        help_text=_(
            "Planerade aktiviteter visas som kommande och räknas inte förrän de är genomförda."
        ),
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
    series = models.ForeignKey(
        "ActivitySeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("återkommande aktivitet"),
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
    # Computed by the database from title, place and description (see search.py).
    search_vector = models.GeneratedField(
        expression=activity_document(),
        output_field=SearchVectorField(null=True),
        db_persist=True,
    )

    history = OneRecordPerChange(
        m2m_fields=[organisations], excluded_fields=["updated_at", "search_vector"]
    )
    objects = ActivityManager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        permissions = [
            ("publish_at_once", _("Kan publicera nya aktiviteter direkt, utan utkast")),
        ]
        constraints = [
            models.CheckConstraint(
                name="activity_end_not_before_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                violation_error_message=_("Slutdatumet kan inte vara före startdatumet."),
            ),
            models.CheckConstraint(
                name="activity_end_time_needs_start_time",
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                violation_error_message=_("Ange en starttid när du anger en sluttid."),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "status", "state", "date"]),
            models.Index(fields=["status", "date"]),
            models.Index(fields=["type", "date"]),
            # The public pages read only published work, most of them only
            # what was done (public().done()); see docs/performance.md.
            # The activities page: its count and type choices from the index
            # alone, its type and year filters per commitment.
            models.Index(
                fields=["commitment", "type", "date"],
                condition=Q(status="published", state="done"),
                name="activity_public_by_type",
            ),
            # The feeds, newest change first: a big municipality's feed walks
            # this until it has its 50 entries instead of sorting all its work;
            # and the open-data API's updated_since.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(status="published"),
                name="activity_published_by_change",
            ),
            # The open-data API's from: the count of what starts on that day or
            # later, from the index alone (api.filters.count).
            models.Index(
                fields=["date"],
                include=["commitment"],
                condition=Q(status="published"),
                name="activity_published_by_date",
            ),
            # The open-data API's from: work that started earlier and lasts
            # until that day or later (most activities last one day), and its
            # count from the index alone.
            models.Index(
                fields=["end_date"],
                include=["date", "commitment"],
                condition=Q(end_date__isnull=False, status="published"),
                name="activity_multi_day_end",
            ),
            # A promise's figures (activities.progress): its totals and monthly
            # sums per commitment from the index alone (on PostgreSQL, which
            # alone has INCLUDE), instead of visiting a heap page per activity
            # of work scattered through the table; see docs/performance.md.
            models.Index(
                fields=["commitment"],
                include=[
                    "state",
                    "type",
                    "date",
                    "occasions",
                    "people_reached",
                    "is_example",
                    "updated_at",
                ],
                condition=Q(status="published"),
                name="activity_published_progress",
            ),
            # The activities page: a page of a promise's newest (or oldest)
            # work, and its totals, from the index alone, per commitment
            # (docs/performance.md, "The third round").
            models.Index(
                fields=["commitment", "date", "id"],
                include=["type", "occasions", "people_reached", "is_example"],
                condition=Q(status="published", state="done"),
                name="activity_public_list",
            ),
            # The feeds, most recently changed first: the ids of a
            # municipality's newest changes from the index alone.
            models.Index(
                fields=["commitment", "updated_at", "id"],
                condition=Q(status="published", state="done"),
                name="activity_done_by_change",
            ),
            # The open-data API's list of one state (the planned work, say),
            # newest first: without it, 37 ms of a scan through
            # (commitment, status, state, date) for every page.
            models.Index(
                fields=["state", "date", "id"],
                condition=Q(status="published"),
                name="activity_published_by_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.date)})" if self.date else self.title

    # Saves closer together than this are one act of writing (a form, an
    # import row and its organisations), not a later change.
    CHANGE_GRACE = timedelta(minutes=5)

    def changed_on(self) -> date | None:
        """The day a resident is told the activity was last changed, or None.

        Only a change made after the activity was first written and after the
        work itself (its last day): an activity entered in bulk years after
        it was done, or written up on the day, has not been "changed".
        """
        if not (self.updated_at and self.created_at and self.date):
            return None
        last_change = self._last_content_change()
        if last_change - self.created_at < self.CHANGE_GRACE:
            return None
        changed = timezone.localdate(last_change)
        return changed if changed > (self.end_date or self.date) else None

    def _last_content_change(self):
        """When what residents read last changed: not publishing a draft or confirming
        planned work, which move ``updated_at`` without changing the account."""
        last_change = self.updated_at
        records = list(self.history.order_by("-history_date", "-history_id")[:20])
        for newer, older in zip(records, records[1:], strict=False):
            confirmed = older.state == self.State.PLANNED and newer.state != self.State.PLANNED
            if not confirmed and newer.diff_against(older, included_fields=CONTENT_FIELDS).changes:
                break
            last_change = older.history_date
        return last_change

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.end_date and self.date and self.end_date < self.date:
            errors.setdefault("end_date", []).append(
                _("Slutdatumet kan inte vara före startdatumet.")
            )
        times_error = check_times(self.start_time, self.end_time)
        if times_error:
            errors.setdefault(times_error[0], []).append(times_error[1])
        if self.commitment_id and self.date:
            dates = (("date", self.date), ("end_date", self.end_date))
            check_inside_period(self.commitment.promise, dates, errors)
        if self.state == self.State.DONE and self.date and self.date > timezone.localdate():
            errors.setdefault("date", []).append(
                ValidationError(
                    _(
                        "Datumet %(date)s har inte varit än: en aktivitet i framtiden kan inte "
                        "vara genomförd. Välj ”Planerad”, och ändra till ”Genomförd” när den "
                        "är gjord."
                    ),
                    params={"date": date_format(self.date)},
                    code="done_in_future",
                )
            )
        check_type_in_use(self, errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def title_from(activity_type: ActivityType, place: str = "") -> str:
        """The title of an activity logged without one: its type, and the place if given.

        Every way of logging (admin form, quick log, import) that lets the title
        be left empty fills it in here. Stored content is Swedish, whatever the
        language of the page it was logged from.
        """
        place = " ".join((place or "").split())
        title = f"{activity_type.name} i {place}" if place else activity_type.name
        return title[: Activity._meta.get_field("title").max_length]

    def fill_in_title(self) -> None:
        """Give an activity left without a title the one made from its type and place."""
        if not (self.title or "").strip() and self.type_id:
            self.title = self.title_from(self.type, self.place)

    @staticmethod
    def initial_status_for(user, asked: str | None = None) -> str:
        """What a new activity of this user starts as: a draft, unless their group may
        publish at once; then what they asked for, published if nothing.

        Every way of logging (admin, quick log, week's log, recurring, import) asks
        here, so a status posted or written in a file cannot get round it.
        """
        if not user.has_perm("activities.publish_at_once"):
            return Activity.Status.DRAFT
        return asked or Activity.Status.PUBLISHED

    @property
    def link_label(self) -> str:
        """Where the link goes, for its text: the site's name, and "PDF" for a PDF document."""
        if not self.link:
            return ""
        parts = urlsplit(self.link)
        host = (parts.hostname or self.link).removeprefix("www.")
        if parts.path.lower().endswith(".pdf"):
            return f"{host} (PDF)"
        return host

    @property
    def ends_next_day(self) -> bool:
        """Whether the work runs past midnight (”kl 21–02”): an end before the start."""
        return bool(self.start_time and self.end_time and self.end_time < self.start_time)

    @property
    def time_label(self) -> str:
        """”kl. 21:00–02:00”, or "" for an activity without a time."""
        return time_label(self.start_time, self.end_time)

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
            "public:activity-detail",
            kwargs={"municipality": municipality.slug, "promise": promise.slug, "pk": self.pk},
        )


def check_activities_inside_period(promise: Promise) -> None:
    """A promise's new period may not leave logged activities outside it.

    Otherwise the totals and the month-by-month figures residents check them
    against would no longer agree. Registered with Promise.clean() (apps.py).
    """
    outside = Activity.objects.filter(commitment__promise=promise).filter(
        Q(date__lt=promise.period_start)
        | Q(date__gt=promise.period_end)
        | Q(end_date__gt=promise.period_end)
    )
    count = outside.count()
    if count:
        first = outside.order_by("date").first()
        raise ValidationError(
            _(
                "%(count)s aktiviteter ligger utanför den nya perioden, t.ex. ”%(title)s” "
                "(%(date)s). Flytta eller ta bort dem först, eller välj en period som "
                "rymmer dem."
            ),
            params={"count": count, "title": first.title, "date": date_format(first.date)},
            code="activities_outside_period",
        )


# Most occurrences one recurring activity may create at once: a year of one
# weekday is 53, of every day 366; more is almost surely a mistake.
MAX_OCCURRENCES = 200


class ActivitySeriesQuerySet(models.QuerySet):
    def for_user(self, user) -> ActivitySeriesQuerySet:
        return self.filter(commitment__in=Commitment.objects.for_user(user))


class ActivitySeries(models.Model):
    """Recurring work (”varje fredag kl 21–02 under juni”): creates its planned occurrences.

    The occurrences are ordinary activities (state planned, ``Activity.series``
    pointing here), each later confirmed as done or cancelled on its own.
    """

    class Weekday(models.TextChoices):
        MONDAY = "0", _("måndag")
        TUESDAY = "1", _("tisdag")
        WEDNESDAY = "2", _("onsdag")
        THURSDAY = "3", _("torsdag")
        FRIDAY = "4", _("fredag")
        SATURDAY = "5", _("lördag")
        SUNDAY = "6", _("söndag")

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="activity_series",
        verbose_name=_("åtagande"),
    )
    type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("typ")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(
        _("beskrivning"),
        blank=True,
        help_text=_(
            "Visas för alla. Skriv inget som kan peka ut enskilda personer, särskilt inte unga."
        ),
    )
    place = models.CharField(_("plats"), max_length=200, blank=True)
    # The weekdays as digits, Monday 0 (date.weekday()), e.g. "4" for Fridays, "45" for
    # Fridays and Saturdays.
    weekdays = models.CharField(
        _("veckodagar"),
        max_length=7,
        validators=[RegexValidator(r"^[0-6]{1,7}$", _("Välj minst en veckodag."), code="weekdays")],
    )
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    first_date = models.DateField(_("från och med"))
    last_date = models.DateField(_("till och med"))
    organisations = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("genomförd av"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = ActivitySeriesQuerySet.as_manager()

    class Meta:
        ordering = ["-first_date", "-pk"]
        verbose_name = _("återkommande aktivitet")
        verbose_name_plural = _("återkommande aktiviteter")
        constraints = [
            models.CheckConstraint(
                name="activity_series_last_not_before_first",
                condition=Q(last_date__gte=models.F("first_date")),
                violation_error_message=_("Slutdatumet kan inte vara före startdatumet."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays or "" if d in "0123456"})

    @property
    def time_label(self) -> str:
        return time_label(self.start_time, self.end_time)

    def dates(self) -> list[date]:
        """The days of the occurrences: every chosen weekday from the first to the last date.

        Work past midnight is dated the day it starts.
        """
        days = set(self.weekday_numbers)
        if not (days and self.first_date and self.last_date) or self.last_date < self.first_date:
            return []
        result = []
        day = self.first_date
        # At most one more than the cap is needed to say there are too many.
        while day <= self.last_date and len(result) <= MAX_OCCURRENCES:
            if day.weekday() in days:
                result.append(day)
            day += timedelta(days=1)
        return result

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        times_error = check_times(self.start_time, self.end_time)
        if times_error:
            errors.setdefault(times_error[0], []).append(times_error[1])
        if self.first_date and self.last_date and self.last_date < self.first_date:
            errors.setdefault("last_date", []).append(
                _("Slutdatumet kan inte vara före startdatumet.")
            )
        if self.commitment_id:
            dates = (("first_date", self.first_date), ("last_date", self.last_date))
            check_inside_period(self.commitment.promise, dates, errors)
        if not errors and self.weekday_numbers and self.first_date and self.last_date:
            count = len(self.dates())
            if count == 0:
                errors.setdefault("weekdays", []).append(
                    ValidationError(
                        _(
                            "Ingen av de valda veckodagarna infaller mellan %(first)s och "
                            "%(last)s. Välj en annan veckodag eller fler datum."
                        ),
                        params={
                            "first": date_format(self.first_date),
                            "last": date_format(self.last_date),
                        },
                        code="no_occurrences",
                    )
                )
            elif count > MAX_OCCURRENCES:
                errors.setdefault("last_date", []).append(
                    ValidationError(
                        _(
                            "Det blir fler än %(max)s tillfällen. Välj ett kortare datumintervall "
                            "eller färre veckodagar, och lägg in resten som en ny återkommande "
                            "aktivitet."
                        ),
                        params={"max": MAX_OCCURRENCES},
                        code="too_many",
                    )
                )
        check_type_in_use(self, errors)
        if errors:
            raise ValidationError(errors)


class SumQuerySet(models.QuerySet):
    def public(self) -> SumQuerySet:
        """The sums residents may see: those of published promises (as Activity.objects.public()).

        The rows are made from published activities only (``summaries.py``),
        so this adds the other half of the same rule.
        """
        return self.filter(commitment__promise__status=Promise.Status.PUBLISHED)

    def activity_count(self, state: str | None = None) -> int:
        """How many activities these sums hold: of one state, or of every state.

        The same number as counting the activities of these buckets, read from
        a few rows per commitment and month (the API's counts use it).
        """
        columns = {
            Activity.State.DONE: "done",
            Activity.State.PLANNED: "planned",
            Activity.State.CANCELLED: "cancelled",
        }
        held = F(columns[state]) if state else sum((F(c) for c in columns.values()), Value(0))
        return self.order_by().aggregate(n=Coalesce(Sum(held), Value(0)))["n"]


class MonthlySum(models.Model):
    """A commitment's published work in one month and of one type, summed.

    Kept by ``activities.summaries`` in the same transaction as every save or
    delete of an activity, so a promise's figures are read from a few hundred
    rows instead of every activity (docs/performance.md). Never edited by hand;
    ``manage.py rebuild_monthly_sums`` makes them again from the activities.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="+")
    # Over the work that was done (state "done"):
    done = models.PositiveIntegerField(default=0)
    occasions = models.PositiveBigIntegerField(default=0)
    people_reached = models.PositiveBigIntegerField(default=0)
    people_unknown = models.PositiveIntegerField(default=0)
    latest_done = models.DateField(null=True)
    # How much published work was planned, or cancelled:
    planned = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    # Over all published work (done, planned and cancelled):
    examples = models.PositiveIntegerField(default=0)
    latest_change = models.DateTimeField()

    objects = SumQuerySet.as_manager()
    # Derived from the activities, whose own saves are what listeners (the
    # API's counts) need to hear: they skip these tables.
    DERIVED = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "month", "type"], name="monthly_sum_one_per_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.month:%Y-%m} {self.type_id}"


class OrganisationSum(models.Model):
    """A commitment's published, done activities that an organisation took part in, summed.

    Kept by ``activities.summaries`` with the monthly sums; the activities
    page offers the organisations of a promise's work from these few rows
    instead of joining every activity to its organisations, and shows the
    totals of one organisation's work from them.
    """

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    done = models.PositiveIntegerField()
    occasions = models.PositiveBigIntegerField(default=0)
    people_reached = models.PositiveBigIntegerField(default=0)
    people_unknown = models.PositiveIntegerField(default=0)  # done, people not counted
    examples = models.PositiveIntegerField(default=0)

    objects = SumQuerySet.as_manager()
    # Derived from the activities, whose own saves are what listeners (the
    # API's counts) need to hear: they skip these tables.
    DERIVED = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"], name="organisation_sum_one_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.organisation_id}: {self.done}"
