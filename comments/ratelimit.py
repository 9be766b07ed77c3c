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

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.ratelimit import Limit, limits_from, wait_for_all

from .models import Comment, HelpfulMark

__all__ = ["Limit", "configured_limits", "helpful_retry_after", "retry_after"]


def configured_limits() -> list[Limit]:
    """settings.COMMENT_RATE_LIMITS as Limits; empty (no limit) when COMMENT_RATE_LIMIT=0."""
    return limits_from(getattr(settings, "COMMENT_RATE_LIMITS", ()))


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
    return wait_for_all([Comment.objects.filter(key) for key in keys], limits, now, "submit_date")


def helpful_retry_after(reader: str, *, now: datetime.datetime | None = None) -> int:
    """Seconds this reader (core.http.reader_key) must wait before marking another comment "This
    helped" (settings.HELPFUL_RATE_LIMITS, counted from their stored marks); 0 when they may."""
    limits = limits_from(getattr(settings, "HELPFUL_RATE_LIMITS", ()))
    now = now or timezone.now()
    return wait_for_all([HelpfulMark.objects.filter(reader=reader)], limits, now, "created_at")
