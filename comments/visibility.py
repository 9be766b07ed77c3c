"""Who may see a comment: the one rule every reader-facing path asks.

A comment is visible when
1. its post is a live blog post that is public (no Wagtail view restriction on it or on an
   ancestor: `PageQuerySet.live().public()`),
2. the comment itself is published (django-contrib-comments' flags, `CommentQuerySet.published`),
3. and every comment above it in its thread is published: a reply under a held, rejected or spam
   comment is not shown anywhere, since it would show the conversation around what was removed.

Two layers of that one rule:
- `in_discussion` (2 and 3) is what a post's own discussion shows, the count beside the post, and
  what may be answered: whoever sees the post already passed 1 (Wagtail served them the page).
- `visible` (1, 2 and 3) is for every page that shows a comment away from its post: the comment
  feeds, the reply and report pages, `/comments/<pk>/`. `visible_comment_or_404` is the call for a
  standalone page.

A question's answered status is the same rule again: a question counts as answered only while its
official answer is shown in the discussion (`shown_answer`), so rejecting, unpublishing or hiding
the answer (or the comment above it) un-answers the question on the page, in the answered list,
in the queue's "Unanswered questions" tab and on the dashboard at once.

Comments are not indexed for search; if they ever are, index `visible(...)` only.

Efficiency: each is one SQL filter (a NOT EXISTS over the thread for 3, asked only of replies and
driven by the thread's index; a subquery on the posts for 1), so a feed or a count stays a fixed
number of queries whatever the number of comments, and its cost follows the comments it reads,
not the whole site's (bench/scale.py measures it at a million). Wagtail's
`public()` reads the view restrictions once (one small query) while the filter is built.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import Http404
from django_comments_xtd.models import XtdComment

from blog.models import BlogPage

from .models import Comment, CommentQuerySet, ModerationQuerySet, Status

# The largest id a comment can have (a 32-bit primary key): a larger number in a URL is a 404,
# never an overflow in the database driver.
MAX_PK = 2**31 - 1

__all__ = [
    "answered_questions",
    "in_discussion",
    "is_in_discussion",
    "shown_answer",
    "unanswered",
    "unanswered_questions",
    "visible",
    "visible_comment_or_404",
    "visible_posts",
]


def visible_posts():
    """The posts whose comments readers may see away from the post (rule 1)."""
    return BlogPage.objects.live().public()


def _hidden() -> Q:
    """A comment that readers must not see (the negation of `CommentQuerySet.published`)."""
    return Q(is_public=False) | Q(is_removed=True)


def _hidden_ancestor() -> Exists:
    """True for a comment with a hidden comment above it in its thread.

    xtd keeps each thread in depth-first `order`, with `level` the depth: H is an ancestor of C
    when H comes before C at a lower level and no comment between them is at H's level or above
    (that comment would close H's subtree). `parent_id` alone would need one join per level.
    """
    closes_subtree = XtdComment.norel_objects.filter(
        thread_id=OuterRef("thread_id"),
        order__gt=OuterRef("order"),
        order__lt=OuterRef(OuterRef("order")),
        level__lte=OuterRef("level"),
    )
    hidden_above = XtdComment.norel_objects.filter(
        _hidden(),
        thread_id=OuterRef("thread_id"),
        order__lt=OuterRef("order"),
        level__lt=OuterRef("level"),
    ).exclude(Exists(closes_subtree))
    return Exists(hidden_above)


def in_discussion(comments: CommentQuerySet | None = None) -> CommentQuerySet:
    """The comments a post's discussion shows: published, under published comments only (rules 2
    and 3). For the post page, its count, and what a reader may answer."""
    comments = Comment.objects.all() if comments is None else comments
    # A first comment (level 0) has nothing above it. Saying so first is also the query's shape:
    # an OR keeps PostgreSQL from turning the NOT EXISTS into an anti-join over every hidden
    # comment of the site (13 to 32 times slower at a million comments); it stays a lookup per
    # reply, by thread on the (thread_id, order) index (migration 0009).
    return comments.published().filter(Q(level=0) | ~_hidden_ancestor())


def visible(comments: CommentQuerySet | None = None) -> CommentQuerySet:
    """The comments readers may see anywhere (rules 1, 2 and 3): feeds and standalone pages."""
    post_pks = visible_posts().annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")
    return in_discussion(comments).filter(
        content_type=ContentType.objects.get_for_model(BlogPage), object_pk__in=post_pks
    )


def visible_comment_or_404(pk: int) -> Comment:
    """The comment a standalone page shows (reply, report, `/comments/<pk>/`), or Http404 when
    readers may not see it: one answer for held, removed, under a removed comment, or on a post
    that is unpublished, restricted or gone."""
    in_range = 0 < pk <= MAX_PK
    comment = visible().select_related("moderation").filter(pk=pk).first() if in_range else None
    if comment is None:
        raise Http404("No such comment")
    return comment


def is_in_discussion(comment: XtdComment) -> bool:
    """Whether `comment` shows in its post's discussion (one query; for a single comment in hand)."""
    return in_discussion().filter(pk=comment.pk).exists()


def shown_answer(answer_ref: str = "moderation__answer_id") -> Exists:
    """True for a question whose official answer (the field `answer_ref` names) is shown."""
    return Exists(in_discussion(Comment.objects.filter(pk=OuterRef(answer_ref))))


def answered_questions(comments: CommentQuerySet | None = None) -> CommentQuerySet:
    """The questions among `comments` that the discussion shows with their official answer."""
    return in_discussion(comments).filter(moderation__question=True).filter(shown_answer())


def unanswered() -> Q:
    """A moderation row of a published question without a shown official answer (a filter, so
    the dashboard can count it inside its one aggregate)."""
    return Q(question=True, status=Status.PUBLISHED) & ~Q(shown_answer("answer_id"))


def unanswered_questions(moderations: ModerationQuerySet) -> ModerationQuerySet:
    """Published questions without a shown official answer: the queue's tab."""
    return moderations.filter(unanswered())
