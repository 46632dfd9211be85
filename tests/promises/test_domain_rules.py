"""The rules that protect promise data live in the model, with Swedish messages."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from promises.models import Commitment, Municipality, Organisation, Promise


def test_period_must_end_after_it_starts(harryda, area):
    promise = Promise(title="Löfte", period_start=date(2024, 1, 1), period_end=date(2023, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        promise.full_clean()
    assert "Perioden måste sluta efter att den börjar." in excinfo.value.message_dict["period_end"]


def test_period_rule_is_also_a_database_constraint(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        Promise.objects.create(
            title="Löfte",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 1, 1),
        )


def test_overlapping_published_promises_for_same_municipality_are_refused(make_promise, harryda):
    make_promise([harryda], start=date(2022, 5, 31), end=date(2024, 5, 31))
    later = make_promise(
        [harryda], start=date(2024, 1, 1), end=date(2025, 12, 31), status=Promise.Status.DRAFT
    )
    later.status = Promise.Status.PUBLISHED
    with pytest.raises(ValidationError) as excinfo:
        later.full_clean()
    assert "överlappar det publicerade medborgarlöftet" in str(excinfo.value)
    # Code that skips full_clean() is stopped too.
    with pytest.raises(ValidationError):
        later.save()
    later.refresh_from_db()
    assert later.status == Promise.Status.DRAFT


def test_adding_municipality_to_published_promise_cannot_create_overlap(
    make_promise, harryda, molndal
):
    make_promise([harryda], start=date(2022, 5, 31), end=date(2024, 5, 31))
    molndal_promise = make_promise([molndal], start=date(2023, 1, 1), end=date(2024, 12, 31))
    with pytest.raises(ValidationError), transaction.atomic():
        molndal_promise.municipalities.add(harryda)
    assert list(molndal_promise.municipalities.all()) == [molndal]


def test_a_draft_may_overlap_and_consecutive_periods_may_not(make_promise, harryda):
    make_promise([harryda], start=date(2022, 5, 31), end=date(2024, 5, 31))
    draft = make_promise(
        [harryda], start=date(2024, 1, 1), end=date(2025, 12, 31), status=Promise.Status.DRAFT
    )
    draft.full_clean()  # drafts may overlap while they are being prepared
    following = make_promise([harryda], start=date(2024, 6, 1), end=date(2026, 5, 31))
    assert following.is_published
    assert following.slug == "2024-2026"


def test_same_address_twice_for_one_municipality_is_refused(make_promise, harryda):
    first = make_promise([harryda], start=date(2022, 1, 1), end=date(2022, 6, 30))
    assert first.slug == "2022"
    with pytest.raises(ValidationError) as excinfo, transaction.atomic():
        make_promise(
            [harryda], start=date(2022, 7, 1), end=date(2022, 12, 31), status=Promise.Status.DRAFT
        )
    assert "adressnamnet ”2022”" in str(excinfo.value)
    second = make_promise(
        [harryda], start=date(2022, 7, 1), end=date(2022, 12, 31), slug="2022-host"
    )
    assert second.get_absolute_url() == "/harryda/2022-host/"


def test_promise_may_cover_several_municipalities(make_promise, harryda, molndal):
    promise = make_promise([harryda, molndal])
    assert set(Promise.objects.for_municipality(molndal)) == {promise}
    assert promise.primary_municipality == harryda


def test_kommunkod_is_four_digits(area):
    municipality = Municipality(name="Partille", slug="partille", code="14O2")
    with pytest.raises(ValidationError) as excinfo:
        municipality.full_clean()
    assert "exakt fyra siffror" in excinfo.value.message_dict["code"][0]


def test_municipality_slug_may_not_shadow_site_pages(area):
    municipality = Municipality(name="Om", slug="om-webbplatsen", code="9999")
    with pytest.raises(ValidationError) as excinfo:
        municipality.full_clean()
    assert "används redan av webbplatsen" in excinfo.value.message_dict["slug"][0]


def test_commitment_target_needs_a_unit(promise):
    commitment = Commitment(promise=promise, title="Fotpatrullering", target_value=300)
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "target_unit" in excinfo.value.message_dict


def test_commitment_slugs_are_unique_within_a_promise(promise):
    first = Commitment.objects.create(promise=promise, title="Insatser mot skadegörelse")
    second = Commitment.objects.create(promise=promise, title="Insatser mot skadegörelse")
    assert first.slug == "insatser-mot-skadegorelse"
    assert second.slug == "insatser-mot-skadegorelse-2"


def test_organisation_kind_must_match_its_links(area, harryda):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(kind=Organisation.Kind.POLICE_AREA, name="LPO utan område")
    organisation = Organisation(kind=Organisation.Kind.MUNICIPALITY, name="Kommun utan kommun")
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert "municipality" in excinfo.value.message_dict


def test_user_scope_follows_organisations(django_user_model, harryda, molndal, police_org):
    kommun = Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Mölndals stad", municipality=molndal
    )
    coordinator = django_user_model.objects.create_user("samordnare", is_staff=True)
    officer = django_user_model.objects.create_user("kommunpolis", is_staff=True)
    nobody = django_user_model.objects.create_user("ingen", is_staff=True)
    kommun.members.add(coordinator)
    police_org.members.add(officer)
    assert list(Municipality.objects.for_user(coordinator)) == [molndal]
    assert set(Municipality.objects.for_user(officer)) == {harryda, molndal}
    assert not Municipality.objects.for_user(nobody).exists()


def test_long_commitment_title_gives_short_slug_of_whole_words(promise):
    commitment = Commitment.objects.create(
        promise=promise,
        title="Riktade insatser mot ungdomar för att minska kriminalitet och droganvändning.",
    )
    assert commitment.slug == "riktade-insatser-mot-ungdomar-for-att-minska"


def test_period_cannot_shrink_past_logged_activities(promise, make_activity):
    make_activity(date=date(2022, 9, 1), title="Tidig fotpatrullering")
    promise.period_start = date(2023, 1, 1)
    with pytest.raises(ValidationError) as excinfo:
        promise.full_clean()
    assert "1 aktiviteter ligger utanför den nya perioden" in str(excinfo.value)
    assert "Tidig fotpatrullering" in str(excinfo.value)
    promise.period_start = date(2022, 6, 1)
    promise.full_clean()


def test_commitment_target_must_be_at_least_one(promise):
    commitment = Commitment(
        promise=promise, title="Fotpatrullering", target_value=0, target_unit="pass"
    )
    with pytest.raises(ValidationError) as excinfo:
        commitment.full_clean()
    assert "minst 1" in excinfo.value.message_dict["target_value"][0]


def test_signed_document_must_be_a_pdf_and_gets_an_unguessable_name(promise, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    promise.signed_document = SimpleUploadedFile("löfte.html", b"<script>alert(1)</script>")
    with pytest.raises(ValidationError) as excinfo:
        promise.full_clean()
    assert "PDF" in excinfo.value.message_dict["signed_document"][0]
    promise.signed_document = SimpleUploadedFile("Löfte 2022.PDF", b"%PDF-1.4")
    promise.full_clean()
    promise.save()
    name = promise.signed_document.name
    assert name.startswith("promises/signed/") and name.endswith(".pdf")
    assert "2022" not in name


def test_public_assessments_are_those_of_published_follow_ups_of_published_promises(
    promise, commitment, make_follow_up
):
    from promises.models import Assessment, FollowUp

    shown = make_follow_up(promise, {commitment: ("done", "")}, title="Publicerad")
    make_follow_up(
        promise, {commitment: ("ongoing", "Pågår")}, title="Utkast", status=FollowUp.Status.DRAFT
    )
    assert [a.follow_up for a in Assessment.objects.public()] == [shown]
    promise.status = Promise.Status.DRAFT
    promise.save()
    assert not Assessment.objects.public().exists()


@pytest.mark.parametrize(
    "slug", ["admin", "api", "en", "static", "media", "om-webbplatsen", "oppna-data", "bevaka"]
)
def test_a_municipality_cannot_take_an_address_the_site_answers(db, slug):
    from promises.models import Municipality

    municipality = Municipality(name="Testkommun", slug=slug, code="9999")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "används redan av webbplatsen" in str(error.value)
    municipality.slug = "testkommun"
    municipality.full_clean()
