"""The mail of subscriptions, out of the request (django-tasks; production: the database queue
run by `manage.py db_worker`, which `resume_mailings` restarts after a crash).

A post's first publication makes its Mailing and enqueues `queue_mailing`, which writes one
Delivery per active subscriber (queued for those who want each post, held for the weekly digest)
and enqueues `send_mailing`; that claims and sends batches (sending.py) until none is left.
Arguments are ids, never addresses or text.
"""

import logging
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from wagtail.models import Site

from blog.models import BlogPage

from . import emails, sending
from .models import Delivery, Mailing, MailSettings, Subscriber

logger = logging.getLogger(__name__)

__all__ = [
    "queue_mailing",
    "resume",
    "send_confirmation",
    "send_digests",
    "send_mailing",
    "start_mailing",
    "stop_mailing",
]

CHUNK = 1000


def _public_post(post_id: int) -> BlogPage | None:
    """Live and public (no privacy setting on it or above it): only such a post is ever mailed."""
    return BlogPage.objects.live().public().filter(pk=post_id).first()


def _enqueue_after_commit(job, *args) -> None:
    if isinstance(job.get_backend(), DatabaseBackend):
        job.enqueue(*args)  # the task's row commits with what asked for it
    else:
        transaction.on_commit(lambda: job.enqueue(*args), robust=True)


def start_mailing(post: BlogPage) -> bool:
    """A post was published: its mailing, the first time only (a republish finds the row)."""
    if post.pk is None or _public_post(post.pk) is None:
        return False
    _mailing, created = Mailing.objects.get_or_create(post_id=post.pk)
    if created:
        _enqueue_after_commit(queue_mailing, post.pk)
    return created


def stop_mailing(post: BlogPage) -> int:
    """A post was unpublished (or made private): what has not gone yet never goes."""
    Mailing.objects.filter(post_id=post.pk, stopped_at__isnull=True).update(stopped_at=timezone.now())
    return Delivery.objects.filter(post_id=post.pk, state__in=Delivery.WAITING).update(
        state=Delivery.State.STOPPED
    )


@task()
def queue_mailing(post_id: int) -> int:
    """One delivery row per active subscriber, in chunks (the unique constraint ignores rows a
    doubled task already wrote); then the sending."""
    if _public_post(post_id) is None:
        return 0
    written = 0
    active = Subscriber.objects.active().order_by("pk").values_list("pk", "frequency")
    chunk: list[Delivery] = []
    for subscriber_id, frequency in active.iterator(chunk_size=CHUNK):
        state = Delivery.State.HELD if frequency == Subscriber.Frequency.WEEKLY else Delivery.State.QUEUED
        chunk.append(Delivery(subscriber_id=subscriber_id, post_id=post_id, state=state))
        if len(chunk) >= CHUNK:
            written += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
            chunk = []
    if chunk:
        written += len(Delivery.objects.bulk_create(chunk, ignore_conflicts=True))
    send_mailing.enqueue(post_id)
    return written


def _due() -> Q:
    return Q(not_before__isnull=True) | Q(not_before__lte=timezone.now())


@task()
def send_mailing(post_id: int) -> int:
    """Claim and send batches of this post's queued deliveries until none is due; later retries
    are enqueued for when they fall due. Safe to run twice at once, and after a crash."""
    sending.recover(post_id=post_id)
    accepted = 0
    with sending.Sender() as sender:  # its connections serve every batch
        while True:
            post = _public_post(post_id)
            if post is None:
                stop_mailing(BlogPage(pk=post_id))
                return accepted
            mail = emails.PostMail(emails.PostContent.of(post))  # rendered once per batch
            rows = Delivery.objects.filter(
                _due(), post_id=post_id, subscriber__status=Subscriber.Status.CONFIRMED
            )
            token, claimed = sending.claim(rows)
            if not claimed:
                break
            units = [
                sending.Unit(
                    row.subscriber,
                    [row.pk],
                    partial(mail.message, row.subscriber, row.pk),
                    partial(mail.envelope, row.subscriber, row.pk),
                )
                for row in claimed
            ]
            accepted += sender.send(token, units)
    _retry_later(send_mailing, post_id, Delivery.objects.filter(post_id=post_id, state=Delivery.State.QUEUED))
    return accepted


def _retry_later(job, argument, waiting) -> None:
    if not job.get_backend().supports_defer:
        return  # the immediate queue (dev, tests) cannot wait: the next resume sends them
    due = waiting.aggregate(at=Min("not_before"))["at"]
    if due is not None:
        job.using(run_after=due).enqueue(argument)


@task()
def send_digests(force: bool = False) -> int:
    """The weekly digest, on the site's day (the scheduler asks hourly): each weekly subscriber gets
    one email with the posts held for them, over the same few SMTP connections for every batch.
    One a day at most: a post published later on the digest day waits for next week's."""
    site = Site.objects.filter(is_default_site=True).first()
    day = MailSettings.for_site(site).digest_day if site else MailSettings.Day.MONDAY
    if not force and timezone.localdate().weekday() != day:
        return 0
    sending.recover(state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING])
    with sending.Sender() as sender:
        return _send_digest_batches(sender, force)


def _send_digest_batches(sender: sending.Sender, force: bool) -> int:
    accepted = 0
    # Who had a digest since then is done: today's, or this run's when forced (so a failed digest
    # waits for the next one instead of looping here).
    since = (
        timezone.now() if force else timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    )
    while True:
        held = Delivery.objects.filter(
            state=Delivery.State.HELD, subscriber__status=Subscriber.Status.CONFIRMED
        ).exclude(subscriber__last_digest_at__gte=since)
        ids = list(
            held.order_by("subscriber_id")
            .values_list("subscriber_id", flat=True)
            .distinct()[: sending.BATCH_SIZE]
        )
        if not ids:
            return accepted
        token, claimed = sending.claim(
            Delivery.objects.filter(subscriber_id__in=ids), size=10_000, state=Delivery.State.HELD
        )
        by_subscriber: dict[int, list[Delivery]] = defaultdict(list)
        for row in claimed:
            by_subscriber[row.subscriber_id].append(row)
        posts = {
            p.pk: emails.PostContent.of(p)
            for p in BlogPage.objects.live().public().filter(pk__in={row.post_id for row in claimed})
        }
        units = []
        for rows in by_subscriber.values():
            contents = [posts[row.post_id] for row in rows if row.post_id in posts]
            if contents:
                subscriber = rows[0].subscriber
                units.append(
                    sending.Unit(
                        subscriber,
                        [r.pk for r in rows],
                        partial(emails.digest, contents, subscriber, rows[0].pk),
                    )
                )
        accepted += sender.send(token, units)
        # A digest that failed goes out again with the next one.
        Delivery.objects.filter(pk__in=[r.pk for r in claimed], state=Delivery.State.QUEUED).update(
            state=Delivery.State.HELD
        )
        Subscriber.objects.filter(pk__in=ids).update(last_digest_at=timezone.now())


def resume() -> int:
    """After a crash (cron, and whenever the worker is restarted): take back expired claims and
    send every mailing that still has queued deliveries. The number of mailings resumed."""
    sending.recover()
    posts = list(
        Delivery.objects.filter(state=Delivery.State.QUEUED).values_list("post_id", flat=True).distinct()
    )
    for post_id in posts:
        send_mailing.enqueue(post_id)
    return len(posts)


@task()
def send_confirmation(subscriber_id: int) -> bool:
    """The double opt-in link: the only email an unconfirmed address ever gets."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING).first()
    if subscriber is None:
        return False
    emails.confirmation(subscriber).send()
    return True
