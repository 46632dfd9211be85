"""Move existing data into the relations of issue 8 before the old fields go (0005).

- A municipality's single police area becomes that area's coverage of it.
- A promise's single police area becomes its first giver; the municipalities it
  applied to signed it (until now every promise was given with them).
- A commitment's lead party becomes the organisations that promise it.
- The per-commitment outcome becomes a follow-up over the whole period, with
  one assessment per assessed commitment, published with a published promise.
"""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Municipality = apps.get_model("promises", "Municipality")
    Promise = apps.get_model("promises", "Promise")
    Commitment = apps.get_model("promises", "Commitment")
    Organisation = apps.get_model("promises", "Organisation")
    FollowUp = apps.get_model("promises", "FollowUp")
    Assessment = apps.get_model("promises", "Assessment")

    # Through the table itself: until 0005 the old key's reverse accessor on
    # PoliceArea has the same name as the new relation.
    coverage = apps.get_model("promises", "PoliceArea_municipalities")
    coverage.objects.bulk_create(
        [
            coverage(policearea_id=municipality.police_area_id, municipality_id=municipality.pk)
            for municipality in Municipality.objects.exclude(police_area=None)
        ],
        ignore_conflicts=True,
    )

    for promise in Promise.objects.all():
        promise.police_areas.add(promise.police_area_id)
        promise.signing_municipalities.set(promise.municipalities.all())

    for commitment in Commitment.objects.select_related("promise"):
        promise = commitment.promise
        police = Organisation.objects.filter(kind="lpo", police_area_id=promise.police_area_id)
        municipal = Organisation.objects.filter(
            kind="kommun", municipality__in=promise.municipalities.all()
        )
        partners = Organisation.objects.filter(
            kind="partner", municipality__in=promise.municipalities.all()
        )
        parties = {
            "police": list(police),
            "municipality": list(municipal),
            "joint": [*police, *municipal],
            # "A partner" named none: the partners of the promise's
            # municipalities, when there is exactly one.
            "partner": list(partners) if partners.count() == 1 else [],
        }.get(commitment.lead_party, [])
        commitment.parties.set(parties)

    today = timezone.localdate()
    for promise in Promise.objects.filter(commitments__outcome__gt="").distinct():
        published = promise.status == "published"
        follow_up = FollowUp.objects.create(
            promise=promise,
            title="Uppföljning",
            period_start=promise.period_start,
            period_end=promise.period_end,
            status="published" if published else "draft",
            published_on=today if published else None,
        )
        for commitment in promise.commitments.exclude(outcome=""):
            Assessment.objects.create(
                follow_up=follow_up,
                commitment=commitment,
                verdict=commitment.outcome,
                explanation=commitment.outcome_note,
                explanation_en=commitment.outcome_note_en,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("promises", "0003_coverage_follow_ups"),
    ]

    # One way: 0005 drops the old single-valued fields, which could not hold
    # several police areas or parties again.
    operations = [migrations.RunPython(forward)]
