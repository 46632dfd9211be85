"""The medborgarlöfte itself: who gives it, to whom, for when, and what it commits to."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Public URLs live under /<municipality-slug>/, so a municipality may not take
# the slug of a site-wide page.
RESERVED_SLUGS = {
    "admin",
    "en",
    "sv",
    "static",
    "media",
    "om-webbplatsen",
    "tillganglighetsredogorelse",
    "sok",
    "api",
    "i18n",
}


def _reject_reserved_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("Adressnamnet ”%(slug)s” används redan av webbplatsen. Välj ett annat."),
            params={"slug": value},
            code="reserved",
        )


class Translated:
    """Mixin for models with optional English versions of Swedish text fields."""

    def tr(self, field: str) -> str:
        """The field in the active language, falling back to Swedish when empty."""
        if (get_language() or "sv").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    def tr_lang(self, field: str) -> str:
        """The language code of what tr() returns, for a lang attribute."""
        if (get_language() or "sv").startswith("en") and getattr(self, f"{field}_en", ""):
            return "en"
        return "sv"


class PoliceRegion(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("adressnamn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("polisregion")
        verbose_name_plural = _("polisregioner")

    def __str__(self) -> str:
        return self.name


class PoliceAreaQuerySet(models.QuerySet):
    def for_user(self, user) -> PoliceAreaQuerySet:
        """Police areas that contain a municipality the user's organisations cover."""
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(municipalities__in=Municipality.objects.for_user(user)).distinct()


class PoliceArea(models.Model):
    """Lokalpolisområde (LPO): covers one or several municipalities."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("adressnamn"), max_length=100, unique=True)
    region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("polisregion"),
    )

    objects = PoliceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def with_published_promise(self) -> MunicipalityQuerySet:
        return self.filter(promises__status=Promise.Status.PUBLISHED).distinct()

    def for_user(self, user) -> MunicipalityQuerySet:
        """Municipalities the user's organisations cover; every one for a superuser."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(police_area__organisations__members=user, police_area__organisations__kind="lpo")
            | Q(organisations__members=user, organisations__kind="kommun")
        ).distinct()


class Municipality(models.Model):
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(
        _("adressnamn"),
        max_length=100,
        unique=True,
        validators=[_reject_reserved_slug],
        help_text=_("Används i webbadressen, t.ex. ”harryda”."),
    )
    code = models.CharField(
        _("kommunkod"),
        max_length=4,
        unique=True,
        validators=[
            RegexValidator(r"^\d{4}$", _("Kommunkoden består av exakt fyra siffror, t.ex. 1401."))
        ],
    )
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("lokalpolisområde"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("promises:municipality-detail", kwargs={"municipality": self.slug})


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganisationQuerySet:
        """Organisations working in the user's area: who may be named on its activities.

        The police area organisations and municipalities covering the user's
        municipalities, and partners in those municipalities or not tied to one.
        """
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        municipalities = Municipality.objects.for_user(user)
        return self.filter(
            Q(kind="lpo", police_area__municipalities__in=municipalities)
            | Q(kind="kommun", municipality__in=municipalities)
            | Q(kind="partner", municipality__in=municipalities)
            | Q(kind="partner", municipality__isnull=True)
        ).distinct()

    def staff_of(self, user) -> OrganisationQuerySet:
        """The organisations the user belongs to that grant access (not partners)."""
        return self.filter(members=user).exclude(kind="partner")


class Organisation(models.Model):
    """A party that carries out activities; staff belong to one or more of these.

    A police area's organisation covers all its municipalities, a municipality's
    covers that municipality. Partners (housing companies, schools, associations)
    carry out activities but grant no staff access.
    """

    class Kind(models.TextChoices):
        POLICE_AREA = "lpo", _("Lokalpolisområde")
        MUNICIPALITY = "kommun", _("Kommun")
        PARTNER = "partner", _("Samverkanspartner")

    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=150, unique=True)
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("lokalpolisområde"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("kommun"),
        help_text=_("För en kommun: kommunen. För en partner: kommunen den verkar i, om någon."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisations",
        verbose_name=_("medarbetare"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        constraints = [
            models.CheckConstraint(
                name="organisation_kind_matches_links",
                condition=(
                    Q(kind="lpo", police_area__isnull=False, municipality__isnull=True)
                    | Q(kind="kommun", police_area__isnull=True, municipality__isnull=False)
                    | Q(kind="partner", police_area__isnull=True)
                ),
                violation_error_message=_(
                    "Ett lokalpolisområde anges för typen lokalpolisområde och en kommun för "
                    "typen kommun; en partner kopplas inte till ett lokalpolisområde."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.POLICE_AREA and not self.police_area_id:
            errors["police_area"] = _("Välj vilket lokalpolisområde organisationen är.")
        if self.kind == self.Kind.MUNICIPALITY and not self.municipality_id:
            errors["municipality"] = _("Välj vilken kommun organisationen är.")
        if self.kind != self.Kind.POLICE_AREA and self.police_area_id:
            errors["police_area"] = _(
                "Bara ett lokalpolisområde kopplas till ett lokalpolisområde."
            )
        if self.kind == self.Kind.POLICE_AREA and self.municipality_id:
            errors["municipality"] = _("Ett lokalpolisområde kopplas inte till en enskild kommun.")
        if errors:
            raise ValidationError(errors)

    def covered_municipalities(self) -> models.QuerySet[Municipality]:
        if self.kind == self.Kind.POLICE_AREA:
            return Municipality.objects.filter(police_area_id=self.police_area_id)
        if self.kind == self.Kind.MUNICIPALITY:
            return Municipality.objects.filter(pk=self.municipality_id)
        return Municipality.objects.none()


def _signed_document_path(promise: Promise, filename: str) -> str:
    # An unguessable name: a draft's document is not found by trying addresses.
    return f"promises/signed/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class PromiseQuerySet(models.QuerySet):
    def published(self) -> PromiseQuerySet:
        return self.filter(status=Promise.Status.PUBLISHED)

    def current(self, on=None) -> PromiseQuerySet:
        on = on or timezone.localdate()
        return self.filter(period_start__lte=on, period_end__gte=on)

    def for_municipality(self, municipality: Municipality) -> PromiseQuerySet:
        return self.filter(municipalities=municipality)

    def for_user(self, user) -> PromiseQuerySet:
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(municipalities__in=Municipality.objects.for_user(user)).distinct()


class Promise(Translated, models.Model):
    """Medborgarlöfte: a local police area's and municipalities' promise for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    municipalities = models.ManyToManyField(
        Municipality, related_name="promises", verbose_name=_("kommuner")
    )
    police_area = models.ForeignKey(
        PoliceArea,
        on_delete=models.PROTECT,
        related_name="promises",
        verbose_name=_("lokalpolisområde"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    slug = models.SlugField(
        _("adressnamn"),
        max_length=50,
        help_text=_(
            "Används i webbadressen, t.ex. ”2022-2024”. Lämna tomt för att skapa från perioden."
        ),
        blank=True,
    )
    period_start = models.DateField(_("gäller från"))
    period_end = models.DateField(_("gäller till och med"))
    focus = models.CharField(
        _("särskilt fokus"),
        max_length=200,
        blank=True,
        help_text=_("Fortsättningen på ”Särskilt fokus på …”, t.ex. ”ungdomar i riskzon”."),
    )
    focus_en = models.CharField(_("särskilt fokus på engelska"), max_length=200, blank=True)
    summary = models.TextField(_("inledning"), blank=True)
    summary_en = models.TextField(_("inledning på engelska"), blank=True)
    background = models.TextField(_("bakgrund och lokal lägesbild"), blank=True)
    background_en = models.TextField(_("bakgrund på engelska"), blank=True)
    commitments_intro = models.TextField(
        _("inledning till åtagandena"),
        blank=True,
        help_text=_("Text före listan ”Det här lovar vi”, om löftet har en sådan."),
    )
    commitments_intro_en = models.TextField(_("inledning till åtagandena på engelska"), blank=True)
    goal = models.TextField(_("målet"), blank=True)
    goal_en = models.TextField(_("målet på engelska"), blank=True)
    how_to_follow = models.TextField(
        _("så kan invånarna följa arbetet"),
        blank=True,
    )
    how_to_follow_en = models.TextField(
        _("så kan invånarna följa arbetet, på engelska"), blank=True
    )
    signed_on = models.DateField(_("undertecknat den"), null=True, blank=True)
    signed_by = models.CharField(
        _("undertecknat av"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. kommunstyrelsens ordförande och lokalpolisområdeschefen."),
    )
    signed_document = models.FileField(
        _("undertecknat dokument"),
        upload_to=_signed_document_path,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf"], _("Ladda upp det undertecknade löftet som en PDF-fil."))
        ],
        help_text=_("PDF. Publiceras tillsammans med medborgarlöftet."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_example = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Påhittat exempel för demonstration, märks tydligt på webbplatsen."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[municipalities])
    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("medborgarlöfte")
        verbose_name_plural = _("medborgarlöften")
        constraints = [
            models.CheckConstraint(
                name="promise_period_end_after_start",
                condition=Q(period_end__gt=models.F("period_start")),
                violation_error_message=_("Perioden måste sluta efter att den börjar."),
            ),
        ]
        indexes = [models.Index(fields=["status", "period_start", "period_end"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_label})"

    @property
    def period_label(self) -> str:
        if not (self.period_start and self.period_end):
            return ""
        return f"{date_format(self.period_start)} – {date_format(self.period_end)}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.period_start <= on <= self.period_end

    def has_ended(self, on=None) -> bool:
        return (on or timezone.localdate()) > self.period_end

    def default_slug(self) -> str:
        if self.period_start.year == self.period_end.year:
            return str(self.period_start.year)
        return f"{self.period_start.year}-{self.period_end.year}"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError(
                {"period_end": _("Perioden måste sluta efter att den börjar.")}, code="period"
            )
        if not self.slug and self.period_start and self.period_end:
            self.slug = self.default_slug()
        if self.slug:
            self.slug = slugify(self.slug)
        if self.pk and self.period_start and self.period_end:
            self._check_activities_inside_period()
        if self.pk and not self._municipalities_checked_elsewhere:
            self.validate_municipalities(self.municipalities.all())

    def _check_activities_inside_period(self) -> None:
        """A new period may not leave logged activities outside it.

        Otherwise the totals and the month-by-month figures residents check
        them against would no longer agree.
        """
        from activities.models import Activity

        outside = Activity.objects.filter(commitment__promise=self).filter(
            Q(date__lt=self.period_start)
            | Q(date__gt=self.period_end)
            | Q(end_date__gt=self.period_end)
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

    # A form that edits the municipalities together with the promise validates
    # the new set itself (see PromiseAdminForm) and sets this, so that the old
    # set is not checked against the new period.
    _municipalities_checked_elsewhere = False

    def save(self, *args, **kwargs) -> None:
        if not self.slug and self.period_start and self.period_end:
            self.slug = self.default_slug()
        if self.pk and not self._municipalities_checked_elsewhere:
            # Publishing through code that skips full_clean() must not slip an
            # overlapping promise past the rule either.
            self.validate_municipalities(self.municipalities.all())
        super().save(*args, **kwargs)

    def validate_municipalities(self, municipalities: Iterable[Municipality]) -> None:
        """Raise a ValidationError if this promise clashes with another one.

        Two published promises for the same municipality may not overlap in
        time, and two promises for the same municipality may not share an
        address (slug).
        """
        municipalities = list(municipalities)
        if not municipalities:
            return
        others = Promise.objects.filter(municipalities__in=municipalities).exclude(pk=self.pk)
        errors = []
        if self.status == self.Status.PUBLISHED and self.period_start and self.period_end:
            overlapping = (
                others.published()
                .filter(period_start__lte=self.period_end, period_end__gte=self.period_start)
                .distinct()
            )
            for other in overlapping:
                names = ", ".join(m.name for m in other.municipalities.all() if m in municipalities)
                errors.append(
                    ValidationError(
                        _(
                            "Perioden överlappar det publicerade medborgarlöftet ”%(title)s” "
                            "(%(period)s) för %(names)s. En kommun kan bara ha ett publicerat "
                            "medborgarlöfte åt gången."
                        ),
                        params={"title": other.title, "period": other.period_label, "names": names},
                        code="overlap",
                    )
                )
        slug = self.slug or (self.default_slug() if self.period_start and self.period_end else "")
        if slug and others.filter(slug=slug).exists():
            errors.append(
                ValidationError(
                    _(
                        "En av kommunerna har redan ett medborgarlöfte med adressnamnet "
                        "”%(slug)s”. Välj ett annat adressnamn."
                    ),
                    params={"slug": slug},
                    code="slug",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self, municipality: Municipality | None = None) -> str:
        if municipality is None:
            municipality = self.primary_municipality
        return reverse(
            "promises:promise-detail",
            kwargs={"municipality": municipality.slug, "promise": self.slug},
        )

    @property
    def primary_municipality(self) -> Municipality:
        """The municipality whose address the promise is shown under by default."""
        # Uses the prefetch cache when the view prefetched municipalities.
        return sorted(self.municipalities.all(), key=lambda m: m.name)[0]


class CommitmentQuerySet(models.QuerySet):
    def public(self) -> CommitmentQuerySet:
        return self.filter(promise__status=Promise.Status.PUBLISHED)

    def for_user(self, user) -> CommitmentQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(promise__in=Promise.objects.for_user(user))


class Commitment(Translated, models.Model):
    """Åtagande: one thing the promise says will be done."""

    class LeadParty(models.TextChoices):
        POLICE = "police", _("Polisen")
        MUNICIPALITY = "municipality", _("Kommunen")
        JOINT = "joint", _("Polisen och kommunen")
        PARTNER = "partner", _("Samverkanspartner")

    class Measure(models.TextChoices):
        OCCASIONS = "occasions", _("tillfällen")
        PEOPLE_REACHED = "people", _("personer nådda")

    class Outcome(models.TextChoices):
        """The staff's own assessment, as in the yearly follow-up."""

        NONE = "", _("Ej bedömt")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomfört")
        PARTLY = "partly", _("Delvis genomfört")
        NOT_DONE = "not_done", _("Ej genomfört")

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("medborgarlöfte"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("rubrik"), max_length=300)
    title_en = models.CharField(_("rubrik på engelska"), max_length=300, blank=True)
    slug = models.SlugField(
        _("adressnamn"),
        max_length=80,
        blank=True,
        help_text=_("Används i webbadressen. Lämna tomt för att skapa från rubriken."),
    )
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    lead_party = models.CharField(
        _("ansvarig part"), max_length=20, choices=LeadParty.choices, default=LeadParty.JOINT
    )
    target_value = models.PositiveIntegerField(
        _("mål (antal)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("Målet måste vara minst 1. Lämna tomt om det saknas."))],
        help_text=_(
            "Minst så många under perioden, t.ex. 300. Lämna tomt om åtagandet saknar mål."
        ),
    )
    target_unit = models.CharField(
        _("enhet för målet"),
        max_length=100,
        blank=True,
        help_text=_("Vad som räknas, i plural, t.ex. ”fotpatrulleringar”."),
    )
    target_unit_en = models.CharField(_("enhet på engelska"), max_length=100, blank=True)
    target_measure = models.CharField(
        _("räknas i"),
        max_length=10,
        choices=Measure.choices,
        default=Measure.OCCASIONS,
        help_text=_("Summan av aktiviteternas tillfällen eller av antalet nådda personer."),
    )
    target_activity_type = models.ForeignKey(
        "activities.ActivityType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("räkna bara aktiviteter av typen"),
        help_text=_("Lämna tomt för att räkna alla aktiviteter under åtagandet."),
    )
    outcome = models.CharField(
        _("bedömning"), max_length=10, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    outcome_note = models.TextField(
        _("förklaring till bedömningen"),
        blank=True,
        help_text=_("Visas för invånarna. Förklara särskilt varför ett åtagande inte hölls."),
    )
    outcome_note_en = models.TextField(_("förklaring på engelska"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = HistoricalRecords()
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "position", "pk"]
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "slug"],
                name="commitment_unique_slug_per_promise",
                violation_error_message=_(
                    "Ett annat åtagande i samma medborgarlöfte har redan det adressnamnet."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.target_value is not None and not self.target_unit:
            raise ValidationError(
                {"target_unit": _("Ange vad målet räknar, t.ex. ”fotpatrulleringar”.")}
            )
        if self.target_unit and self.target_value is None:
            raise ValidationError({"target_value": _("Ange målets antal, eller ta bort enheten.")})

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        # Whole words up to about 50 characters: readable and stable in a URL.
        base = ""
        for word in slugify(self.title).split("-"):
            if base and len(base) + len(word) + 1 > 50:
                break
            base = f"{base}-{word}" if base else word
        base = base[:70] or "atagande"
        slug, n = base, 2
        siblings = Commitment.objects.filter(promise_id=self.promise_id).exclude(pk=self.pk)
        while siblings.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self, municipality: Municipality | None = None) -> str:
        municipality = municipality or self.promise.primary_municipality
        return reverse(
            "promises:commitment-detail",
            kwargs={
                "municipality": municipality.slug,
                "promise": self.promise.slug,
                "commitment": self.slug,
            },
        )


class ContactQuerySet(models.QuerySet):
    def for_user(self, user) -> ContactQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(promise__in=Promise.objects.for_user(user))


class Contact(models.Model):
    """A person or function residents can turn to about the promise."""

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("medborgarlöfte")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    name = models.CharField(
        _("namn"),
        max_length=150,
        help_text=_("En person eller en funktion, t.ex. ”Kommunpolisen”."),
    )
    role = models.CharField(_("roll"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    phone = models.CharField(
        _("telefon"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[\d \-]{5,}$",
                _(
                    "Ange telefonnumret med siffror, mellanslag och bindestreck, t.ex. 010-565 41 38."
                ),
            )
        ],
    )
    email = models.EmailField(_("e-post"), blank=True)

    history = HistoricalRecords()
    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "position", "pk"]
        verbose_name = _("kontakt")
        verbose_name_plural = _("kontakter")

    def __str__(self) -> str:
        return self.name

    @property
    def phone_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        if digits.startswith("0"):
            digits = "+46" + digits[1:]
        return f"tel:{digits}"
