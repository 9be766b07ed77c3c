"""A real SMTP server (aiosmtpd) on a free local port that keeps what it accepted: the tests and
bench/mail.py send through it and read the messages back, headers included."""

import email
import email.policy
import re
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from bench.servers import free_port

__all__ = ["Received", "Sink", "smtp_sink"]

POST_TAG = re.compile(rb"Message-ID: <rounds\.post(\d+)\.", re.IGNORECASE)


@dataclass
class Received:
    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


@dataclass
class Sink:
    """What the server received. `refuse` maps an address to an SMTP reply (e.g. "550 no such
    user") given to RCPT for it."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    refuse: dict[str, str] = field(default_factory=dict)
    keep_bodies: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict[str, int] = field(default_factory=dict)
    # Copies per (recipient, post id), read from the Message-ID of a post's email.
    by_post: dict[tuple[str, int], int] = field(default_factory=dict)
    # Running totals (all messages, and per post), so a poller never walks the dictionaries.
    accepted: int = 0
    post_totals: dict[int, int] = field(default_factory=dict)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        post = POST_TAG.search(envelope.content or b"")
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.accepted += 1
                self.counts[recipient] = self.counts.get(recipient, 0) + 1
                if post:
                    post_id = int(post.group(1))
                    self.by_post[recipient, post_id] = self.by_post.get((recipient, post_id), 0) + 1
                    self.post_totals[post_id] = self.post_totals.get(post_id, 0) + 1
            if self.keep_bodies:
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def of_post(self, post_id: int) -> int:
        with self.lock:
            return self.post_totals.get(post_id, 0)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class _CountingController(Controller):
    def __init__(self, sink: Sink, **kwargs):
        self.sink = sink
        super().__init__(sink, **kwargs)

    def factory(self):
        sink = self.sink

        class Counting(SMTP):
            def connection_made(self, transport):
                with sink.lock:
                    sink.connections += 1
                super().connection_made(transport)

        return Counting(self.handler, **self.SMTP_kwargs)


def smtp_sink(keep_bodies: bool = True) -> tuple[Sink, Controller]:
    """A started sink and its controller (call `.stop()` when done)."""
    sink = Sink(port=free_port(), keep_bodies=keep_bodies)
    controller = _CountingController(sink, hostname=sink.host, port=sink.port)
    controller.start()
    sink.connections = 0  # start() connects once itself, to see the server answer
    return sink, controller
