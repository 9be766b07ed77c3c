"""What the database task queue (django-tasks-db) says about itself: how many tasks wait, how long
the oldest has waited, and when the worker last finished one. Read by /readyz, the metrics and the
doctor; one home, so the three agree.

With another backend (the immediate one of dev and tests) there is no queue and no worker, and
each function says so (`uses_database_queue`).
"""

import datetime

from django.db.models import Case, F, Max, Min, When
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .tasks import HEARTBEAT_PATH

__all__ = [
    "failed_since",
    "oldest_age_seconds",
    "prune_heartbeats",
    "ready_count",
    "uses_database_queue",
    "worker_last_seen",
]

# Heartbeat rows are kept this long: enough to see the worker, not a row a minute for a week.
HEARTBEAT_KEEP = datetime.timedelta(hours=1)


def uses_database_queue() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def ready_count() -> int:
    """Tasks due now and not yet taken by a worker."""
    return DBTaskResult.objects.ready().count()


def oldest_age_seconds() -> float:
    """How long the oldest due task has been due (a retried one since its `run_after`); 0 if none."""
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(due_since))["oldest"]
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def worker_last_seen() -> datetime.datetime | None:
    """When a worker last finished a task (the heartbeat makes one a minute), or None."""
    return DBTaskResult.objects.filter(finished_at__isnull=False).aggregate(seen=Max("finished_at"))["seen"]


def failed_since(moment: datetime.datetime) -> list[DBTaskResult]:
    """Tasks that failed for good (every retry used) since `moment`, newest first."""
    return list(DBTaskResult.objects.failed().filter(finished_at__gte=moment).order_by("-finished_at"))


def prune_heartbeats() -> int:
    """Delete heartbeat rows older than HEARTBEAT_KEEP; how many went."""
    cutoff = timezone.now() - HEARTBEAT_KEEP
    deleted, _ = DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH, finished_at__lt=cutoff).delete()
    return deleted
