"""Highlighted comments: the answers moderators picked, listed above a post's discussion.

Only what the discussion shows is listed (`visibility.in_discussion`: published, under published
comments only), so hiding a highlighted comment, or the comment it answers, takes it off the list
by itself. Excerpts are cleaned as the discussion cleans reader text (`sanitize.reader_excerpt`).

The list is cached under the post's page-cache version, like the
discussion (listing.py): highlighting, un-highlighting or hiding a comment sends
`discussion_changed`, whose purge retires it on every app server.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from pagecache.keys import Group
from pagecache.stamps import version

from .models import Comment
from .sanitize import reader_excerpt
from .visibility import in_discussion

__all__ = ["Highlight", "cache_key", "for_page"]

EXCERPT_CHARS = 240


@dataclass(frozen=True)
class Highlight:
    pk: int
    name: str
    excerpt: str

    @property
    def anchor(self) -> str:
        # Through /comments/<pk>/: on a long discussion the comment may be on another page.
        return reverse("comments:comment", args=[self.pk])


def cache_key(page) -> str:
    state = f"{version(page.url, Group.POSTS)}|{page.pk}"
    return "comments:highlights:" + hashlib.sha256(state.encode()).hexdigest()


def for_page(page) -> list[Highlight]:
    """The post's highlighted comments, in the order they were picked (one query when not cached)."""
    timeout = settings.COMMENT_LIST_CACHE_SECONDS
    key = cache_key(page) if timeout else ""
    if timeout:
        cached = cache.get(key)
        if cached is not None:
            return cached
    rows = (
        in_discussion(Comment.objects.for_page(page))
        .filter(moderation__highlighted_at__isnull=False)
        .order_by("moderation__highlighted_at", "pk")
    )
    found = [Highlight(c.pk, c.display_name, reader_excerpt(c.comment, chars=EXCERPT_CHARS)) for c in rows]
    if timeout:
        cache.set(key, found, timeout)
    return found
