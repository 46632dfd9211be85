"""Guards on a promise's coverage relations, which a model's clean() cannot see.

Adding municipalities or districts from code (or an import) goes through the
same rule as the admin form: ``check_coverage``.
"""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import District, Municipality, Promise, check_coverage


@receiver(m2m_changed, sender=Promise.municipalities.through)
def _check_added_municipalities(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # municipality.promises.add(...): check each promise being linked.
        for promise in Promise.objects.filter(pk__in=pk_set):
            check_coverage(promise, municipalities=[*promise.municipalities.all(), instance])
        return
    added = Municipality.objects.filter(pk__in=pk_set)
    check_coverage(instance, municipalities={*instance.municipalities.all(), *added})


@receiver(m2m_changed, sender=Promise.districts.through)
def _check_added_districts(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        for promise in Promise.objects.filter(pk__in=pk_set):
            check_coverage(promise, districts=[*promise.districts.all(), instance])
        return
    added = District.objects.filter(pk__in=pk_set).select_related("municipality")
    check_coverage(instance, districts={*instance.districts.all(), *added})
