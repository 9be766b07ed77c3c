import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from ops.tasks import HEARTBEAT_PATH


@pytest.fixture
def database_queue(settings):
    """Production's task queue (django-tasks-db) instead of the suite's immediate backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def task_row(
    status: str = "SUCCESSFUL", *, age: float = 0, path: str = HEARTBEAT_PATH, **fields
) -> DBTaskResult:
    """A task result row `age` seconds old: enqueued then, and finished then when it finished."""
    moment = timezone.now() - datetime.timedelta(seconds=age)
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=get_date_max(),
        finished_at=moment if status in ("SUCCESSFUL", "FAILED") else None,
        **fields,
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=moment)
    return row
