"""Sending a mailing: claim a batch, send it in waves over a few SMTP connections, record it.

At most once, whatever happens (a republish, an edit, a worker killed mid-batch, two workers):
- A batch is claimed in one UPDATE (`queued` -> `claimed`, with this worker's claim token); two
  workers never hold the same row, and a row another worker took back is skipped.
- A wave (one message per connection, smtp.Fleet) goes to the mail server in two steps. Envelopes
  and bodies first; then ONE commit marks the wave's rows `sending` (and the previous wave's
  `sent`); only then each final "." that makes the server accept a message. A worker killed before
  that commit leaves `claimed` rows the server never accepted: they are sent again once the claim
  expires (CLAIM_SECONDS). One killed after it leaves at most a wave of `sending` rows, never sent
  again (`recover` makes them `unknown`): the server may already have them. We chose at most once:
  a reader who got a post twice from a hospital learns the list is careless; one lost in the
  microseconds between the commit and the "." shows as unknown in the admin.
- The unique (subscriber, post) constraint means a republish or a second mailing finds the rows.

Memory stays flat: a batch is BATCH_SIZE rows, read and forgotten before the next.
"""

import datetime
import logging
import smtplib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import connection as database
from django.db import transaction
from django.utils import timezone

from ops import counters

from . import smtp
from .models import HARD_FAILURES_TO_SUSPEND, Delivery, Subscriber

logger = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "Sender", "Unit", "claim", "recover", "retry_delay", "send_units"]

BATCH_SIZE = 100
MAX_ATTEMPTS = 5
FIRST_RETRY_SECONDS = 60
BACKOFF_FACTOR = 4


def claim_seconds() -> int:
    """How long a claim holds before another worker may take the rows back."""
    return int(getattr(settings, "SUBSCRIPTIONS_CLAIM_SECONDS", 300))


def retry_delay(attempt: int) -> datetime.timedelta:
    """After failed attempt `attempt` (1-based): a minute, then four times longer each time."""
    return datetime.timedelta(seconds=FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** (attempt - 1))


@dataclass
class Unit:
    """One email and the delivery rows it carries (one post, or a digest's several)."""

    subscriber: Subscriber
    deliveries: list[int]
    message: Callable[[], EmailMessage]  # built when sent, for a backend that takes messages
    # Its bytes for the mail server, when there is a quicker way than flattening `message`.
    envelope: Callable[[], smtp.Envelope] | None = None

    def wire(self) -> smtp.Envelope:
        return self.envelope() if self.envelope else smtp.Envelope.of(self.message())


def recover(now: datetime.datetime | None = None, **scope) -> None:
    """Take back what a dead worker held: claimed rows never reached the server (send them
    again); a row marked sending may have (never send it again)."""
    expired = (now or timezone.now()) - datetime.timedelta(seconds=claim_seconds())
    stale = Delivery.objects.filter(claimed_at__lt=expired, **scope)
    stale.filter(state=Delivery.State.CLAIMED).update(state=Delivery.State.QUEUED, claim="")
    stale.filter(state=Delivery.State.SENDING).update(state=Delivery.State.UNKNOWN)


def claim(rows, size: int | None = None, state: str = Delivery.State.QUEUED) -> tuple[str, list[Delivery]]:
    """Claim up to `size` of `rows` (a Delivery queryset) in `state` for this worker. PostgreSQL:
    the ids are read FOR UPDATE SKIP LOCKED (never a row another worker is claiming), then updated;
    SQLite: one UPDATE over a subquery, a single write (a read-then-write transaction would fail
    on a stale snapshot when another worker wrote first)."""
    token = uuid.uuid4().hex
    pick = rows.filter(state=state).order_by("pk").values_list("pk", flat=True)[: size or BATCH_SIZE]
    with transaction.atomic():
        if database.features.has_select_for_update_skip_locked:
            pick = list(pick.select_for_update(skip_locked=True))
        Delivery.objects.filter(pk__in=pick, state=state).update(
            state=Delivery.State.CLAIMED, claim=token, claimed_at=timezone.now()
        )
    claimed = list(Delivery.objects.filter(claim=token).select_related("subscriber").order_by("pk"))
    return token, claimed


def _mark(token: str, ids: Sequence[int], sent: Sequence[int]) -> set[int]:
    """One commit for a wave: the previous wave's accepted rows are sent, this one's about to be
    (`sending`, before their final "."). The rows of `ids` so marked: a row another worker took
    back meanwhile is not, and its message is not sent."""
    now = timezone.now()
    with transaction.atomic():
        if sent:
            Delivery.objects.filter(pk__in=sent, claim=token).update(state=Delivery.State.SENT, sent_at=now)
        if not ids:
            return set()
        marked = Delivery.objects.filter(pk__in=ids, claim=token, state=Delivery.State.CLAIMED).update(
            state=Delivery.State.SENDING, claimed_at=now
        )
        if marked == len(ids):
            return set(ids)
        return set(
            Delivery.objects.filter(
                pk__in=ids, claim=token, state=Delivery.State.SENDING, claimed_at=now
            ).values_list("pk", flat=True)
        )


def _failed(token: str, unit: Unit, error: Exception, hard: bool) -> None:
    rows = list(Delivery.objects.filter(pk__in=unit.deliveries, claim=token))
    now = timezone.now()
    detail = f"{type(error).__name__}: {error}"[:200]
    for row in rows:
        row.attempts += 1
        row.error = detail
        row.claim = ""
        if row.attempts >= MAX_ATTEMPTS:
            row.state = Delivery.State.FAILED
        else:
            row.state = Delivery.State.QUEUED
            row.not_before = now + retry_delay(row.attempts)
    Delivery.objects.bulk_update(rows, ["attempts", "error", "claim", "state", "not_before"])
    if hard:
        subscriber = unit.subscriber
        subscriber.hard_failures += 1
        Subscriber.objects.filter(pk=subscriber.pk).update(hard_failures=subscriber.hard_failures)
        if subscriber.hard_failures >= HARD_FAILURES_TO_SUSPEND:
            Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.SUSPENDED)
            Delivery.objects.filter(subscriber=subscriber, state__in=Delivery.WAITING).update(
                state=Delivery.State.STOPPED
            )


def _release(token: str, ids: Sequence[int]) -> None:
    """Give rows back for later: their messages never got their final "." (the connection failed,
    or the rows were taken back), so the server has none of them."""
    later = timezone.now() + retry_delay(1)
    Delivery.objects.filter(
        pk__in=ids, claim=token, state__in=[Delivery.State.CLAIMED, Delivery.State.SENDING]
    ).update(state=Delivery.State.QUEUED, claim="", not_before=later)


def _is_hard(error: Exception) -> bool:
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _refused(token: str, unit: Unit, error: Exception) -> None:
    if isinstance(error, smtplib.SMTPResponseException):
        _failed(token, unit, error, hard=_is_hard(error))
    else:  # the connection broke before the "." went: the server has nothing
        _release(token, unit.deliveries)


class Sender:
    """A task's connections to the mail server (smtp.Fleet), reused for every batch it sends."""

    def __init__(self) -> None:
        self.fleet = smtp.Fleet() if smtp.Fleet.usable() else None

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.fleet is not None:
            self.fleet.close()

    def send(self, token: str, units: list[Unit]) -> int:
        """Send a claimed batch; the number of messages the server accepted."""
        if not units:
            return 0
        if self.fleet is None:
            return _send_plain(token, units)
        if not self.fleet.open(len(units)):
            logger.warning("mail server unreachable: %s messages wait", len(units))
            _release(token, [pk for unit in units for pk in unit.deliveries])
            return 0
        accepted = 0
        sent: list[int] = []
        pending = list(units)
        while pending:
            slots = self.fleet.live()
            if not slots:  # every connection broke: the rest waits for a retry
                logger.warning("mail server went away: %s messages wait", len(pending))
                _release(token, [pk for unit in pending for pk in unit.deliveries])
                break
            wave = dict(zip(slots, pending, strict=False))
            pending = pending[len(wave) :]
            accepted_rows = self._wave(token, wave, sent)
            accepted += len(accepted_rows)
            sent = [pk for rows in accepted_rows for pk in rows]
            self.fleet.open(len(pending))  # reopen what broke
        _mark(token, [], sent)
        counters.MAIL_SENT.inc(accepted)
        return accepted

    def _wave(self, token: str, wave: dict[int, Unit], sent: list[int]) -> list[list[int]]:
        staged = self.fleet.stage({i: unit.wire() for i, unit in wave.items()})
        ready = {i: unit for i, unit in wave.items() if staged[i] is None}
        for index, error in staged.items():
            if error is not None:
                counters.MAIL_FAILED.inc()
                _refused(token, wave[index], error)
        marked = _mark(token, [pk for unit in ready.values() for pk in unit.deliveries], sent)
        allowed = {i: u for i, u in ready.items() if set(u.deliveries) <= marked}
        for index, unit in ready.items():
            if index not in allowed:  # taken back by another worker: never accepted here
                self.fleet.abort(index)
                _release(token, unit.deliveries)
        verdicts = self.fleet.finish(list(allowed))
        done = []
        for index, error in verdicts.items():
            if error is None:
                done.append(allowed[index].deliveries)
            elif isinstance(error, smtplib.SMTPResponseException):
                counters.MAIL_FAILED.inc()
                _failed(token, allowed[index], error, hard=_is_hard(error))
            # Else the connection broke after the "." went: the server may have the message, so
            # the row stays `sending` and is never sent again (recover makes it `unknown`).
        return done


def _send_plain(token: str, units: list[Unit]) -> int:
    """Any other backend (the console in development, memory in tests): the batch is marked
    sending, handed over, then marked sent."""
    ids = [pk for unit in units for pk in unit.deliveries]
    marked = _mark(token, ids, [])
    ready = [unit for unit in units if set(unit.deliveries) <= marked]
    connection = get_connection()
    accepted = connection.send_messages([unit.message() for unit in ready]) or 0
    _mark(token, [], [pk for unit in ready for pk in unit.deliveries])
    return accepted


def send_units(token: str, units: list[Unit]) -> int:
    """Send one claimed batch over connections of its own."""
    with Sender() as sender:
        return sender.send(token, units)
