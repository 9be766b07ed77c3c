"""What a comment change makes stale in the page cache (pagecache), however it was made.

Three routes lead here: `discussion_changed`, which creation.py, moderation.py and
personal_data.py call by name (their flag changes are UPDATEs that fire no model signal; it also
tells the apps above, through signals.discussion_changed); the model signals of the comment rows,
so a comment published, edited or deleted from a shell or xtd's own API purges too (a comment
stored through creation.py is marked CALLER_PURGES and skipped: its caller purged it once); the site's
discussion policy, which every post's discussion shows (guidelines, open or closed); and the
posts themselves, since the comment feeds show only comments on live, public posts
(comments/visibility.py): publishing, unpublishing, moving or deleting a post, or a view
restriction on it or above it, changes what they may list.
Connected in CommentsConfig.ready().
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django_comments_xtd.models import XtdComment
from wagtail.models import PageViewRestriction

from blog.models import BlogPage
from core.locale import language_of_locale
from pagecache.keys import Group
from pagecache.purging import purge

from .models import Comment, Discussion, is_visible
from .signals import send_discussion_changed

__all__ = [
    "CALLER_PURGES",
    "DISCUSSION_GROUPS",
    "HELPFUL_PURGE_SECONDS",
    "connect",
    "discussion_changed",
    "helpful_changed",
    "purge_discussion",
]

# Set on a comment whose saves must not purge by themselves: its caller (creation.py) purges it by
# name, once, rather than once for each of xtd's two saves.
CALLER_PURGES = "_comments_caller_purges"

# Beside the post itself: listings and term pages show comment counts on their post cards, and the
# feeds list comments.
DISCUSSION_GROUPS = [Group.LISTINGS, Group.GLOSSARY, Group.COMMENT_FEEDS]


def purge_discussion(page) -> None:
    """Make the pages that show `page`'s discussion stale, once the transaction commits."""
    if page is not None and page.url:
        # A discussion shows only in its post's language: the listings and feeds of that language.
        languages = language_of_locale(getattr(page, "locale_id", None))
        purge(paths=[page.url], groups=DISCUSSION_GROUPS, languages=languages)


def discussion_changed(page) -> None:
    """What an anonymous reader sees of `page`'s discussion changed: purge the pages that show it,
    and tell the apps above (signals.discussion_changed, after commit). The one purge of a
    decision."""
    purge_discussion(page)
    send_discussion_changed(page)


# At most one purge of a post per this many seconds for "This helped" marks (helpful_changed): each
# purge re-renders the whole discussion, which under load holds every reader of it for a moment.
HELPFUL_PURGE_SECONDS = 300


def helpful_changed(page) -> None:
    """A reader marked a comment on `page` helpful. Counts reach readers apart from the page
    (helpful.counts, a small JSON answer cached for seconds), so a click never re-renders the
    discussion by itself: the post's own page is purged at most once per HELPFUL_PURGE_SECONDS
    (the first mark in a window purges; the marks after it wait for the next purge of any kind),
    so the counts and the "Most helpful" order in the HTML catch up without scripts too. Only the
    post: no listing shows helpful counts. Shared through the cache, so every app server agrees."""
    if (
        page is not None
        and page.url
        and cache.add(f"comments:helpful-purge:{page.pk}", 1, HELPFUL_PURGE_SECONDS)
    ):
        purge(paths=[page.url])


def _remember_visibility(sender, instance: XtdComment, raw=False, **kwargs) -> None:
    if getattr(instance, CALLER_PURGES, False):
        return
    # One query per saved comment, so that hiding a published comment purges like showing one.
    previous = (
        sender.objects.filter(pk=instance.pk).values("is_public", "is_removed").first()
        if instance.pk
        else None
    )
    instance._was_visible = bool(previous) and previous["is_public"] and not previous["is_removed"]


def _comment_saved(sender, instance: XtdComment, raw=False, **kwargs) -> None:
    if getattr(instance, CALLER_PURGES, False):
        return
    if not raw and (is_visible(instance) or getattr(instance, "_was_visible", False)):
        purge_discussion(instance.content_object)


def _comment_deleted(sender, instance: XtdComment, **kwargs) -> None:
    if is_visible(instance):
        purge_discussion(instance.content_object)


def _policy_saved(sender, instance: Discussion, raw=False, **kwargs) -> None:
    # The guidelines and whether comments are open show under every post.
    if not raw:
        purge(groups=[Group.POSTS])


def _post_visibility_changed(sender, instance, raw=False, **kwargs) -> None:
    # A post published, unpublished, moved or deleted, or a view restriction made, changed or
    # removed (on any page: it covers the pages below it): the feeds list only visible posts'
    # comments. The post's own page and the listings are the blog's to purge (blog/purges.py).
    if not raw:
        # Only the feeds of the page's language list its comments.
        page = instance.page if isinstance(instance, PageViewRestriction) else instance
        purge(groups=[Group.COMMENT_FEEDS], languages=language_of_locale(getattr(page, "locale_id", None)))


def connect() -> None:
    for model in (XtdComment, Comment):  # a proxy sends its signals with itself as sender
        uid = f"pagecache-{model.__name__}"
        pre_save.connect(_remember_visibility, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_comment_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_comment_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_policy_saved, sender=Discussion, dispatch_uid="pagecache-discussion-policy")
    for model in (BlogPage, PageViewRestriction):
        uid = f"pagecache-comment-feeds-{model.__name__}"
        post_save.connect(_post_visibility_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_post_visibility_changed, sender=model, dispatch_uid=f"{uid}-delete")
