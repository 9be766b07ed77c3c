"""The reader's view of a discussion: the comment tree, and its rendered list cached between changes.

Rendering hundreds of comments through templates costs far more than the rest of a post page, and
the list only changes when the page cache purges the post (a comment published, hidden or edited;
the post or an author changed). So the list is cached under the post's page-cache version
(rounds.pagecache.version): whatever purges the post also retires its list, on every app server.
The comment form, whose security timestamp must be fresh, is never part of it.

The list is the same whatever else the page shows: glossary annotation, when the post has it, is
applied by the page around the whole discussion (templates/pages/blog_page.html), not here.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from rounds.pagecache import Group, version

from .models import Comment, CommentQuerySet
from .sanitize import comment_html_many
from .visibility import in_discussion

__all__ = ["Node", "render_comment_list", "tree"]

TEMPLATE = "comments/includes/comment_list.html"


class Node:
    """One comment in a rendered discussion: the comment, its safe HTML, its replies, and what the
    template shows of it, worked out once here (a thousand-comment page renders in a fraction of
    the time that per-comment template tags take)."""

    __slots__ = ("children", "comment", "html", "name", "reply_url", "report_url", "when")

    def __init__(self, comment: Comment, html: str, reply_url: str, report_url: str):
        self.comment = comment
        self.html = html
        self.name = comment.display_name
        self.reply_url = reply_url
        self.report_url = report_url
        self.when = timezone.localtime(comment.submit_date)
        self.children: list[Node] = []

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)


def tree(comments: CommentQuerySet) -> list[Node]:
    """`comments` as nested nodes, from one query, in O(n).

    Ordered by thread then xtd's depth-first order, so every parent is met before its replies;
    a reply whose parent is not in the queryset (held, rejected) is left out with it.
    """
    rows = list(comments.select_related("moderation").thread_order())
    htmls = comment_html_many(c.comment for c in rows)
    reply_prefix = reverse("comments:reply", args=[1]).removesuffix("1/")
    report_prefix = reverse("comments:report", args=[1]).removesuffix("1/")
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for comment, html in zip(rows, htmls, strict=True):
        node = Node(comment, html, f"{reply_prefix}{comment.pk}/", f"{report_prefix}{comment.pk}/")
        if comment.parent_id == comment.pk:
            roots.append(node)
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].children.append(node)
        else:
            continue
        nodes[comment.pk] = node
    return roots


def _key(page, is_open: bool) -> str:
    state = "|".join(
        [
            version(page.url, Group.POSTS),
            str(page.pk),
            str(is_open),
            str(settings.COMMENTS_XTD_MAX_THREAD_LEVEL),
        ]
    )
    return "comments:list:" + hashlib.sha256(state.encode()).hexdigest()


def render_comment_list(page, is_open: bool, labels: dict) -> tuple[SafeString, int]:
    """The HTML of `page`'s published comments and how many there are."""
    timeout = settings.COMMENT_LIST_CACHE_SECONDS
    key = _key(page, is_open) if timeout else ""
    if timeout:
        cached = cache.get(key)
        if cached is not None:
            html, count = cached
            return mark_safe(html), count  # noqa: S308 - our own rendered template output

    nodes = tree(in_discussion(Comment.objects.for_page(page)))
    context = Context(
        {
            "tree": nodes,
            "page": page,
            "open": is_open,
            "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
            "labels": labels,
        }
    )
    html = get_template(TEMPLATE).template.render(context)
    count = sum(node.count() for node in nodes)
    if timeout:
        cache.set(key, (str(html), count), timeout)
    return mark_safe(html), count  # noqa: S308 - template output, escaped where it was rendered
