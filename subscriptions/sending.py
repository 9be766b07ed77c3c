"""Sending a mailing: claim a batch, send it over one SMTP connection, record each message.

At most once, whatever happens:
- A batch is claimed with one conditional UPDATE (`queued` -> `claimed`, with this worker's claim
  token); two workers never hold the same row, and a row another worker took back is skipped.
- A message goes to the mail server in two steps. Its envelope and body are sent, then the row is
  marked `sending` (committed), and only then the final "." that makes the server accept it. A
  worker killed before that mark leaves a `claimed` row the server never accepted: it is sent again
  once its claim expires (CLAIM_SECONDS). A worker killed after it leaves a `sending` row, which is
  never sent again (it becomes `unknown`): the server may already have it.
- The unique (subscriber, post) constraint means a republish or a second mailing finds the rows.

Memory stays flat: a batch is BATCH_SIZE rows, read and forgotten before the next.
"""

import datetime
import logging
import re
import smtplib
import socket
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import EmailMessage, sanitize_address
from django.db import connection as database
from django.db import transaction
from django.utils import timezone

from .models import HARD_FAILURES_TO_SUSPEND, Delivery, Subscriber

logger = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "Unit", "claim", "recover", "retry_delay", "send_units"]

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
    message: EmailMessage


def recover(now: datetime.datetime | None = None, **scope) -> None:
    """Take back what a dead worker held: claimed rows never reached the server (send them
    again); a row marked sending may have (never send it again)."""
    expired = (now or timezone.now()) - datetime.timedelta(seconds=claim_seconds())
    stale = Delivery.objects.filter(claimed_at__lt=expired, **scope)
    stale.filter(state=Delivery.State.CLAIMED).update(state=Delivery.State.QUEUED, claim="")
    stale.filter(state=Delivery.State.SENDING).update(state=Delivery.State.UNKNOWN)


def claim(rows, size: int = BATCH_SIZE, state: str = Delivery.State.QUEUED) -> tuple[str, list[Delivery]]:
    """Claim up to `size` of `rows` (a Delivery queryset) in `state` for this worker."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            rows.filter(state=state)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        Delivery.objects.filter(pk__in=ids, state=state).update(
            state=Delivery.State.CLAIMED, claim=token, claimed_at=now
        )
    claimed = list(Delivery.objects.filter(claim=token).select_related("subscriber").order_by("pk"))
    return token, claimed


def _to_sending(token: str, ids: list[int], sent_before: list[int]) -> bool:
    """One commit: the previous message's rows are sent, this one's are about to be. False when
    another worker took them back meanwhile (then this message is not sent)."""
    now = timezone.now()
    with transaction.atomic():
        if database.vendor == "postgresql":
            # One commit per message: waiting for its WAL flush would cap the rate at the disk's.
            # A worker killed after this commit still finds the mark (the server holds it); only
            # a crash of PostgreSQL itself could lose the last fraction of a second of marks.
            with database.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if sent_before:
            Delivery.objects.filter(pk__in=sent_before, claim=token).update(
                state=Delivery.State.SENT, sent_at=now
            )
        marked = Delivery.objects.filter(pk__in=ids, claim=token, state=Delivery.State.CLAIMED).update(
            state=Delivery.State.SENDING, claimed_at=now
        )
    return marked == len(ids)


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
    """Give rows back untouched (the connection failed before they were tried)."""
    later = timezone.now() + retry_delay(1)
    Delivery.objects.filter(pk__in=ids, claim=token, state=Delivery.State.CLAIMED).update(
        state=Delivery.State.QUEUED, claim="", not_before=later
    )


_PERIOD_AT_LINE_START = re.compile(rb"(?m)^\.")
_BARE_EOL = re.compile(rb"\r\n|\r|\n")


def _smtp_send(smtp: smtplib.SMTP, message: EmailMessage, before_commit: Callable[[], bool]) -> bool:
    """smtplib's sendmail, split so that `before_commit` runs between the body and the final ".".
    False: `before_commit` said not to send (the transaction is reset, nothing accepted)."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    body = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    code, reply = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)
    data = _PERIOD_AT_LINE_START.sub(b"..", _BARE_EOL.sub(b"\r\n", body))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    smtp.send(data)
    if not before_commit():
        # Without the final "." the server has accepted nothing; end the DATA phase and reset.
        smtp.send(b".\r\n")  # a DATA phase can only end with "."; RSET follows
        smtp.getreply()
        smtp.rset()
        return False
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return True


def _is_hard(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(500 <= code < 600 for code, _reply in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _went_away(token: str, error: Exception, previous: list[int], rest: list[Unit]) -> None:
    """The server went away mid-batch: what it accepted is sent, the rest goes back to the queue
    (the row marked sending, if any, stays so: the server may have taken it)."""
    logger.warning("mail server went away (%s): %s messages wait", type(error).__name__, len(rest))
    if previous:
        _to_sending(token, [], previous)
    _release(token, [pk for unit in rest for pk in unit.deliveries])


def send_units(token: str, units: list[Unit]) -> int:
    """Send a claimed batch over one connection; the number of messages the server accepted."""
    connection = get_connection()
    precise = isinstance(connection, SMTPBackend)
    done: list[int] = []
    accepted = 0
    try:
        connection.open()
    except OSError as error:  # smtplib's errors included
        logger.warning("mail server unreachable (%s): %s messages wait", type(error).__name__, len(units))
        _release(token, [pk for unit in units for pk in unit.deliveries])
        return 0
    if precise and connection.connection is not None and connection.connection.sock is not None:
        # The body and the final "." are two writes: without this, Nagle's algorithm holds the "."
        # until the server acknowledges the body (a delayed ACK: up to 40 ms a message).
        connection.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        for index, unit in enumerate(units):
            previous = done
            try:
                if precise:
                    sent = _smtp_send(
                        connection.connection,
                        unit.message,
                        lambda u=unit, p=previous: _to_sending(token, u.deliveries, p),
                    )
                else:
                    sent = _to_sending(token, unit.deliveries, previous) and bool(
                        connection.send_messages([unit.message])
                    )
            except smtplib.SMTPServerDisconnected as error:
                _went_away(token, error, previous, units[index:])
                return accepted
            except smtplib.SMTPException as error:  # this message refused: the others go on
                if previous:
                    _to_sending(token, [], previous)
                done = []
                _failed(token, unit, error, hard=_is_hard(error))
                continue
            except OSError as error:  # the connection broke (SMTPException is an OSError too)
                _went_away(token, error, previous, units[index:])
                return accepted
            if previous and not sent:
                _to_sending(token, [], previous)
            done = unit.deliveries if sent else []
            accepted += int(sent)
        if done:
            _to_sending(token, [], done)
    finally:
        try:
            connection.close()
        except OSError:
            logger.info("the mail server closed the connection first")
    return accepted
