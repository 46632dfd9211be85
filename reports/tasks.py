"""Background tasks, run by `manage.py db_worker` (django-tasks with the database backend)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from . import files


@task()
def build_report_files(follow_up_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        files.build(follow_up_id)
