"""The discussion at a glance, on the Wagtail dashboard, for moderators and leadership: are readers
being heard, and how fast? A fixed number of queries whatever the number of comments; each figure links into
the moderation queue with the filter that shows it. Registered in wagtail_hooks.py.

Questions for the hospital: how many wait for an official answer (visibility.unanswered_questions),
the oldest wait, and the median time from a question to its answer over the last 30 days: two
query more (six in all)."""

import datetime
import statistics
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from blog.models import BlogPage

from .models import Comment, Moderation, Status
from .visibility import unanswered

__all__ = ["DiscussionPanel", "Stats", "can_see", "stats"]

PERMISSION = "django_comments.can_moderate"
WEEK = datetime.timedelta(days=7)
MONTH = datetime.timedelta(days=30)
BUSIEST = 5


@dataclass
class BusyPost:
    title: str
    comments: int
    url: str


@dataclass
class Stats:
    waiting: int = 0
    oldest_waiting: datetime.timedelta | None = None
    reported: int = 0
    published_this_week: int = 0
    median_decision: datetime.timedelta | None = None
    decisions: int = 0
    busiest: list[BusyPost] = field(default_factory=list)
    unanswered: int = 0
    oldest_unanswered: datetime.timedelta | None = None
    median_answer: datetime.timedelta | None = None
    answers: int = 0
    links: dict[str, str] = field(default_factory=dict)


def can_see(user) -> bool:
    """Moderators, and leadership (superusers here: the site has no leadership group yet)."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.has_perm(PERMISSION)))


def _queue(**params) -> str:
    return f"{reverse('comments_admin:queue')}?{urlencode(params)}"


def stats(now: datetime.datetime | None = None) -> Stats:
    """The panel's figures, in six queries: counts, this week's comments published without review,
    decision times, answer times, busiest posts, their titles."""
    now = now or timezone.now()
    week_ago, month_ago = now - WEEK, now - MONTH
    reported = Q(report_count__gt=0, status__in=[Status.WAITING, Status.PUBLISHED])
    # Only rows some figure may count, each side of the OR on an index of its own: the aggregate
    # then reads what waits, is reported, asks or was decided this week, never every comment.
    candidates = (
        Q(status=Status.WAITING) | Q(report_count__gt=0) | Q(question=True) | Q(decided_at__gte=week_ago)
    )
    figures = Moderation.objects.filter(candidates).aggregate(
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        oldest=Min("comment__submit_date", filter=Q(status=Status.WAITING)),
        reported=Count("pk", filter=reported),
        decided_week=Count("pk", filter=Q(status=Status.PUBLISHED, decided_at__gte=week_ago)),
        unanswered=Count("pk", filter=unanswered()),
        oldest_unanswered=Min("comment__submit_date", filter=unanswered()),
    )
    # A comment published without review (staff, or by the rules) counts from when it was posted:
    # this week's comments, read from the date index.
    undecided_week = Moderation.objects.filter(
        status=Status.PUBLISHED, decided_at__isnull=True, comment__submit_date__gte=week_ago
    ).count()
    # Median in Python from one query: portable, and 30 days of decisions is a small list.
    durations = [
        decided - submitted
        for submitted, decided in Moderation.objects.filter(
            decided_at__gte=month_ago, decided_by__isnull=False
        ).values_list("comment__submit_date", "decided_at")
        if decided >= submitted
    ]
    busiest = list(
        Comment.objects.filter(submit_date__gte=week_ago)
        .values("object_pk")
        .annotate(n=Count("pk"))
        .order_by("-n", "object_pk")[:BUSIEST]
    )
    ids = [int(row["object_pk"]) for row in busiest if row["object_pk"].isdigit()]
    titles = dict(BlogPage.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    week_start = timezone.localtime(week_ago).date().isoformat()
    answer_times = [
        answered - asked
        for asked, answered in Moderation.objects.filter(
            question=True, answered_at__gte=month_ago, answer__isnull=False
        ).values_list("comment__submit_date", "answered_at")
        if answered >= asked
    ]
    return Stats(
        unanswered=figures["unanswered"],
        oldest_unanswered=now - figures["oldest_unanswered"] if figures["oldest_unanswered"] else None,
        median_answer=statistics.median(answer_times) if answer_times else None,
        answers=len(answer_times),
        waiting=figures["waiting"],
        oldest_waiting=now - figures["oldest"] if figures["oldest"] else None,
        reported=figures["reported"],
        published_this_week=figures["decided_week"] + undecided_week,
        median_decision=statistics.median(durations) if durations else None,
        decisions=len(durations),
        busiest=[
            BusyPost(
                titles[int(row["object_pk"])],
                row["n"],
                _queue(status="all", post=row["object_pk"], submitted_from=week_start),
            )
            for row in busiest
            if row["object_pk"].isdigit() and int(row["object_pk"]) in titles
        ],
        links={
            "waiting": _queue(status="waiting"),
            "reported": _queue(status="reported"),
            "unanswered": _queue(status="unanswered"),
            "published": _queue(status="published", submitted_from=week_start),
            "decided": _queue(status="all", submitted_from=timezone.localtime(month_ago).date().isoformat()),
        },
    )


class DiscussionPanel(Component):
    name = "discussion"
    order = 90  # above Wagtail's own panels (pages awaiting moderation is 100)
    template_name = "comments/admin/dashboard_panel.html"

    class Media:
        css = {"all": ["comments/admin.css"]}

    def get_context_data(self, parent_context=None) -> dict:
        return {"stats": stats(), "title": _("Readers' comments")}
