"""`manage.py doctor`: what is wrong with this installation, in plain words.

Each finding is one sentence an IT team can act on. The command exits non-zero when any is a
problem, so it can run after a deploy or from monitoring. It reads what /readyz reads (ops.health,
ops.queue) and more that a probe every second should not: the deployment checklist, the mail
server, failed tasks, pending page-cache purges and free disk.
"""

import datetime
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import redis
from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.utils import timezone

from pagecache.models import PendingPurge

from . import health, mail, queue

__all__ = ["Finding", "diagnose"]


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str


def deploy_settings() -> list[Finding]:
    """What `manage.py check --deploy` would refuse (warnings included)."""
    issues = [
        issue
        for issue in checks.run_checks(include_deployment_checks=True)
        if issue.level >= checks.WARNING and not issue.is_silenced()
    ]
    if not issues:
        return [Finding(True, "The settings pass Django's deployment checklist (check --deploy).")]
    return [Finding(False, f"Settings: {issue.msg} ({issue.id})") for issue in issues]


def database() -> list[Finding]:
    results = {result.name: result for result in health.run_checks()}
    findings = []
    if not results["database"].ok:
        return [Finding(False, f"The database does not answer: {results['database'].detail}.")]
    findings.append(Finding(True, "The database answers."))
    migrations = results["migrations"]
    findings.append(
        Finding(True, "Every migration is applied.")
        if migrations.ok
        else Finding(False, f"Migrations are missing ({migrations.detail}): run manage.py migrate.")
    )
    return findings


def redis_server() -> list[Finding]:
    if not settings.REDIS_URL:
        return [Finding(True, "Redis is not configured (fine on one server).")]
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, OSError) as error:
        return [Finding(False, f"Redis at REDIS_URL cannot be reached: {error}.")]
    return [Finding(True, "Redis answers.")]


def mail_server() -> list[Finding]:
    backend = settings.OPS_EMAIL_BACKEND
    if not backend.endswith("smtp.EmailBackend"):
        return [Finding(True, f"Mail goes to {backend}, not an SMTP server.")]
    connection = mail.real_backend(timeout=5)
    where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    try:
        connection.open()
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
        return [Finding(False, f"The mail server {where} cannot be reached or refused us: {error}.")]
    finally:
        connection.close()
    return [Finding(True, f"The mail server {where} accepts a connection.")]


def worker() -> list[Finding]:
    if not queue.uses_database_queue():
        return [Finding(True, "Tasks run at once in the process that queues them (no worker needed).")]
    findings = []
    seen = queue.worker_last_seen()
    limit = datetime.timedelta(minutes=5)
    if seen is None or timezone.now() - seen > limit:
        when = "never" if seen is None else f"last at {seen:%Y-%m-%d %H:%M} UTC"
        findings.append(
            Finding(
                False,
                f"No task worker seen for five minutes ({when}): is manage.py db_worker running, "
                "and the scheduler that queues its heartbeat?",
            )  # fmt: skip
        )
    else:
        findings.append(Finding(True, "The task worker finished a task in the last five minutes."))
    age = queue.oldest_age_seconds()
    if age > settings.OPS_QUEUE_SECONDS:
        findings.append(Finding(False, f"The oldest queued task has waited {age / 60:.0f} minutes."))
    failed = queue.failed_since(timezone.now() - datetime.timedelta(days=1))
    if failed:
        paths = sorted({result.task_path for result in failed})
        findings.append(
            Finding(
                False,
                f"{len(failed)} tasks failed for good in the last day (mail not sent, or purges "
                f"not made): {', '.join(paths)}. See the task results table.",
            )  # fmt: skip
        )
    else:
        findings.append(Finding(True, "No mail or other task failed in the last day."))
    return findings


def pending_purges() -> list[Finding]:
    count = PendingPurge.objects.count()
    if count:
        return [
            Finding(
                False,
                f"{count} page-cache purges wait for Redis (it was unreachable); they are "
                "applied when a server sees Redis again.",
            )  # fmt: skip
        ]
    return [Finding(True, "No page-cache purge is waiting.")]


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def disk_space() -> list[Finding]:
    findings = []
    for label, folder in (
        ("MEDIA_ROOT", Path(settings.MEDIA_ROOT)),
        ("BACKUP_DIR", Path(settings.BACKUP_DIR)),
    ):
        usage = shutil.disk_usage(_existing(folder))
        free_mb = usage.free // 2**20
        if usage.free < settings.OPS_MIN_FREE_BYTES or usage.free < usage.total * 0.05:
            findings.append(Finding(False, f"Little disk left for {label} ({folder}): {free_mb} MB free."))
        else:
            findings.append(Finding(True, f"{label} ({folder}) has {free_mb} MB free."))
    return findings


SECTIONS: list[Callable[[], list[Finding]]] = [
    deploy_settings,
    database,
    redis_server,
    mail_server,
    worker,
    pending_purges,
    disk_space,
]
NEEDS_DATABASE = {worker, pending_purges}


def diagnose() -> list[Finding]:
    """Every finding, in order; a section needing the database is skipped when it is down."""
    findings: list[Finding] = []
    database_up = True
    for section in SECTIONS:
        if section in NEEDS_DATABASE and not database_up:
            continue
        try:
            found = section()
        except DatabaseError as error:
            found = [Finding(False, f"{section.__name__}: the database failed: {error}.")]
        if section is database:
            database_up = found[0].ok
        findings += found
    return findings
