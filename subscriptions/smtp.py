"""Several SMTP connections driven in step, each carrying one message of a wave at a time.

smtplib has no pipelining, so one connection pays four round trips per message (MAIL, RCPT,
DATA, the body and its "."). Writing each command to every connection of a wave before reading
their replies overlaps those round trips, and lets the caller record a whole wave in one commit
between the body and the final "." (sending.py): without that "." the server accepts nothing, and
the only way to take a body back is to drop its connection.

Connections are the configured backend's own (host, port, TLS, login from the settings), opened
once and reused for every wave and batch of a task; a broken one is reopened for the next wave.
"""

import contextlib
import re
import smtplib
import socket
from dataclasses import dataclass
from smtplib import quoteaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import EmailMessage, sanitize_address

__all__ = ["Envelope", "Fleet", "backend", "connections"]

_PERIOD_AT_LINE_START = re.compile(rb"(?m)^\.")
_BARE_EOL = re.compile(rb"\r\n|\r|\n")


def connections() -> int:
    """How many connections a worker keeps open to the mail server (a wave's size)."""
    return max(1, int(getattr(settings, "SUBSCRIPTIONS_SMTP_CONNECTIONS", 10)))


def backend() -> BaseEmailBackend:
    """The backend that sends: ops.mail.CountingBackend wraps it (the caller counts instead)."""
    connection = get_connection()
    return getattr(connection, "inner", connection)


@dataclass
class Envelope:
    """A message as the server gets it: sender, recipients, and the DATA bytes (CRLF, dot-stuffed)."""

    sender: str
    recipients: list[str]
    data: bytes

    @classmethod
    def of(cls, message: EmailMessage) -> "Envelope":
        encoding = message.encoding or settings.DEFAULT_CHARSET
        return cls.wired(
            sanitize_address(message.from_email, encoding),
            [sanitize_address(address, encoding) for address in message.recipients()],
            message.message().as_bytes(linesep="\r\n"),
        )

    @classmethod
    def wired(cls, sender: str, recipients: list[str], raw: bytes) -> "Envelope":
        """Addresses as SMTP takes them, around `raw`, a message flattened to bytes."""
        data = _PERIOD_AT_LINE_START.sub(b"..", _BARE_EOL.sub(b"\r\n", raw))
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        return cls(sender, recipients, data)


class Fleet:
    """`size` SMTP connections. `stage` takes a wave up to the final "." of each body; `finish`
    sends the "."s the caller allows and reads the server's verdicts; `abort` drops a connection
    whose body must not be accepted. Per message, None means it went well, else the error."""

    def __init__(self, size: int | None = None) -> None:
        self.size = size or connections()
        self._backends: list[SMTPBackend | None] = [None] * self.size
        self.opened = 0

    @staticmethod
    def usable() -> bool:
        return isinstance(backend(), SMTPBackend)

    def open(self, wanted: int) -> bool:
        """Have up to `wanted` connections open (a short batch needs fewer); False when none can
        be (the server is away)."""
        for index in range(min(wanted, self.size)):
            if self._live(index) is not None:
                continue
            fresh = backend()
            try:
                fresh.open()
            except OSError:  # smtplib's errors included
                continue
            smtp = fresh.connection
            if smtp.sock is not None:
                # The body and its "." are two writes: without this, Nagle's algorithm holds the
                # "." until the server acknowledges the body (a delayed ACK: up to 40 ms).
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._backends[index] = fresh
            self.opened += 1
        return bool(self.live())

    def _live(self, index: int) -> smtplib.SMTP | None:
        current = self._backends[index]
        return current.connection if current is not None else None

    def live(self) -> list[int]:
        return [i for i in range(self.size) if self._live(i) is not None]

    def abort(self, index: int) -> None:
        """Drop connection `index` without its "." (the server discards the open message)."""
        current = self._backends[index]
        self._backends[index] = None
        if current is not None and current.connection is not None:
            with contextlib.suppress(OSError):
                current.connection.close()

    def _step(self, slots: dict[int, Exception | None], command, expect: tuple[int, ...]) -> None:
        """One command on every slot still going, then every reply (the round trips overlap)."""
        going = [i for i, error in slots.items() if error is None]
        for index in going:
            try:
                command(index, self._live(index))
            except OSError as error:  # smtplib's errors included
                slots[index] = error
        for index in [i for i in going if slots[i] is None]:
            try:
                code, reply = self._live(index).getreply()
            except OSError as error:
                slots[index] = error
                continue
            if code not in expect:
                slots[index] = smtplib.SMTPResponseException(code, reply)
                self._reset(index)

    def _reset(self, index: int) -> None:
        try:
            self._live(index).rset()
        except OSError:
            self.abort(index)

    def stage(self, wave: dict[int, Envelope]) -> dict[int, Exception | None]:
        """Each envelope on its connection (index), up to and not including the final "."."""
        slots: dict[int, Exception | None] = dict.fromkeys(wave)
        for index in wave:
            try:
                self._live(index).ehlo_or_helo_if_needed()
            except OSError as error:
                slots[index] = error
        self._step(slots, lambda i, smtp: smtp.putcmd("mail", f"FROM:{quoteaddr(wave[i].sender)}"), (250,))
        for n in range(max((len(e.recipients) for e in wave.values()), default=0)):
            with_one = {i: s for i, s in slots.items() if n < len(wave[i].recipients)}
            rcpt = lambda i, smtp, n=n: smtp.putcmd("rcpt", f"TO:{quoteaddr(wave[i].recipients[n])}")  # noqa: E731
            self._step(with_one, rcpt, (250, 251))
            slots.update(with_one)
        self._step(slots, lambda i, smtp: smtp.putcmd("data"), (354,))
        for index, error in slots.items():
            if error is None:
                try:
                    self._live(index).send(wave[index].data)
                except OSError as failure:
                    slots[index] = failure
        for index, error in slots.items():
            if error is not None and not isinstance(error, smtplib.SMTPResponseException):
                self.abort(index)  # broken mid-command: reopened for the next wave
        return slots

    def finish(self, indexes: list[int]) -> dict[int, Exception | None]:
        """The final "." on each connection, then each verdict."""
        slots: dict[int, Exception | None] = dict.fromkeys(indexes)
        self._step(slots, lambda i, smtp: smtp.send(b".\r\n"), (250,))
        for index, error in slots.items():
            if error is not None and not isinstance(error, smtplib.SMTPResponseException):
                self.abort(index)
        return slots

    def close(self) -> None:
        for index, current in enumerate(self._backends):
            if current is not None:
                with contextlib.suppress(OSError):
                    current.close()
                self._backends[index] = None
