"""Expiring, signed JSON tokens for the links we hand out (django.core.signing).

They replace django-comments-xtd's links, which are a signed pickle that never expires and, when
replayed, re-create the comment they carry. Ours carry only an email (and a thread) or a comment
id, never a comment, so a replayed link cannot bring anything back.

Each kind of link has one lifetime, in MAX_AGE; `read` applies it, so no caller chooses its own.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

__all__ = [
    "MAX_AGE",
    "BadToken",
    "helpful_token",
    "is_helpful_token",
    "is_report_token",
    "read",
    "report_token",
    "sign",
]

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
    # Report one comment: handed out by the report page (or its JSON twin) to one reader, so a
    # report needs that page and cannot be forged by a bare or cross-site POST.
    "report": lambda: 2 * 60 * 60,
    # Mark one comment "This helped": handed out the same way, to one reader (comments/helpful.py).
    "helpful": lambda: 2 * 60 * 60,
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


def _reader_digest(reader: str) -> str:
    # The token names its reader without carrying their address.
    return salted_hmac("rounds.comments.report-reader", reader).hexdigest()[:20]


def _reader_token(kind: str, comment_pk: int, reader: str) -> str:
    return sign(kind, {"c": comment_pk, "r": _reader_digest(reader)})


def _is_reader_token(kind: str, token: str, comment_pk: int, reader: str) -> bool:
    try:
        payload = read(kind, token)
    except BadToken:
        return False
    return payload.get("c") == comment_pk and constant_time_compare(
        str(payload.get("r")), _reader_digest(reader)
    )


def report_token(comment_pk: int, reader: str) -> str:
    """The token a report of one comment by one reader (core.http.reader_key) needs. Bound to
    the reader, so a token someone fetched for themselves reports nothing from anyone else's
    browser: a hostile page cannot hand it to its visitors."""
    return _reader_token("report", comment_pk, reader)


def is_report_token(token: str, comment_pk: int, reader: str) -> bool:
    """Whether `token` is a live report token for this comment and this reader."""
    return _is_reader_token("report", token, comment_pk, reader)


def helpful_token(comment_pk: int, reader: str) -> str:
    """The token a "This helped" mark of one comment by one reader needs, bound like a report's.
    Used once: a second mark by the same reader is refused (the mark's own constraint)."""
    return _reader_token("helpful", comment_pk, reader)


def is_helpful_token(token: str, comment_pk: int, reader: str) -> bool:
    """Whether `token` is a live helpful token for this comment and this reader."""
    return _is_reader_token("helpful", token, comment_pk, reader)
