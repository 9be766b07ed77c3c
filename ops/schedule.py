"""What the scheduler (`manage.py scheduler`) does, so no cron entry is needed: every minute it
publishes the posts whose time has come, prunes old task results and queues the worker's
heartbeat, and it runs what the apps register here (`register`, from their `ready()`: ops may not
import a feature app), each at its own period.

A registered job must be safe to run again at any time (after a restart the scheduler runs every
job in its first round): its period only saves work, it never guards correctness."""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.management import call_command

from . import queue
from .tasks import heartbeat

__all__ = ["Job", "register", "tick"]

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    run: Callable[[], object]
    every: datetime.timedelta
    last: float = field(default=float("-inf"))  # this process's monotonic time of its last run


_JOBS: dict[str, Job] = {}


def register(name: str, run: Callable[[], object], every: datetime.timedelta) -> None:
    """Run `run` from the scheduler at most once per `every` (replaced on a second `ready()`)."""
    _JOBS[name] = Job(name, run, every)


def tick(keep_days: int) -> None:
    """One round. Each job's failure is logged and the others still run."""
    jobs = [
        ("publish_scheduled", lambda: call_command("publish_scheduled", verbosity=0)),
        ("prune task results", lambda: _prune(keep_days)),
        ("heartbeat", _heartbeat),
    ]
    now = time.monotonic()
    for job in _JOBS.values():
        if now - job.last >= job.every.total_seconds():
            job.last = now
            jobs.append((job.name, job.run))
    for name, run in jobs:
        try:
            run()
        except Exception:  # one job failing must not stop the others, nor the loop
            logger.exception("Scheduler: %s failed", name)


def _prune(keep_days: int) -> None:
    if queue.uses_database_queue():
        call_command("prune_db_task_results", min_age_days=keep_days, verbosity=0)
        queue.prune_heartbeats()


def _heartbeat() -> None:
    if queue.uses_database_queue():
        heartbeat.enqueue()
