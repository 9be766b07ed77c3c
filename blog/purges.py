"""What a blog change makes stale in the page cache, however it was made (admin, shell, import).

Publishing and unpublishing save the page, so post_save covers them as well as edits made in a
shell or a migration. View restrictions (Wagtail's privacy dialog) change who may see a page
without saving it, so they purge on their own signals. Connected in BlogConfig.ready().
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.signals import page_slug_changed

from core.locale import language_of_locale
from pagecache.keys import Group
from pagecache.purging import purge

from .models import Author, BlogIndexPage, BlogPage, HomePage, index_url_key

# A post shows in every listing and feed, the glossary lists the posts that use each term, and the
# comment feeds list its comments (gone with it when it is unpublished).
POST_GROUPS = [Group.LISTINGS, Group.GLOSSARY, Group.COMMENT_FEEDS]


def _forget_index_url() -> None:
    # The header and the feed links show the index's path, which follows its slug.
    keys = [index_url_key(code) for code, _name in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _languages(page) -> list[str] | None:
    """A page shows only in its own language's listings: a Spanish post's publication leaves every
    English page cached."""
    return language_of_locale(page.locale_id)


def _translation_paths(page) -> list[str]:
    """The other language versions of a page link to it from their language switcher (to it when
    it is live, else to that language's home)."""
    if page.pk is None or not page.translation_key:
        return []
    return [other.url for other in page.get_translations().defer_streamfields() if other.url]


def _page_changed(sender, instance, **kwargs) -> None:
    # The sitemap lists every language's pages, so it is stamped with the default language's
    # listings: named here, so a Spanish post's publication purges it too.
    paths = [instance.url, *_translation_paths(instance), reverse("sitemap")]
    purge(paths=paths, groups=POST_GROUPS, languages=_languages(instance))
    if not isinstance(instance, BlogPage):
        _forget_index_url()


def _slug_changed(sender, instance, instance_before, **kwargs) -> None:
    purge(paths=[instance_before.url, instance.url], groups=POST_GROUPS, languages=_languages(instance))
    if not isinstance(instance, BlogPage):
        # Every page below moved with it (and the header shows the index's new path).
        _forget_index_url()
        purge(groups=list(Group), languages=_languages(instance))


def _author_changed(sender, instance, **kwargs) -> None:
    # Bylines show on every post and listing.
    purge(groups=[*POST_GROUPS, Group.POSTS])


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    # A restriction covers the page and everything below it: a post's own page and every page that
    # lists or cites it, or, on the index or home page, every post too. CachedPageMixin never stores
    # a restricted page.
    page = instance.page
    groups = [group for group in Group if group != Group.POSTS or page.get_children_count()]
    purge(paths=[page.url], groups=groups, languages=_languages(page))


def connect() -> None:
    post_save.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="pagecache-restriction-save"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="pagecache-restriction-delete"
    )
    for model in (HomePage, BlogIndexPage, BlogPage):
        uid = f"pagecache-{model.__name__}"
        post_save.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-delete")
        page_slug_changed.connect(_slug_changed, sender=model, dispatch_uid=f"{uid}-slug")
    post_save.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-save")
    post_delete.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-delete")
