"""Questions with an official answer, listed near the top of a post beside the highlighted comments.

A reader ticks "This is a question for the hospital" (or a moderator marks a comment as one), and
a moderator marks a staff reply to it as the official answer (actions.py, moderation.answer). What
counts as answered is visibility.answered_questions: only while the answer is shown. The list is
cached under the post's page-cache version, like the highlights, so every decision's purge
(discussion_changed) retires it.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.text import Truncator

from pagecache.keys import Group
from pagecache.stamps import version

from .models import Comment, Role
from .sanitize import shown_name
from .visibility import answered_questions

__all__ = ["Answered", "for_page"]

EXCERPT_CHARS = 200


@dataclass(frozen=True)
class Answered:
    question_pk: int
    answer_pk: int
    excerpt: str
    name: str
    role: str

    @property
    def anchor(self) -> str:
        # Through /comments/<pk>/: on a long discussion the answer may be on another page.
        return reverse("comments:comment", args=[self.answer_pk])


def _key(page) -> str:
    state = f"{version(page.url, Group.POSTS)}|{page.pk}"
    return "comments:answered:" + hashlib.sha256(state.encode()).hexdigest()


def for_page(page) -> list[Answered]:
    """The post's answered questions, oldest question first (one query when not cached)."""
    timeout = settings.COMMENT_LIST_CACHE_SECONDS
    if timeout:
        cached = cache.get(_key(page))
        if cached is not None:
            return cached
    rows = (
        answered_questions(Comment.objects.for_page(page))
        .order_by("submit_date", "pk")
        .values_list(
            "pk",
            "comment",
            "moderation__answer_id",
            "moderation__answer__user_name",
            "moderation__answer__moderation__role",
        )
    )
    found = [
        Answered(
            pk,
            answer_pk,
            Truncator(" ".join(text.split())).chars(EXCERPT_CHARS),
            shown_name(name),
            str(Role(role or Role.STAFF).label),
        )
        for pk, text, answer_pk, name, role in rows
    ]
    if timeout:
        cache.set(_key(page), found, timeout)
    return found
