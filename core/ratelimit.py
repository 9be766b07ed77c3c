"""How often one key (a reader, an address) may do something, counted from stored rows.

The rule the comment form and the subscribe form share: at most `count` rows in any
`seconds`-long window, read from the rows an app stores anyway (comments, subscribe requests), so
it needs nothing beyond the database, survives restarts and every app server agrees. Who a reader
is comes from `core.http.reader_key`; which rows count is the caller's business.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

__all__ = ["Limit", "limits_from", "wait_for", "wait_for_all"]


@dataclass(frozen=True)
class Limit:
    """At most `count` rows in any `seconds`-long window."""

    count: int
    seconds: int


def limits_from(pairs) -> list[Limit]:
    """Limits from a setting's (count, seconds) pairs (an empty setting: no limit)."""
    return [Limit(int(count), int(seconds)) for count, seconds in pairs or ()]


def wait_for(rows: QuerySet, limit: Limit, now: datetime.datetime, field: str) -> int:
    """Seconds until the window holds fewer than `limit.count` of these rows (0: not limited),
    reading each row's moment from `field`."""
    since = now - datetime.timedelta(seconds=limit.seconds)
    recent = list(
        rows.filter(**{f"{field}__gt": since})
        .order_by(f"-{field}")
        .values_list(field, flat=True)[: limit.count]
    )
    if len(recent) < limit.count:
        return 0
    # The oldest of the last `count` rows must leave the window before another fits.
    frees_at = recent[-1] + datetime.timedelta(seconds=limit.seconds)
    return max(1, int((frees_at - now).total_seconds() + 0.999))


def wait_for_all(keys: list[QuerySet], limits: list[Limit], now: datetime.datetime, field: str) -> int:
    """The longest wait any key's rows impose under any limit: each key is limited on its own, so
    changing one (the address typed) never resets another (the reader's count)."""
    return max((wait_for(rows, limit, now, field) for rows in keys for limit in limits), default=0)
