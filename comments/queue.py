"""What one page of the moderation queue shows beside each comment, gathered for the whole page at
once: the post, the comment it answers, the commenter's history and how long it waited. A page of
50 rows costs the same few queries as a page of 1 (tests/comments/test_admin.py counts them).

Each row's buttons and the queue's shortcuts come from the table of moderation actions
(actions.py), which other apps add to through the Wagtail hook `comment_queue_row_actions`.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from blog.models import BlogPage

from . import actions
from .cooking import cook_comments
from .models import Comment, Moderation, Status
from .sanitize import POLICY
from .visibility import visible

__all__ = [
    "SHORTCUTS_ATTRIBUTE",
    "History",
    "prepare_rows",
    "remember_shortcuts",
]

# Where the queue leaves its shortcuts for that dialog: an attribute of this request only.
SHORTCUTS_ATTRIBUTE = "comment_queue_shortcuts"


@dataclass
class History:
    """A commenter's other comments (same email, any case), by what became of them."""

    approved: int = 0
    waiting: int = 0
    rejected: int = 0
    spam: int = 0
    reported: int = 0
    url: str = ""

    @property
    def total(self) -> int:
        return self.approved + self.waiting + self.rejected + self.spam


_HISTORY_FIELDS = {
    Status.PUBLISHED: "approved",
    Status.WAITING: "waiting",
    Status.REJECTED: "rejected",
    Status.SPAM: "spam",
}


def _histories(emails: set[str]) -> dict[str, History]:
    """Each email's comments by status, and how many were reported: one query for the page."""
    histories = {email: History() for email in emails}
    if not emails:
        return histories
    rows = (
        Moderation.objects.annotate(email=Lower("comment__user_email"))
        .filter(email__in=emails)
        .values("email", "status")
        .annotate(n=Count("pk"), reported=Count("pk", filter=Q(report_count__gt=0)))
    )
    for row in rows:
        history = histories[row["email"]]
        field = _HISTORY_FIELDS.get(row["status"])
        if field:
            setattr(history, field, getattr(history, field) + row["n"])
        history.reported += row["reported"]
    return histories


def _without(history: History, moderation: Moderation) -> History:
    """The history as seen from one of its comments: the others only."""
    own = dataclasses.replace(history)
    field = _HISTORY_FIELDS.get(moderation.status)
    if field:
        setattr(own, field, max(getattr(own, field) - 1, 0))
    if moderation.report_count:
        own.reported = max(own.reported - 1, 0)
    return own


def waited(moderation: Moderation, now: datetime.datetime) -> datetime.timedelta:
    """How long the comment waited for a decision (so far, while it is still waiting)."""
    until = now if moderation.status == Status.WAITING or not moderation.decided_at else moderation.decided_at
    return max(until - moderation.comment.submit_date, datetime.timedelta(0))


def prepare_rows(request: HttpRequest, moderations: list[Moderation]) -> list[Moderation]:
    """Attach to each row what the queue shows: `comment` (our proxy), `html`, `post`, `link`,
    `parent`, `history`, `waited` and `buttons` (actions.row_buttons). A fixed number of queries
    whatever the rows.

    `html` is the stored HTML readers are shown (cooking.py), cooked again first where it was made
    under older rules, as the discussion does. `link` leads where a click lands on something: the
    comment's lasting address when readers can see it (comments.visibility), else its post while
    that is live (/comments/<pk>/ is a 404 for a held or removed comment), else nothing."""
    rows = list(moderations)
    if not rows:
        return rows
    by_pk = Comment.objects.in_bulk([row.pk for row in rows])  # our proxy: display_name, permalink
    for row in rows:
        row.comment = by_pk[row.pk]
    comments = [row.comment for row in rows]
    post_ids = {int(c.object_pk) for c in comments if c.object_pk.isdigit()}
    posts = BlogPage.objects.select_related("locale").in_bulk(post_ids) if post_ids else {}
    parent_ids = {c.parent_id for c in comments if c.is_reply}
    # With their rows: the "official answer" action asks whether the parent is a question.
    parents = Comment.objects.select_related("moderation").in_bulk(parent_ids) if parent_ids else {}
    histories = _histories({c.user_email.lower() for c in comments if c.user_email})
    shown = set(visible(Comment.objects.filter(pk__in=list(by_pk))).values_list("pk", flat=True))
    recooked = cook_comments([row.pk for row in rows if row.html_policy != POLICY])
    queue_url = reverse("comments_admin:queue")
    table = actions.table()
    now = timezone.now()
    for row in rows:
        comment = row.comment
        row.html = mark_safe(recooked.get(row.pk, row.html))  # noqa: S308 - nh3 output (cooking.py)
        row.post = posts.get(int(comment.object_pk)) if comment.object_pk.isdigit() else None
        if row.pk in shown:
            row.link = comment.permalink
        elif row.post is not None and row.post.live:
            row.link = row.post.url
        else:
            row.link = None
        row.parent = parents.get(comment.parent_id) if comment.is_reply else None
        email = comment.user_email.lower()
        if email:
            row.history = _without(histories[email], row)
            row.history.url = f"{queue_url}?{urlencode({'status': 'all', 'email': email})}"
        else:
            row.history = None
        row.waited = waited(row, now)
        row.buttons = actions.row_buttons(request, row, table)
    return rows


def remember_shortcuts(request: HttpRequest, rows: list[Moderation]) -> None:
    """Leave the queue's shortcuts (actions.shortcuts: every key of the table) on the request,
    for the section comments_admin_tags adds to Wagtail's shortcuts dialog."""
    setattr(request, SHORTCUTS_ATTRIBUTE, actions.shortcuts(actions.table()))
