"""Which comments readers may see, asked once for every citation this app shows or accepts.

A comment is shown when its post is live and public, and it and every comment above it in its
thread are published. The rule belongs to comments (comments' public queryset `published()` is the
flag half of it); this module only applies it to a handful of cited comments at once, in a fixed
number of queries, and is the one place this app asks.
"""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from blog.models import BlogPage
from comments.models import Comment

__all__ = ["is_citable", "visible_comment_ids"]


def visible_comment_ids(comment_ids: Iterable[int]) -> set[int]:
    """The ids among `comment_ids` that readers see (two queries, whatever their number)."""
    wanted = {int(pk) for pk in comment_ids}
    if not wanted:
        return set()
    # Every comment of the cited comments' threads: the ancestors' flags decide too.
    rows = list(
        XtdComment.norel_objects.filter(
            thread_id__in=XtdComment.norel_objects.filter(pk__in=wanted).values("thread_id")
        ).values_list("pk", "parent_id", "object_pk", "content_type_id")
    )
    published = set(
        Comment.objects.filter(pk__in=[row[0] for row in rows]).published().values_list("pk", flat=True)
    )
    parents = {pk: parent for pk, parent, _obj, _ct in rows}
    # Only comments on blog posts: another model's row could share a post's number.
    post_type = ContentType.objects.get_for_model(BlogPage).pk
    posts = {pk: obj for pk, _parent, obj, ct in rows if ct == post_type}
    post_ids = {int(posts[pk]) for pk in wanted if pk in posts and posts[pk].isdigit()}
    live = {
        str(pk)
        for pk in BlogPage.objects.live().public().filter(pk__in=post_ids).values_list("pk", flat=True)
    }
    shown = set()
    for pk in wanted:
        if pk not in posts or posts[pk] not in live:
            continue
        node, ok = pk, True
        for _depth in range(len(rows) + 1):
            if node not in published:
                ok = False
                break
            parent = parents.get(node)
            if parent is None or parent == node:
                break
            node = parent
        if ok:
            shown.add(pk)
    return shown


def is_citable(comment_id: int) -> bool:
    """Only what readers can see may be cited: never a held, rejected or spam comment."""
    return comment_id in visible_comment_ids([comment_id])
