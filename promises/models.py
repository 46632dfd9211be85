"""The medborgarlöfte itself: who gives it, to whom, for when, and what it commits to."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .history import OneRecordPerChange


# Public URLs live under /<municipality-slug>/, so a municipality may not take
# an address the site already answers in another way. The URL configuration
# is asked rather than a list of other apps' paths kept here.
def _taken_first_segments() -> set[str]:
    """The first path segments the site answers itself: from the URLconf, the
    language prefixes, and the static and media folders served before it."""
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    taken = {code for code, _name in settings.LANGUAGES}
    taken |= {url.strip("/").split("/")[0] for url in (settings.STATIC_URL, settings.MEDIA_URL)}

    def walk(patterns) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver) and (
                isinstance(entry.pattern, LocalePrefixPattern) or not str(entry.pattern)
            ):
                walk(entry.url_patterns)  # /en/ and no prefix, or an include at the root
                continue
            first = str(entry.pattern).lstrip("^").split("/")[0]
            if first and "<" not in first and "(" not in first:
                taken.add(first.split(".")[0])

    walk(get_resolver().url_patterns)
    return taken


def _reject_reserved_slug(value: str) -> None:
    if value in _taken_first_segments():
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


class County(models.Model):
    """Län: the kommunkod's first two digits are its code (SCB)."""

    code = models.CharField(
        _("länskod"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Länskoden består av två siffror, t.ex. 14."))],
    )
    name = models.CharField(_("namn"), max_length=100, unique=True)
    police_region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="counties",
        verbose_name=_("polisregion"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def for_user(self, user) -> MunicipalityQuerySet:
        """Municipalities the user's organisations work in: every one for a superuser.

        A police area's staff reach the municipalities their area covers, whole
        or in part (districts); a municipality's staff reach that municipality.
        """
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        areas = PoliceArea.objects.for_staff(user)
        return self.filter(
            Q(pk__in=areas.values("municipalities"))
            | Q(pk__in=District.objects.filter(police_areas__in=areas).values("municipality"))
            | Q(pk__in=Organisation.objects.staff_of(user).values("municipality"))
        )


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
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("län"),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.county_id and self.code and not self.code.startswith(self.county.code):
            raise ValidationError(
                {
                    "county": _(
                        "Kommunkoden %(code)s hör till län %(prefix)s, inte till %(county)s."
                    )
                    % {"code": self.code, "prefix": self.code[:2], "county": self.county}
                }
            )

    def get_absolute_url(self) -> str:
        return reverse("public:municipality-detail", kwargs={"municipality": self.slug})


class DistrictQuerySet(models.QuerySet):
    def for_user(self, user) -> DistrictQuerySet:
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(municipality__in=Municipality.objects.for_user(user))


class District(models.Model):
    """A part of a municipality that promises are given for: a stadsdel or an area."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("kommun"),
    )
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(
        _("adressnamn"),
        max_length=100,
        help_text=_("Används i webbadressen, t.ex. ”sodermalm”."),
    )

    history = OneRecordPerChange()
    objects = DistrictQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("stadsdel eller område")
        verbose_name_plural = _("stadsdelar och områden")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                name="district_unique_slug_per_municipality",
                violation_error_message=_("Kommunen har redan ett område med det adressnamnet."),
            ),
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="district_unique_name_per_municipality",
                violation_error_message=_("Kommunen har redan ett område med det namnet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"


class PoliceAreaQuerySet(models.QuerySet):
    def for_staff(self, user) -> PoliceAreaQuerySet:
        """The police areas whose own organisation the user belongs to."""
        return self.filter(
            pk__in=Organisation.objects.staff_of(user)
            .filter(kind=Organisation.Kind.POLICE_AREA)
            .values("police_area")
        )

    def for_user(self, user) -> PoliceAreaQuerySet:
        """The user's own police areas and those working in the user's municipalities."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        municipalities = Municipality.objects.for_user(user)
        return self.filter(
            Q(pk__in=self.for_staff(user).values("pk"))
            | Q(municipalities__in=municipalities)
            | Q(districts__municipality__in=municipalities)
        ).distinct()


class PoliceArea(models.Model):
    """Lokalpolisområde (LPO): covers whole municipalities, districts of them, or both."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("adressnamn"), max_length=100, unique=True)
    region = models.ForeignKey(
        PoliceRegion,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name=_("polisregion"),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="police_areas",
        verbose_name=_("hela kommuner"),
        help_text=_("Kommuner som lokalpolisområdet täcker helt."),
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="police_areas",
        verbose_name=_("stadsdelar och områden"),
        help_text=_("Delar av kommuner som lokalpolisområdet täcker, t.ex. i en storstad."),
    )

    objects = PoliceAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("lokalpolisområde")
        verbose_name_plural = _("lokalpolisområden")

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganisationQuerySet:
        """Organisations working in the user's area: who may be named on its work.

        The police areas and municipalities working where the user works, and
        partners in those municipalities or not tied to one.
        """
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        municipalities = Municipality.objects.for_user(user)
        return self.filter(
            Q(kind="lpo", police_area__in=PoliceArea.objects.for_user(user))
            | Q(kind="kommun", municipality__in=municipalities)
            | Q(kind="partner", municipality__in=municipalities)
            | Q(kind="partner", municipality__isnull=True)
        ).distinct()

    def staff_of(self, user) -> OrganisationQuerySet:
        """The organisations the user belongs to that grant access (not partners)."""
        return self.filter(members=user).exclude(kind="partner")

    def partners(self) -> OrganisationQuerySet:
        return self.filter(kind="partner")


class Organisation(models.Model):
    """A party that promises and carries out work; staff belong to one or more of these.

    A police area's organisation reaches the promises its police area gives, a
    municipality's those it signs or that apply there. Partners (housing
    companies, Kustbevakningen, associations) promise and carry out work but
    grant no staff access.
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


class ActivityType(Translated, models.Model):
    """A managed list of kinds of work (foot patrol, safety walk, …).

    It lives with the promises because a commitment may count only one kind.
    """

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


class AbbreviationQuerySet(models.QuerySet):
    def longest_first(self) -> AbbreviationQuerySet:
        """Longer terms first, so that a term inside a longer one is not matched first."""
        return self.order_by(Length("term").desc(), "term")


class Abbreviation(Translated, models.Model):
    """An abbreviation used in activity types and titles (SSPF, LPO, …), explained to residents.

    Public pages wrap a known term in ``<abbr title="expansion">`` and list them
    all on the glossary page.
    """

    term = models.CharField(
        _("förkortning"),
        max_length=20,
        unique=True,
        help_text=_(
            "Skrivs exakt som i texterna, med stora och små bokstäver, t.ex. ”SSPF” eller ”Brå”."
        ),
        validators=[
            RegexValidator(
                r"^\w[\w./-]*$", _("Förkortningen är ett ord utan mellanslag, t.ex. ”SSPF”.")
            )
        ],
    )
    expansion = models.CharField(
        _("betydelse"), max_length=200, help_text=_("Vad förkortningen står för.")
    )
    expansion_en = models.CharField(_("betydelse på engelska"), max_length=200, blank=True)
    description = models.TextField(
        _("förklaring"), blank=True, help_text=_("Frivillig: vad det är, med ett par meningar.")
    )
    description_en = models.TextField(_("förklaring på engelska"), blank=True)

    objects = AbbreviationQuerySet.as_manager()

    class Meta:
        ordering = ["term"]
        verbose_name = _("förkortning")
        verbose_name_plural = _("förkortningar")

    def __str__(self) -> str:
        return self.term


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
        """What the user's organisations give, sign, or where their municipality is covered.

        Staff of a police area reach the promises their police area gives, and
        not those of another police area in the same city; staff of a
        municipality reach those it signs and those that apply there.
        """
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        staff_of = Organisation.objects.staff_of(user)
        areas = staff_of.filter(kind=Organisation.Kind.POLICE_AREA).values("police_area")
        municipalities = staff_of.filter(kind=Organisation.Kind.MUNICIPALITY).values("municipality")
        through = Promise.police_areas.through.objects.filter(policearea_id__in=areas)
        signed = Promise.signing_municipalities.through.objects.filter(
            municipality_id__in=municipalities
        )
        applies = Promise.municipalities.through.objects.filter(municipality_id__in=municipalities)
        return self.filter(
            Q(pk__in=through.values("promise_id"))
            | Q(pk__in=signed.values("promise_id"))
            | Q(pk__in=applies.values("promise_id"))
        )


class Promise(Translated, models.Model):
    """Medborgarlöfte: given by police areas (and municipalities, partners) for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    # Who gives it.
    police_areas = models.ManyToManyField(
        PoliceArea,
        related_name="promises",
        verbose_name=_("lokalpolisområden som lovar"),
    )
    signing_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="signed_promises",
        verbose_name=_("kommuner som lovar"),
        help_text=_("Lämna tomt om polisen ger löftet ensam."),
    )
    partners = models.ManyToManyField(
        "Organisation",
        blank=True,
        related_name="partner_promises",
        limit_choices_to={"kind": "partner"},
        verbose_name=_("samverkanspartner som lovar"),
    )
    # Where it applies.
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="promises",
        verbose_name=_("gäller i kommunerna"),
    )
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="promises",
        verbose_name=_("gäller bara i stadsdelarna eller områdena"),
        help_text=_(
            "Lämna tomt om löftet gäller i hela kommunerna. Annars gäller det bara i de "
            "valda delarna av respektive kommun."
        ),
    )
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("förnyar"),
        help_text=_("Det tidigare medborgarlöfte som det här förnyar eller förlänger."),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    slug = models.SlugField(
        _("adressnamn"),
        max_length=50,
        help_text=_(
            "Används i webbadressen, t.ex. ”2022-2024” eller ”sodermalm-2025”. Lämna tomt "
            "för att skapa från området och perioden."
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

    history = OneRecordPerChange(
        m2m_fields=[police_areas, signing_municipalities, partners, municipalities, districts]
    )
    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "pk"]
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

    def has_started(self, on=None) -> bool:
        return (on or timezone.localdate()) >= self.period_start

    def default_slug(self, districts: Iterable[District] = ()) -> str:
        """The period's years, after the district's name when the promise is for one."""
        if self.period_start.year == self.period_end.year:
            years = str(self.period_start.year)
        else:
            years = f"{self.period_start.year}-{self.period_end.year}"
        districts = list(districts)
        if len(districts) == 1:
            return f"{districts[0].slug}-{years}"[:50]
        return years

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValidationError(
                {"period_end": _("Perioden måste sluta efter att den börjar.")}, code="period"
            )
        if self.slug:
            self.slug = slugify(self.slug)
        if self.pk and self.period_start and self.period_end:
            errors = []
            for check in PROMISE_PERIOD_CHECKS:
                try:
                    check(self)
                except ValidationError as error:
                    errors.append(error)
            if errors:
                raise ValidationError(errors)
        if self.pk or self.pending_coverage:
            check_coverage(self, **(self.pending_coverage or {}))

    # The municipalities and districts a form (or a command) is about to save
    # with this promise, as {"municipalities": …, "districts": …}: clean() and
    # save() check those rather than the stored ones, which are not yet
    # replaced when the promise itself is validated and saved.
    pending_coverage: dict | None = None

    def save(self, *args, **kwargs) -> None:
        coverage = self.pending_coverage or {}
        if not self.slug and self.period_start and self.period_end:
            districts = coverage.get("districts")
            if districts is None:
                districts = self.districts.all() if self.pk else ()
            self.slug = self.default_slug(districts)
        if self.pk or coverage:
            # Publishing or moving the period through code that skips
            # full_clean() must not slip a clashing promise past the rule.
            check_coverage(self, **coverage)
        super().save(*args, **kwargs)

    def get_absolute_url(self, municipality: Municipality | None = None) -> str:
        if municipality is None:
            municipality = self.primary_municipality
        return reverse(
            "public:promise-detail",
            kwargs={"municipality": municipality.slug, "promise": self.slug},
        )

    @property
    def primary_municipality(self) -> Municipality:
        """The municipality whose address the promise is shown under by default."""
        # Uses the prefetch cache when the view prefetched municipalities.
        return sorted(self.municipalities.all(), key=lambda m: m.name)[0]

    @property
    def givers(self) -> list[str]:
        """Who gives the promise, by name: police areas, signing municipalities, partners."""
        names = [f"{_('Lokalpolisområde')} {area.name}" for area in self.police_areas.all()]
        names += [m.name for m in self.signing_municipalities.all()]
        names += [p.name for p in self.partners.all()]
        return names


# Checks of a promise's period that live with the apps built on promises
# (activities: no logged activity may fall outside the period). They register
# themselves here in their AppConfig.ready(), so that this app imports none of
# them and Promise.clean() still runs them on every path.
PROMISE_PERIOD_CHECKS: list = []


def _coverage(municipalities: Iterable[Municipality], districts: Iterable[District]):
    """What a promise covers: whole municipalities, and districts where it names some."""
    districts = list(districts)
    narrowed = {d.municipality_id for d in districts}
    whole = {m.pk: m for m in municipalities if m.pk not in narrowed}
    return whole, {d.pk: d for d in districts}


def check_coverage(
    promise: Promise,
    *,
    municipalities: Iterable[Municipality] | None = None,
    districts: Iterable[District] | None = None,
    status: str | None = None,
) -> None:
    """The one rule on where and when promises may coexist; raises a ValidationError.

    Two published promises may not overlap in time for the same coverage: the
    same whole municipality, or the same district. Different districts of one
    city may overlap freely. Two promises sharing a municipality may not share
    an address either. Every path goes through here: the model's clean() and
    save(), the admin form (with the relations it is about to save) and the
    signals on the relations (add() from code or an import).
    """
    if municipalities is None:
        municipalities = promise.municipalities.all() if promise.pk else []
    if districts is None:
        districts = promise.districts.all() if promise.pk else []
    municipalities, districts = list(municipalities), list(districts)
    if not municipalities:
        return
    for district in districts:
        if district.municipality_id not in {m.pk for m in municipalities}:
            raise ValidationError(
                _(
                    "Området %(district)s ligger i %(municipality)s, som inte är en av "
                    "kommunerna löftet gäller i. Lägg till kommunen eller ta bort området."
                ),
                params={"district": district.name, "municipality": district.municipality.name},
                code="district_outside",
            )
    status = status or promise.status
    whole, narrowed = _coverage(municipalities, districts)
    others = (
        Promise.objects.filter(municipalities__in=municipalities)
        .exclude(pk=promise.pk)
        .distinct()
        .prefetch_related("municipalities", "districts")
    )
    errors = []
    if status == Promise.Status.PUBLISHED and promise.period_start and promise.period_end:
        overlapping = others.published().filter(
            period_start__lte=promise.period_end, period_end__gte=promise.period_start
        )
        for other in overlapping:
            other_whole, other_narrowed = _coverage(
                other.municipalities.all(), other.districts.all()
            )
            shared = [whole[pk].name for pk in whole.keys() & other_whole.keys()]
            shared += [narrowed[pk].name for pk in narrowed.keys() & other_narrowed.keys()]
            if shared:
                errors.append(
                    ValidationError(
                        _(
                            "Perioden överlappar det publicerade medborgarlöftet ”%(title)s” "
                            "(%(period)s), som också gäller i %(names)s. Samma kommun eller "
                            "samma område kan bara ha ett publicerat medborgarlöfte åt gången; "
                            "olika stadsdelar i en kommun kan ha var sitt."
                        ),
                        params={
                            "title": other.title,
                            "period": other.period_label,
                            "names": ", ".join(sorted(shared)),
                        },
                        code="overlap",
                    )
                )
    slug = promise.slug
    if not slug and promise.period_start and promise.period_end:
        slug = promise.default_slug(districts)
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


class PriorityAreaQuerySet(models.QuerySet):
    def for_user(self, user) -> PriorityAreaQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(promise__in=Promise.objects.for_user(user))


class PriorityArea(Translated, models.Model):
    """A heading that groups commitments, e.g. ”Ungdomar” or ”Otrygga platser”."""

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="priority_areas",
        verbose_name=_("medborgarlöfte"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)

    history = OneRecordPerChange()
    objects = PriorityAreaQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "position", "pk"]
        verbose_name = _("prioriterat område")
        verbose_name_plural = _("prioriterade områden")

    def __str__(self) -> str:
        return self.title


class CommitmentQuerySet(models.QuerySet):
    def public(self) -> CommitmentQuerySet:
        return self.filter(promise__status=Promise.Status.PUBLISHED)

    def current(self, on=None) -> CommitmentQuerySet:
        """Commitments of promises whose period includes the day: the only ones staff
        may log new work on."""
        on = on or timezone.localdate()
        return self.filter(promise__period_start__lte=on, promise__period_end__gte=on)

    def for_user(self, user) -> CommitmentQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(promise__in=Promise.objects.for_user(user))


class Commitment(Translated, models.Model):
    """Åtagande: one thing the promise says will be done, and by whom."""

    class Measure(models.TextChoices):
        OCCASIONS = "occasions", _("tillfällen")
        PEOPLE_REACHED = "people", _("personer nådda")

    class TargetPeriod(models.TextChoices):
        """What the target figure is counted over."""

        PERIOD = "period", _("under hela perioden")
        YEAR = "year", _("per år")
        MONTH = "month", _("per månad")
        WEEK = "week", _("per vecka")
        AS_NEEDED = "as_needed", _("vid behov (inget mål)")

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("medborgarlöfte"),
    )
    priority_area = models.ForeignKey(
        PriorityArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("prioriterat område"),
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
    parties = models.ManyToManyField(
        Organisation,
        related_name="commitments",
        blank=True,
        verbose_name=_("vem lovar"),
        help_text=_(
            "Polisen, en eller flera kommuner, eller en namngiven samverkanspartner. "
            "Lämna tomt om alla som ger löftet lovar tillsammans."
        ),
    )
    target_value = models.PositiveIntegerField(
        _("mål (antal)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("Målet måste vara minst 1. Lämna tomt om det saknas."))],
        help_text=_("Minst så många, t.ex. 300. Lämna tomt om åtagandet saknar mål."),
    )
    target_period = models.CharField(
        _("målet gäller"),
        max_length=10,
        choices=TargetPeriod.choices,
        default=TargetPeriod.PERIOD,
        help_text=_(
            "T.ex. ”minst sex tillfällen per år”. ”Vid behov” är för åtaganden som görs när "
            "invånare ber om det: de har inget mål och ingen takt."
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
        ActivityType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("räkna bara aktiviteter av typen"),
        help_text=_("Lämna tomt för att räkna alla aktiviteter under åtagandet."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = OneRecordPerChange(m2m_fields=[parties])
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

    @property
    def is_as_needed(self) -> bool:
        return self.target_period == self.TargetPeriod.AS_NEEDED

    def clean(self) -> None:
        super().clean()
        if self.is_as_needed:
            if self.target_value is not None:
                raise ValidationError(
                    {"target_value": _("Ett åtagande ”vid behov” har inget mål. Lämna tomt.")}
                )
        else:
            if self.target_value is not None and not self.target_unit:
                raise ValidationError(
                    {"target_unit": _("Ange vad målet räknar, t.ex. ”fotpatrulleringar”.")}
                )
            if self.target_unit and self.target_value is None:
                raise ValidationError(
                    {"target_value": _("Ange målets antal, eller ta bort enheten.")}
                )
        if (
            self.priority_area_id
            and self.promise_id
            and self.priority_area.promise_id != self.promise_id
        ):
            raise ValidationError(
                {"priority_area": _("Det prioriterade området hör till ett annat löfte.")}
            )

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
            "public:commitment-detail",
            kwargs={
                "municipality": municipality.slug,
                "promise": self.promise.slug,
                "commitment": self.slug,
            },
        )


class FollowUpQuerySet(models.QuerySet):
    def published(self) -> FollowUpQuerySet:
        return self.filter(
            status=FollowUp.Status.PUBLISHED, promise__status=Promise.Status.PUBLISHED
        )

    def for_user(self, user) -> FollowUpQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(promise__in=Promise.objects.for_user(user))


class FollowUp(Translated, models.Model):
    """Uppföljning: the staff's assessment of each commitment for a period inside the promise's."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("medborgarlöfte"),
    )
    title = models.CharField(
        _("rubrik"),
        max_length=200,
        help_text=_("T.ex. ”Uppföljning 2023” eller ”Uppföljning maj 2024”."),
    )
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    period_start = models.DateField(_("följer upp från"))
    period_end = models.DateField(_("till och med"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    narrative = models.TextField(
        _("sammanfattning och lärdomar"),
        blank=True,
        help_text=_("Vad som gick bra och mindre bra, och varför."),
    )
    narrative_en = models.TextField(_("sammanfattning på engelska"), blank=True)
    next_steps = models.TextField(
        _("det här ändras till nästa period"),
        blank=True,
    )
    next_steps_en = models.TextField(_("nästa period på engelska"), blank=True)
    published_on = models.DateField(_("publicerad den"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = OneRecordPerChange()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "-period_end", "pk"]
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        constraints = [
            models.CheckConstraint(
                name="follow_up_period_end_not_before_start",
                condition=Q(period_end__gte=models.F("period_start")),
                violation_error_message=_(
                    "Uppföljningens period måste sluta efter att den börjar."
                ),
            ),
        ]
        indexes = [models.Index(fields=["promise", "status", "period_end"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def period_label(self) -> str:
        if not (self.period_start and self.period_end):
            return ""
        return f"{date_format(self.period_start)} – {date_format(self.period_end)}"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("Uppföljningens period måste sluta efter att den börjar.")}
            )
        if self.promise_id and self.period_start and self.period_end:
            promise = self.promise
            if self.period_start < promise.period_start or self.period_end > promise.period_end:
                raise ValidationError(
                    _(
                        "Uppföljningens period måste ligga inom medborgarlöftets period "
                        "(%(period)s)."
                    ),
                    params={"period": promise.period_label},
                    code="outside_period",
                )

    def save(self, *args, **kwargs) -> None:
        if self.is_published and self.published_on is None:
            self.published_on = timezone.localdate()
        super().save(*args, **kwargs)


class AssessmentQuerySet(models.QuerySet):
    def public(self) -> AssessmentQuerySet:
        """Assessments residents may see: those of published follow-ups of published promises."""
        return self.filter(follow_up__in=FollowUp.objects.published())

    def for_user(self, user) -> AssessmentQuerySet:
        if user.is_superuser and user.is_active:
            return self.all()
        return self.filter(follow_up__promise__in=Promise.objects.for_user(user))


class Assessment(Translated, models.Model):
    """One commitment's assessment in a follow-up, with the reason when it was not done."""

    class Verdict(models.TextChoices):
        DONE = "done", _("Genomfört")
        PARTLY = "partly", _("Delvis genomfört")
        NOT_DONE = "not_done", _("Ej genomfört")
        ONGOING = "ongoing", _("Pågår")
        NOT_APPLICABLE = "not_applicable", _("Ej aktuellt")

    follow_up = models.ForeignKey(
        FollowUp,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("uppföljning"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("åtagande"),
    )
    verdict = models.CharField(_("bedömning"), max_length=20, choices=Verdict.choices)
    explanation = models.TextField(
        _("förklaring"),
        blank=True,
        help_text=_(
            "Visas för invånarna. Krävs när åtagandet inte är genomfört: säg varför, och vad "
            "som görs nu."
        ),
    )
    explanation_en = models.TextField(_("förklaring på engelska"), blank=True)

    history = OneRecordPerChange()
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["follow_up", "commitment__position", "pk"]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "commitment"],
                name="assessment_one_per_commitment_and_follow_up",
                violation_error_message=_("Åtagandet är redan bedömt i den här uppföljningen."),
            ),
        ]

    def __str__(self) -> str:
        # A commitment's title is often a sentence: no ".:" before the verdict.
        return f"{str(self.commitment).rstrip('.')}: {self.get_verdict_display()}"

    def clean(self) -> None:
        super().clean()
        if self.verdict and self.verdict != self.Verdict.DONE and not self.explanation.strip():
            raise ValidationError(
                {
                    "explanation": _(
                        "Förklara bedömningen ”%(verdict)s”: invånarna ska få veta varför ett "
                        "åtagande inte är genomfört."
                    )
                    % {"verdict": self.get_verdict_display()}
                }
            )
        if (
            self.follow_up_id
            and self.commitment_id
            and self.commitment.promise_id != self.follow_up.promise_id
        ):
            raise ValidationError({"commitment": _("Åtagandet hör till ett annat medborgarlöfte.")})


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

    history = OneRecordPerChange()
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


class IndicatorQuerySet(models.QuerySet):
    def public(self) -> IndicatorQuerySet:
        """The one definition of which indicators residents may see."""
        return self.published().filter(
            Q(promise__isnull=True) | Q(promise__status=Promise.Status.PUBLISHED)
        )

    def published(self) -> IndicatorQuerySet:
        """Published indicators, whatever their promise's status (for staff previews)."""
        return self.filter(status=Indicator.Status.PUBLISHED)

    def for_promise(self, promise: Promise) -> IndicatorQuerySet:
        """Indicators shown with a promise: its own, and those of the municipalities it covers."""
        return self.filter(
            Q(promise=promise)
            | Q(
                promise__isnull=True,
                pk__in=Indicator.municipalities.through.objects.filter(
                    municipality__in=promise.municipalities.all()
                ).values("indicator"),
            )
        )

    def for_user(self, user) -> IndicatorQuerySet:
        """Those of the user's promises, and those measured in the user's municipalities."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(promise__in=Promise.objects.for_user(user))
            | Q(
                promise__isnull=True,
                pk__in=Indicator.municipalities.through.objects.filter(
                    municipality__in=Municipality.objects.for_user(user)
                ).values("indicator"),
            )
        )


class Indicator(Translated, models.Model):
    """An outcome measure (a survey share, reported crimes) followed over the years.

    Kept apart from activities: it says how things are, not what was done.
    """

    class Direction(models.TextChoices):
        UP = "up", _("Ett högre värde är bättre")
        DOWN = "down", _("Ett lägre värde är bättre")
        NONE = "none", _("Ingen önskad riktning")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("medborgarlöfte"),
        help_text=_(
            "Välj ett medborgarlöfte om indikatorn bara gäller det. Lämna tomt för en serie som "
            "följer kommunerna över flera löftesperioder."
        ),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="indicators",
        verbose_name=_("kommuner"),
        help_text=_("Där indikatorn mäts. Visas med varje medborgarlöfte i kommunerna."),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=1)
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    unit = models.CharField(
        _("enhet"),
        max_length=60,
        help_text=_("T.ex. ”procent” eller ”anmälda brott per 100 000 invånare”."),
    )
    unit_en = models.CharField(_("enhet på engelska"), max_length=60, blank=True)
    direction = models.CharField(
        _("önskad riktning"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    description = models.TextField(
        _("beskrivning"),
        blank=True,
        help_text=_("Vad som mäts och hur, så att en invånare kan tolka siffrorna."),
    )
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    source_name = models.CharField(
        _("källa"), max_length=200, help_text=_("T.ex. ”Polisens trygghetsmätning” eller ”Brå”.")
    )
    source_url = models.URLField(_("länk till källan"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_example = models.BooleanField(
        _("exempeldata"),
        default=False,
        help_text=_("Påhittade värden för demonstration, märks tydligt på webbplatsen."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = OneRecordPerChange(m2m_fields=[municipalities])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def check_indicator_scope(promise: Promise | None, municipalities: Iterable[Municipality]) -> None:
    """An indicator belongs to a promise or is measured in at least one municipality."""
    if promise is None and not list(municipalities):
        raise ValidationError(
            _("Välj ett medborgarlöfte eller minst en kommun som indikatorn mäts i."),
            code="no_scope",
        )


class MeasurementQuerySet(models.QuerySet):
    def public(self) -> MeasurementQuerySet:
        return self.filter(indicator__in=Indicator.objects.public())

    def for_user(self, user) -> MeasurementQuerySet:
        return self.filter(indicator__in=Indicator.objects.for_user(user))

    def for_places(self, municipalities, districts=()) -> MeasurementQuerySet:
        """Measurements of the municipalities as a whole and of the given districts."""
        districts = list(districts)
        condition = Q(municipality__in=municipalities, district__isnull=True)
        if districts:
            condition |= Q(district__in=districts)
        return self.filter(condition)


class Measurement(models.Model):
    """One value of an indicator for a place and a year (or a date within it)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indikator"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("kommun"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
        verbose_name=_("stadsdel eller område"),
        help_text=_("Lämna tomt för hela kommunen."),
    )
    year = models.PositiveSmallIntegerField(
        _("år"),
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Året som värdet gäller. Lämna tomt om du anger ett datum."),
    )
    date = models.DateField(
        _("datum"),
        null=True,
        blank=True,
        help_text=_("Om värdet gäller en dag eller en mätning under året. Året följer datumet."),
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2)
    sample_size = models.PositiveIntegerField(
        _("antal svarande"),
        null=True,
        blank=True,
        help_text=_("För enkäter: hur många som svarade."),
    )
    ci_low = models.DecimalField(
        _("konfidensintervall, nedre gräns"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    ci_high = models.DecimalField(
        _("konfidensintervall, övre gräns"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ange båda gränserna (95 %), eller ingen om osäkerheten inte är känd."),
    )
    note = models.CharField(
        _("kommentar"),
        max_length=300,
        blank=True,
        help_text=_("Visas vid värdet, t.ex. ”ny frågeformulering”."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    history = OneRecordPerChange()
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "municipality", "district", "year", "date", "pk"]
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        constraints = [
            # One value per indicator, place and time; an empty district or
            # date counts as a value of its own.
            models.UniqueConstraint(
                "indicator",
                "municipality",
                Coalesce("district", models.Value(0)),
                "year",
                Coalesce("date", models.Value(datetime.date(1, 1, 1))),
                name="measurement_unique_per_place_and_time",
                violation_error_message=_(
                    "Indikatorn har redan ett värde för den platsen och tiden."
                ),
            ),
            models.CheckConstraint(
                name="measurement_interval_complete_and_ordered",
                condition=(Q(ci_low__isnull=True) & Q(ci_high__isnull=True))
                | (
                    Q(ci_low__isnull=False)
                    & Q(ci_high__isnull=False)
                    & Q(ci_low__lte=models.F("value"))
                    & Q(ci_high__gte=models.F("value"))
                ),
                violation_error_message=_(
                    "Konfidensintervallet behöver båda gränserna, och värdet ska ligga mellan dem."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period_label}, {self.place_label}"

    @property
    def place_label(self) -> str:
        return self.district.name if self.district_id else self.municipality.name

    @property
    def period_label(self) -> str:
        return date_format(self.date) if self.date else str(self.year)

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.date and self.year is None:
            self.year = self.date.year
        if self.year is None:
            errors["year"] = _("Ange året som värdet gäller, eller ett datum.")
        elif self.date and self.date.year != self.year:
            errors["date"] = _("Datumet ligger inte i året %(year)s.") % {"year": self.year}
        if self.indicator_id and self.municipality_id:
            indicator = self.indicator
            places = (
                indicator.promise.municipalities.all()
                if indicator.promise_id
                else indicator.municipalities.all()
            )
            if not places.filter(pk=self.municipality_id).exists():
                errors["municipality"] = _(
                    "Indikatorn mäts inte i %(municipality)s. Lägg till kommunen på indikatorn "
                    "först."
                ) % {"municipality": self.municipality}
        if (
            self.district_id
            and self.municipality_id
            and self.district.municipality_id != self.municipality_id
        ):
            errors["district"] = _("Området ligger inte i %(municipality)s.") % {
                "municipality": self.municipality
            }
        if (self.ci_low is None) != (self.ci_high is None):
            errors["ci_high"] = _("Ange båda gränserna för konfidensintervallet, eller ingen.")
        elif (
            self.ci_low is not None
            and self.value is not None
            and not self.ci_low <= self.value <= self.ci_high
        ):
            errors["ci_low"] = _(
                "Värdet ska ligga inom konfidensintervallet (nedre gräns ≤ värde ≤ övre gräns)."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.date and self.year is None:
            self.year = self.date.year
        super().save(*args, **kwargs)
