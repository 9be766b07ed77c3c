"""Mail out of the request: creation.py and moderation.py call `mail_posted`, `mail_published`
and `mail_routed` by name, which enqueue tasks (django-tasks), and a worker sends the mail.

In production the queue is the database (django-tasks-db) and `manage.py db_worker` runs it, so a
hung or failing mail server holds no reader's request and no gunicorn worker; the task's row is
written in the comment's own transaction. In development and tests the tasks run at once, after
commit, in the process that enqueued them.

A task's arguments are ids and the name of a kind of message (notify.Delivery), never comment
text: the queue table is not where health information should be copied to. A failed send is
logged and enqueued again later (`run_after`, backing off), at most MAX_ATTEMPTS times in all;
a backend that cannot defer (the immediate one) does not retry, as waiting would hold the process.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend

from . import notify
from .models import Comment

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_ATTEMPTS",
    "MailNotSent",
    "comment_posted",
    "comment_published",
    "comment_routed",
    "deliver",
    "mail_answered",
    "mail_posted",
    "mail_published",
    "mail_routed",
]

MAX_ATTEMPTS = 5
# Seconds before attempt n + 1: a minute, then four times longer each time (1, 4, 16, 64 minutes).
FIRST_RETRY_SECONDS = 60
BACKOFF_FACTOR = 4


class MailNotSent(Exception):
    """A comment email that failed every attempt (the task is marked failed for the operator)."""


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1-based) before the next."""
    return datetime.timedelta(seconds=FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** (attempt - 1))


def _enqueue_all(deliveries: list[notify.Delivery]) -> None:
    for delivery in deliveries:
        deliver.enqueue(*delivery)


@task()
def comment_posted(comment_id: int) -> None:
    """A new comment was stored: enqueue each email it calls for."""
    _enqueue_all(notify.posted(comment_id))


@task()
def comment_published(comment_id: int) -> None:
    """A comment was shown for the first time: enqueue each reply notice."""
    _enqueue_all(notify.published(comment_id))


@task()
def comment_routed(comment_id: int) -> None:
    """A moderator sent a comment to Patient Relations."""
    _enqueue_all(notify.routed(comment_id))


@task()
def question_answered(comment_id: int) -> None:
    """A question got its official answer: the asker's notice, if they asked for replies."""
    _enqueue_all(notify.answered(comment_id))


@task()
def deliver(kind: str, comment_id: int, subscriber_id: int | None = None, attempt: int = 1) -> bool:
    """Build and send one email; on failure log it and try again later. False: nothing to send."""
    delivery = notify.Delivery(kind, comment_id, subscriber_id)
    message = notify.message(delivery)
    if message is None:
        return False
    try:
        message.send()
    except Exception as error:  # any failure of the mail server: the comment is safe, retry the mail
        _retry_or_give_up(delivery, attempt, error)
        return False
    notify.sent(delivery)
    return True


def _retry_or_give_up(delivery: notify.Delivery, attempt: int, error: Exception) -> None:
    # Logged with the kind and the comment's id only: the message may quote a reader's text.
    can_defer = deliver.get_backend().supports_defer
    if attempt < MAX_ATTEMPTS and can_defer:
        delay = retry_delay(attempt)
        logger.warning(
            "comment email %r for comment #%s failed (attempt %s of %s: %s); retrying in %s s",
            delivery.kind,
            delivery.comment_id,
            attempt,
            MAX_ATTEMPTS,
            type(error).__name__,
            int(delay.total_seconds()),
        )
        deliver.using(run_after=timezone.now() + delay).enqueue(*delivery, attempt=attempt + 1)
        return
    logger.error(
        "comment email %r for comment #%s not sent after %s attempt(s): %s",
        delivery.kind,
        delivery.comment_id,
        attempt,
        type(error).__name__,
    )
    if can_defer:  # a worker's task: mark it failed, for the operator to see in the admin
        raise MailNotSent(f"{delivery.kind} email for comment #{delivery.comment_id}") from error


def _with_comment(job, comment_id: int) -> None:
    """Production's queue keeps tasks as rows: the mail's row is written in the comment's own
    transaction, so the two commit or roll back together and no crash between them loses an email.
    A queue that runs tasks at once (dev, tests) runs it after the commit instead, so no mail goes
    out about a comment that was rolled back."""
    if isinstance(job.get_backend(), DatabaseBackend):
        job.enqueue(comment_id)
    else:
        transaction.on_commit(lambda: job.enqueue(comment_id), robust=True)


def mail_posted(comment: Comment) -> None:
    """A new comment was stored (the reader's form, a staff reply): the moderators' notice and
    the reply notices it calls for. Called inside the comment's transaction."""
    _with_comment(comment_posted, comment.pk)


def mail_published(comment) -> None:
    """A comment was shown for the first time: the reply notices it calls for."""
    _with_comment(comment_published, comment.pk)


def mail_routed(comment) -> None:
    """A moderator sent the comment to Patient Relations: a link to it, never its text."""
    _with_comment(comment_routed, comment.pk)


def mail_answered(question) -> None:
    """A moderator marked the official answer to `question`: tell the asker (if they follow it)."""
    _with_comment(question_answered, question.pk)
