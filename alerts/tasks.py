"""Background tasks, run by `manage.py db_worker` (django-tasks with the database backend)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from . import subscriptions


@task()
def send_confirmation(subscription_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subscriptions.send_confirmation(subscription_id)
    # Old unconfirmed addresses go whenever the worker has something to do,
    # besides the digest command.
    subscriptions.remove_expired()
