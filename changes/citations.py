"""What readers see of changes: the live posts and the visible comments each one cites.

Everything is computed at render time from the comment rows, through visible.py, so hiding,
rejecting or erasing a cited comment removes its excerpt and link at the next render; purges.py
makes every cached page that showed it stale. A fixed number of queries for any number of changes.
"""

import dataclasses

from django.db.models import Prefetch

from blog.models import BlogPage
from comments.models import Comment
from comments.personal_data import ERASED_TEXT
from comments.sanitize import reader_excerpt

from .models import Change, ChangeComment, ChangePost, Feedback, FeedbackStatus
from .visible import visible_comment_ids

__all__ = ["Citation", "ShownChange", "excerpt", "feedback_for_post", "preview_item", "shown_changes"]

EXCERPT_WORDS = 30


def excerpt(text: str) -> str:
    """A short plain-text excerpt, cleaned as the discussion cleans reader text (escaped where it is
    shown, like every reader's text)."""
    return reader_excerpt(text, words=EXCERPT_WORDS)


@dataclasses.dataclass(frozen=True)
class Citation:
    comment_id: int
    url: str
    name: str
    excerpt: str
    post_title: str


@dataclasses.dataclass
class ShownChange:
    change: Change
    posts: list[BlogPage]
    citations: list[Citation]

    def structured_data(self) -> dict:
        return self.change.structured_data(self.citations)


def _citable_comments(comment_ids: set[int]) -> dict[int, Comment]:
    """Visible, not erased comments with their posts, by id."""
    shown = visible_comment_ids(comment_ids)
    comments = Comment.objects.filter(pk__in=shown).exclude(comment=str(ERASED_TEXT))
    return {c.pk: c for c in comments.prefetch_related("content_object")}


def _citation(comment: Comment) -> Citation:
    return Citation(
        comment_id=comment.pk,
        url=comment.get_absolute_url(),
        name=comment.display_name,
        excerpt=excerpt(comment.comment),
        post_title=comment.content_object.title,
    )


def shown_changes(changes) -> list[ShownChange]:
    """`changes` (a queryset or list) with what readers may see of their citations."""
    changes = list(
        changes.select_related("topic").prefetch_related(
            Prefetch(
                "cited_posts",
                queryset=ChangePost.objects.filter(post__in=BlogPage.objects.live().public())
                .select_related("post")
                .defer("post__body"),
            ),
            Prefetch("cited_comments", queryset=ChangeComment.objects.all()),
        )
    )
    comment_ids = {row.comment_id for change in changes for row in change.cited_comments.all()}
    comments = _citable_comments(comment_ids)
    return [
        ShownChange(
            change=change,
            posts=[row.post for row in change.cited_posts.all()],
            citations=[
                _citation(comments[row.comment_id])
                for row in change.cited_comments.all()
                if row.comment_id in comments
            ],
        )
        for change in changes
    ]


@dataclasses.dataclass(frozen=True)
class ShownFeedback:
    citation: Citation
    topic: str
    status: str
    status_label: str
    reason: str


def feedback_for_post(page, limit: int = 10) -> list[ShownFeedback]:
    """Where the feedback on this post's visible comments stands, with the public reasons: the
    most recently updated `limit` notes, at most. "Changed" is left out: the change itself says it."""
    rows = list(
        Feedback.objects.filter(comment_id__in=Comment.objects.for_page(page).values("pk"))
        .exclude(status=FeedbackStatus.CHANGED)
        .select_related("topic")
        .order_by("-updated_at", "-comment_id")[:limit]
    )
    comments = _citable_comments({row.comment_id for row in rows})
    labels = dict(FeedbackStatus.choices)
    return [
        ShownFeedback(
            citation=_citation(comments[row.comment_id]),
            topic=row.topic.name,
            status=row.status,
            status_label=str(labels[row.status]),
            reason=row.reason,
        )
        for row in rows
        if row.comment_id in comments
    ]


def preview_item(change: Change) -> ShownChange:
    """An unsaved change (an editor's preview) as readers would see it: its citations are the
    form's rows, in memory, filtered by the same rule as saved ones."""
    post_ids = {row.post_id for row in change.cited_posts.all() if row.post_id}
    posts = BlogPage.objects.live().public().filter(pk__in=post_ids).defer("body")
    comments = _citable_comments({row.comment_id for row in change.cited_comments.all() if row.comment_id})
    return ShownChange(
        change=change,
        posts=list(posts),
        citations=[_citation(comment) for comment in comments.values()],
    )
