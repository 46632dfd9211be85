"""Guards on the promise-municipality relation, which a model's clean() cannot see."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Municipality, Promise


@receiver(m2m_changed, sender=Promise.municipalities.through)
def _check_added_municipalities(sender, instance, action, reverse, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # municipality.promises.add(...): check each promise being linked.
        for promise in Promise.objects.filter(pk__in=pk_set):
            promise.validate_municipalities(list(promise.municipalities.all()) + [instance])
        return
    new_set = set(instance.municipalities.all()) | set(Municipality.objects.filter(pk__in=pk_set))
    instance.validate_municipalities(new_set)
