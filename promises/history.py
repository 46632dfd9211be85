"""History that records one version per change, the object's relations included.

django-simple-history writes a version when an object is saved and another
whenever one of its many-to-many relations changes, so saving a form with its
relations left two versions for one change (``+`` then ``~``). Here the
relations changed in the same transaction as the save complete the version
that save wrote, so every path (admin, import, shell) writes exactly one
version per change and nothing is ever deleted from the history.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

# The version being written for an object in the current transaction, kept on
# the object itself so that nothing outlives it.
_OPEN = "_history_version_in_transaction"


@receiver(post_create_historical_record)
def _keep_version_open(sender, instance, history_instance, **kwargs) -> None:
    if not transaction.get_connection().in_atomic_block:
        # Outside a transaction each statement is its own change.
        return
    setattr(instance, _OPEN, history_instance)
    transaction.on_commit(lambda: instance.__dict__.pop(_OPEN, None))


class OneRecordPerChange(HistoricalRecords):
    """HistoricalRecords whose relation changes join the version of the same transaction."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        version = instance.__dict__.get(_OPEN)
        if reverse or version is None or not transaction.get_connection().in_atomic_block:
            super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
            return
        # The version of this change is not committed yet: give it the
        # relations as they are now instead of writing a second version.
        for field in version._history_m2m_fields:
            self.m2m_models[field].objects.filter(history=version).delete()
        self.create_historical_record_m2ms(version, instance)
