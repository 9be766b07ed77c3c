"""The task worker's heartbeat: a task that does nothing, queued every minute by the scheduler
(`manage.py scheduler`). The row django-tasks-db keeps for it, with the time the worker finished
it, is the trace a live worker leaves even when no mail is due (ops.queue.worker_last_seen)."""

from django_tasks import task

__all__ = ["HEARTBEAT_PATH", "heartbeat"]


@task()
def heartbeat() -> None:
    """Nothing to do: finishing is the point."""


HEARTBEAT_PATH = heartbeat.module_path
