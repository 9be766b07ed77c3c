""" "This helped": a reader marks a published comment as useful, once, and the count reaches the page.

Once per reader per comment, known two ways: the reader (core.http.reader_key, unique per comment
in `HelpfulMark`) and a signed cookie listing the comments this browser marked (a phone moving
between networks is still one reader). Marking your own comment (your address, your proven email,
your account) does nothing. A burst from one reader is refused (ratelimit.helpful_retry_after).
A mark needs a token handed to that reader for that comment (tokens.helpful_token), like a report.

How counts reach the page without re-rendering a long discussion on each click (README "This
helped"): the discussion's HTML carries each comment's count as of its render; `counts` gives the
current counts of one post, for comments.js, from one query cached COUNTS_SECONDS and sent with a
public lifetime of as many seconds (Varnish keeps it too); and purges.helpful_changed purges the
post at most once per HELPFUL_PURGE_SECONDS so the HTML catches up without scripts.
"""

import enum

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponseBase

from . import purges, rules
from .models import Comment, HelpfulMark, Moderation
from .visibility import in_discussion

__all__ = ["COUNTS_SECONDS", "Outcome", "count", "counts", "is_own", "mark", "marked_here", "remember"]

COOKIE = "rounds_helpful"
COOKIE_SALT = "rounds.comments.helpful"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
COOKIE_KEPT = 300  # the comments a browser remembers marking, newest first
COUNTS_SECONDS = 5


class Outcome(enum.StrEnum):
    MARKED = "marked"
    ALREADY = "already"
    OWN = "own"


def _cookie_pks(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    return [pk for pk in value.split(",") if pk.isdigit()][:COOKIE_KEPT]


def marked_here(request: HttpRequest, comment_pk: int) -> bool:
    """Whether this browser's signed cookie says it marked the comment (forged or absent: no)."""
    return str(comment_pk) in _cookie_pks(request)


def remember(request: HttpRequest, response: HttpResponseBase, comment_pk: int) -> None:
    """Add the comment to this browser's signed list of marked comments. Not a cookie the page
    cache or Varnish looks at: pages stay shared."""
    kept = [pk for pk in _cookie_pks(request) if pk != str(comment_pk)]
    response.set_signed_cookie(
        COOKIE,
        ",".join([str(comment_pk), *kept][:COOKIE_KEPT]),
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def is_own(request: HttpRequest, comment: Comment, reader: str) -> bool:
    """Whether the reader wrote `comment`: same reader key, their proven email, or their account."""
    moderation = getattr(comment, "moderation", None)
    if moderation is not None and moderation.reader and moderation.reader == reader:
        return True
    if request.user.is_authenticated and comment.user_id == request.user.pk:
        return True
    return rules.has_email_proof(request, comment.user_email)


def _counts_key(page_pk: int) -> str:
    return f"comments:helpful-counts:{page_pk}"


def mark(request: HttpRequest, comment: Comment, reader: str) -> Outcome:
    """Count the reader's "This helped" on `comment` (visible: the caller checked), at most once.
    A row and one counter's UPDATE; the post's counts are not recomputed (they expire in seconds)
    and the post is purged at most once per window (purges.helpful_changed)."""
    if is_own(request, comment, reader):
        return Outcome.OWN
    if marked_here(request, comment.pk):
        return Outcome.ALREADY
    with transaction.atomic():
        try:
            with transaction.atomic():
                HelpfulMark.objects.create(comment_id=comment.pk, reader=reader)
        except IntegrityError:  # this reader marked it already (comments_one_helpful_mark_per_reader)
            return Outcome.ALREADY
        Moderation.objects.filter(pk=comment.pk).update(helpful=F("helpful") + 1)
    purges.helpful_changed(comment.content_object)
    return Outcome.MARKED


def count(comment: Comment) -> int:
    """One comment's count as stored now (what the reader who just marked it is shown)."""
    return Moderation.objects.filter(pk=comment.pk).values_list("helpful", flat=True).first() or 0


def counts(page) -> dict[int, int]:
    """{comment pk: count} for the comments `page`'s discussion shows (visibility.in_discussion)
    that have any mark: one query, cached COUNTS_SECONDS (a mark does not drop it: at ten clicks a
    second it would be recomputed ten times a second)."""
    key = _counts_key(page.pk)
    found = cache.get(key)
    if found is None:
        rows = (
            in_discussion(Comment.objects.for_page(page))
            .filter(moderation__helpful__gt=0)
            .values_list("pk", "moderation__helpful")
        )
        found = dict(rows)
        cache.set(key, found, COUNTS_SECONDS)
    return found
