"""For leadership: where readers' feedback stands, and how long it takes from hearing to changing.

Two queries whatever the volume: one count of feedback by topic and status, one list of changes
with the first feedback comment on their topic that came before each.
"""

import dataclasses
import datetime
import statistics

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from .models import Change, Feedback, FeedbackStatus

__all__ = ["Summary", "TopicRow", "summary"]


@dataclasses.dataclass
class TopicRow:
    name: str
    counts: list[int]  # in FeedbackStatus order
    median_days: float | None


@dataclasses.dataclass
class Summary:
    statuses: list[str]
    rows: list[TopicRow]
    median_days: float | None
    changes: int


def _days_to_change() -> list[tuple[str, int]]:
    """(topic name, days from the topic's first feedback comment to the change) for each change
    that had feedback on its topic before it."""
    first_comment = (
        Feedback.objects.filter(topic=OuterRef("topic"), comment__submit_date__date__lte=OuterRef("date"))
        .order_by("comment__submit_date")
        .values("comment__submit_date")[:1]
    )
    rows = Change.objects.annotate(first_comment=Subquery(first_comment)).values_list(
        "topic__name", "date", "first_comment"
    )
    lags = []
    for topic, date, first in rows:
        if first is None:
            continue
        if isinstance(first, str):  # SQLite returns a subquery's datetime as text
            first = datetime.datetime.fromisoformat(first)
        if timezone.is_naive(first):
            first = timezone.make_aware(first, datetime.UTC)
        lags.append((topic, (date - timezone.localdate(first)).days))
    return lags


def summary() -> Summary:
    counts: dict[str, dict[str, int]] = {}
    for topic, status, n in (
        Feedback.objects.values_list("topic__name", "status").annotate(n=Count("pk")).order_by("topic__name")
    ):
        counts.setdefault(topic, {})[status] = n
    lags = _days_to_change()
    by_topic: dict[str, list[int]] = {}
    for topic, days in lags:
        by_topic.setdefault(topic, []).append(days)
    names = sorted(set(counts) | set(by_topic))
    return Summary(
        statuses=[str(label) for label in FeedbackStatus.labels],
        rows=[
            TopicRow(
                name=name,
                counts=[counts.get(name, {}).get(value, 0) for value in FeedbackStatus.values],
                median_days=statistics.median(by_topic[name]) if name in by_topic else None,
            )
            for name in names
        ],
        median_days=statistics.median([days for _topic, days in lags]) if lags else None,
        changes=len(lags),
    )
