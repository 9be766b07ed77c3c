"""Expiring, signed JSON tokens for emailed links (django.core.signing).

They replace django-comments-xtd's links, which are a signed pickle that never expires and, when
replayed, re-create the comment they carry. Ours carry only an email (and a thread), never a
comment, so a replayed link cannot bring anything back.
"""

from django.conf import settings
from django.core import signing

__all__ = ["BadToken", "read", "sign"]

SALT = "rounds.comments.{kind}"
BadToken = signing.BadSignature  # SignatureExpired is a subclass


def sign(kind: str, payload: dict) -> str:
    return signing.dumps(payload, salt=SALT.format(kind=kind), compress=True)


def read(kind: str, token: str, max_age: int | None = None) -> dict:
    """The payload, or BadToken if forged, for another kind, or older than max_age seconds."""
    payload = signing.loads(
        token, salt=SALT.format(kind=kind), max_age=max_age or settings.COMMENTS_CONFIRM_MAX_AGE
    )
    if not isinstance(payload, dict):
        raise BadToken("payload is not an object")
    return payload
