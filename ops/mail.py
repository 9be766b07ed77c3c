"""Counts the mail sent and failed (ops.counters), around the real backend.

EMAIL_BACKEND names this; OPS_EMAIL_BACKEND the backend that sends (SMTP in production, from the
EMAIL_BACKEND environment variable). Every email, whatever app sends it, passes here once.
"""

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend

from . import counters

__all__ = ["CountingBackend", "real_backend"]


def real_backend(**kwargs: object) -> BaseEmailBackend:
    """The backend that actually sends (OPS_EMAIL_BACKEND), e.g. for the doctor to try."""
    return get_connection(settings.OPS_EMAIL_BACKEND, **kwargs)


class CountingBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: object) -> None:
        super().__init__(fail_silently=fail_silently)
        self.inner = real_backend(fail_silently=fail_silently, **kwargs)

    def open(self):
        return self.inner.open()

    def close(self) -> None:
        self.inner.close()

    def send_messages(self, email_messages) -> int:
        messages = list(email_messages)
        try:
            sent = self.inner.send_messages(messages) or 0
        except Exception:
            counters.MAIL_FAILED.inc(len(messages))
            raise
        counters.MAIL_SENT.inc(sent)
        if sent < len(messages):  # fail_silently backends say so by sending fewer
            counters.MAIL_FAILED.inc(len(messages) - sent)
        return sent
