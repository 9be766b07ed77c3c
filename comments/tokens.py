"""Expiring, signed JSON tokens for the links we hand out (django.core.signing).

They replace django-comments-xtd's links, which are a signed pickle that never expires and, when
replayed, re-create the comment they carry. Ours carry only an email (and a thread) or a comment
id, never a comment, so a replayed link cannot bring anything back.

Each kind of link has one lifetime, in MAX_AGE; `read` applies it, so no caller chooses its own.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing

__all__ = ["MAX_AGE", "BadToken", "read", "sign"]

SALT = "rounds.comments.{kind}"
BadToken = signing.BadSignature  # SignatureExpired is a subclass

# Seconds each kind of link stays valid, read when a link is checked (so settings may change).
MAX_AGE: dict[str, Callable[[], int]] = {
    # "What happened to my comment": the page right after posting, which may show held text.
    "posted": lambda: 60 * 60,
    # Confirm an address for reply notifications (the setting django-comments-xtd also reads).
    "confirm": lambda: settings.COMMENTS_CONFIRM_MAX_AGE,
    # Stop emails about one conversation, from any reply notification.
    "unsubscribe": lambda: 365 * 24 * 60 * 60,
}


def _salt(kind: str) -> str:
    if kind not in MAX_AGE:
        raise ValueError(f"no such kind of link: {kind!r}")
    return SALT.format(kind=kind)


def sign(kind: str, payload: dict) -> str:
    return signing.dumps(payload, salt=_salt(kind), compress=True)


def read(kind: str, token: str) -> dict:
    """The payload, or BadToken if forged, for another kind, or older than its kind's lifetime."""
    payload = signing.loads(token, salt=_salt(kind), max_age=MAX_AGE[kind]())
    if not isinstance(payload, dict):
        raise BadToken("payload is not an object")
    return payload
