"""How fast one reader may comment: per address and per email, counted from stored comments.

The count is of comment rows (every row, spam and rejected included: a spammer's spam still
counts), not of an in-process counter, so it needs nothing beyond the database, survives restarts,
and every app server sharing the database sees the same count. A reader is `core.http.reader_key`
(stored on each comment's moderation row): the address `client_ip` gives, so a made-up
X-Forwarded-For never moves a reader out of a limit; an IPv6 /64 as one reader, since one device
or household may use any address in it; and every reader without a usable address in one shared
"unknown" bucket, since skipping them would mean no limit at all behind a Unix-socket proxy.

Two requests racing through the check at the same instant can both pass it (the check and the
insert are not one transaction); a limit that lets one extra comment through under that race is
still a limit, and it keeps the check a read that never blocks another writer.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Comment, HelpfulMark

__all__ = ["Limit", "configured_limits", "helpful_retry_after", "retry_after"]


@dataclass(frozen=True)
class Limit:
    """At most `count` comments in any `seconds`-long window."""

    count: int
    seconds: int


def configured_limits(name: str = "COMMENT_RATE_LIMITS") -> list[Limit]:
    """settings.COMMENT_RATE_LIMITS (or another list of the same shape, `name`) as Limits; empty
    (no limit) when COMMENT_RATE_LIMIT=0."""
    return [Limit(int(count), int(seconds)) for count, seconds in getattr(settings, name, ())]


def _wait_for(rows, limit: Limit, now: datetime.datetime, moment: str = "submit_date") -> int:
    """Seconds until the window holds fewer than `limit.count` of these rows (0: not limited),
    each row counted at its `moment` field."""
    since = now - datetime.timedelta(seconds=limit.seconds)
    recent = list(
        rows.filter(**{f"{moment}__gt": since})
        .order_by(f"-{moment}")
        .values_list(moment, flat=True)[: limit.count]
    )
    if len(recent) < limit.count:
        return 0
    # The oldest of the last `count` comments must leave the window before another fits.
    frees_at = recent[-1] + datetime.timedelta(seconds=limit.seconds)
    return max(1, int((frees_at - now).total_seconds() + 0.999))


def retry_after(
    *,
    reader: str,
    email: str = "",
    email_proven: bool = False,
    limits: list[Limit] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Seconds this reader (core.http.reader_key) or email must wait before commenting again; 0
    when they may comment now.

    Each key (reader, email) is limited on its own: changing the email does not reset the
    reader's count, and the same email from another address is still counted. The email counts
    only when its owner proved it (`email_proven`), and only its proven comments: a typed address
    proves nothing, so someone typing another reader's email can never use up that reader's limit.
    """
    limits = configured_limits() if limits is None else limits
    if not limits:
        return 0
    now = now or timezone.now()
    keys = []
    if reader:
        keys.append(Q(moderation__reader=reader))
    if email and email_proven:
        keys.append(Q(user_email__iexact=email.strip(), moderation__email_proven=True))
    wait = 0
    for key in keys:
        rows = Comment.objects.filter(key)
        for limit in limits:
            wait = max(wait, _wait_for(rows, limit, now))
    return wait


def helpful_retry_after(reader: str, *, now: datetime.datetime | None = None) -> int:
    """Seconds this reader (core.http.reader_key) must wait before marking another comment "This
    helped" (settings.HELPFUL_RATE_LIMITS, counted from their stored marks); 0 when they may."""
    limits = configured_limits("HELPFUL_RATE_LIMITS")
    if not limits:
        return 0
    now = now or timezone.now()
    rows = HelpfulMark.objects.filter(reader=reader)
    return max(_wait_for(rows, limit, now, "created_at") for limit in limits)
