"""What the scheduler (`manage.py scheduler`) does each minute, so no cron entry is needed: publish
the posts whose time has come, prune old task results and queue the worker's heartbeat."""

import logging

from django.core.management import call_command

from . import queue
from .tasks import heartbeat

__all__ = ["tick"]

logger = logging.getLogger(__name__)


def tick(keep_days: int) -> None:
    """One round. Each job's failure is logged and the others still run."""
    jobs = (
        ("publish_scheduled", lambda: call_command("publish_scheduled", verbosity=0)),
        ("prune task results", lambda: _prune(keep_days)),
        ("heartbeat", _heartbeat),
    )
    for name, job in jobs:
        try:
            job()
        except Exception:  # one job failing must not stop the others, nor the loop
            logger.exception("Scheduler: %s failed", name)


def _prune(keep_days: int) -> None:
    if queue.uses_database_queue():
        call_command("prune_db_task_results", min_age_days=keep_days, verbosity=0)
        queue.prune_heartbeats()


def _heartbeat() -> None:
    if queue.uses_database_queue():
        heartbeat.enqueue()
