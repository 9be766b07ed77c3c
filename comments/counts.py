"""How many comments a post's discussion shows, for the post cards of listings (home, the blog index,
search, a glossary term's page) and the post's byline.

The count is of what the discussion under the post shows (comments/visibility.py's
`in_discussion`: published, under published comments), so the number beside a post is the number
of comments the reader finds under it. Listings hold only live, public posts (`listed()`).

The blog knows nothing of comments: it asks every function registered under the Wagtail hook
"annotate_post_cards" (comments/wagtail_hooks.py registers `attach_comment_counts`) to annotate
the posts one listing shows, and the byline's `comment_count` filter reads what was set.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from blog.models import BlogPage

from .models import Comment
from .visibility import in_discussion

__all__ = ["attach_comment_counts", "comment_count"]


def attach_comment_counts(posts: list[BlogPage]) -> list[BlogPage]:
    """Set `comment_count` on each post of one listing, from one query over those posts alone.

    (An annotation on the listing's queryset would count comments for every post it sorts, not
    just the page shown: its cost would grow with the whole blog.)
    """
    posts = list(posts)
    if not posts:
        return posts
    rows = (
        in_discussion()
        .filter(
            content_type=ContentType.objects.get_for_model(BlogPage),
            object_pk__in=[str(post.pk) for post in posts],
        )
        .order_by()
        .values("object_pk")
        .annotate(n=Count("pk"))
    )
    counts = {row["object_pk"]: row["n"] for row in rows}
    for post in posts:
        post.comment_count = counts.get(str(post.pk), 0)
    return posts


def comment_count(post: BlogPage) -> int:
    """Published comments on one post: the listing's count when it set one, else one query."""
    count = getattr(post, "comment_count", None)
    if count is None:
        count = in_discussion(Comment.objects.for_page(post)).count()
    return count
