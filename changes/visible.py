"""Which cited comments readers may see: comments' one visibility rule (`comments.visibility`),
asked once for every citation this app shows or accepts."""

from collections.abc import Iterable

from comments.models import Comment
from comments.visibility import visible

__all__ = ["is_citable", "visible_comment_ids"]


def visible_comment_ids(comment_ids: Iterable[int]) -> set[int]:
    """The ids among `comment_ids` that readers see (a fixed number of queries, whatever their number)."""
    wanted = {int(pk) for pk in comment_ids}
    if not wanted:
        return set()
    return set(visible(Comment.objects.filter(pk__in=wanted)).values_list("pk", flat=True))


def is_citable(comment_id: int) -> bool:
    """Only what readers can see may be cited: never a held, rejected or spam comment."""
    return comment_id in visible_comment_ids([comment_id])
