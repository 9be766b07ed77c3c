"""Readiness checks for /readyz and the doctor: each says whether it passed and, in words, why.

Our own rather than django-health-check: /healthz must touch no database (django-health-check's
view runs its registered checks, and its plugins are per-app database, cache and storage probes),
and the checks that matter here (the worker's heartbeat, the oldest queued task, the migrations)
are not among its plugins; the JSON shape and who may read the details are ours to choose anyway.
Each check is a few lines on top of ops.queue and the database connection.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from . import queue

__all__ = ["CHECKS", "Result", "migrations_applied", "ready", "run_checks"]


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    detail: str  # plain words; may name hosts, so shown only to OPS_ADDRESSES


_migrations_seen_applied = False


def migrations_applied() -> list[str]:
    """Migrations this code has that the database lacks. Once none are missing the answer is kept:
    within one process the code cannot gain migrations, and the check then costs nothing."""
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    missing = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    _migrations_seen_applied = not missing
    return missing


def check_database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return Result("database", True, connection.vendor)


def check_migrations() -> Result:
    missing = migrations_applied()
    if missing:
        return Result("migrations", False, f"{len(missing)} not applied, first {missing[0]}")
    return Result("migrations", True, "all applied")


def check_redis() -> Result:
    if not settings.REDIS_URL:
        return Result("redis", True, "not configured")
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    client.ping()
    return Result("redis", True, "answers")


def check_worker() -> Result:
    if not queue.uses_database_queue():
        return Result("worker", True, "tasks run in the request's process")
    seen = queue.worker_last_seen()
    limit = datetime.timedelta(seconds=settings.OPS_WORKER_SECONDS)
    if seen is None:
        return Result("worker", False, "no task has ever been finished")
    age = (timezone.now() - seen).total_seconds()
    return Result("worker", age <= limit.total_seconds(), f"last finished a task {age:.0f} s ago")


def check_queue() -> Result:
    if not queue.uses_database_queue():
        return Result("queue", True, "no queue")
    age = queue.oldest_age_seconds()
    return Result(
        "queue", age <= settings.OPS_QUEUE_SECONDS, f"{queue.ready_count()} due, the oldest for {age:.0f} s"
    )


CHECKS: list[Callable[[], Result]] = [
    check_database,
    check_migrations,
    check_redis,
    check_worker,
    check_queue,
]
# The checks that read the database: with it unreachable they are not tried.
NEEDS_DATABASE = {check_migrations, check_worker, check_queue}


def _name(check: Callable[[], Result]) -> str:
    return check.__name__.removeprefix("check_")


def run_checks() -> list[Result]:
    """Every check, in order; one that raises (an unreachable server) is a failure, not a 500."""
    results: list[Result] = []
    database_down = False
    for check in CHECKS:
        if database_down and check in NEEDS_DATABASE:
            results.append(Result(_name(check), False, "the database is unreachable"))
            continue
        try:
            results.append(check())
        except (DatabaseError, redis.RedisError, OSError) as error:
            results.append(Result(_name(check), False, f"{type(error).__name__}: {error}"))
            database_down = database_down or check is check_database
    return results


def ready(results: list[Result]) -> bool:
    return all(result.ok for result in results)
