"""The signed links of our emails (django.core.signing, JSON, one salt and lifetime per kind).

A link names one subscriber and carries a keyed digest of their address, so it acts for that
address only: a link for someone else's row, an address erased since, or a link of another kind is
refused. Links carry no state of their own: what they do is decided from the database when used.
"""

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber

__all__ = ["MAX_AGE", "BadLink", "address_digest", "notices_email", "read", "sign", "sign_notices"]

BadLink = signing.BadSignature
DAY = 24 * 60 * 60
MAX_AGE = {
    # The double opt-in link: the address is forgotten after 7 days unconfirmed anyway.
    "confirm": 7 * DAY,
    # In every email: change the choice or unsubscribe.
    "preferences": 365 * DAY,
    # RFC 8058's one-click link (List-Unsubscribe), and the footer's "unsubscribe".
    "unsubscribe": 365 * DAY,
    # Stop the notices about one's own comments (email in the link: a commenter may not subscribe).
    "notices": 365 * DAY,
}


def address_digest(email: str) -> str:
    """A keyed digest of an address: links and rate limits name it without holding it."""
    return salted_hmac("rounds.subscriptions.address", (email or "").strip().lower()).hexdigest()[:32]


def _salt(kind: str) -> str:
    if kind not in MAX_AGE:
        raise ValueError(f"no such kind of link: {kind!r}")
    return f"rounds.subscriptions.{kind}"


def sign(kind: str, subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "d": address_digest(subscriber.email)}, salt=_salt(kind))


def read(kind: str, token: str) -> Subscriber:
    """The subscriber a live link of this kind names; BadLink if forged, expired, of another kind,
    or for an address that is no longer the row's (erased, or another reader's row)."""
    payload = signing.loads(token, salt=_salt(kind), max_age=MAX_AGE[kind])
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise BadLink("not a subscriber link")
    subscriber = Subscriber.objects.filter(pk=payload["s"]).first()
    if subscriber is None or not constant_time_compare(
        str(payload.get("d")), address_digest(subscriber.email)
    ):
        raise BadLink("no such subscriber")
    return subscriber


def sign_notices(email: str) -> str:
    return signing.dumps({"e": email.lower()}, salt=_salt("notices"))


def notices_email(token: str) -> str:
    payload = signing.loads(token, salt=_salt("notices"), max_age=MAX_AGE["notices"])
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise BadLink("not a notices link")
    return payload["e"]
