"""Background tasks, run by `manage.py db_worker` (django-tasks with the database backend)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from . import imports


@task()
def preview_import(job_id: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        imports.run_preview(job_id)
    # Old files go whenever the worker has something to do, besides the cron job.
    imports.remove_expired()


@task()
def run_import(job_id: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        imports.run_import(job_id)
    imports.remove_expired()
