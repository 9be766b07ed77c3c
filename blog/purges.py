"""What a blog change makes stale in the page cache, however it was made (admin, shell, import).

Publishing and unpublishing save the page, so post_save covers them as well as edits made in a
shell or a migration. Connected in BlogConfig.ready().
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_slug_changed

from rounds.pagecache import Group, purge

from .models import INDEX_URL_KEY, Author, BlogIndexPage, BlogPage, HomePage

# A post shows in every listing and feed, and the glossary lists the posts that use each term.
POST_GROUPS = [Group.LISTINGS, Group.GLOSSARY]


def _forget_index_url() -> None:
    # The header and the feed links show the index's path, which follows its slug.
    transaction.on_commit(lambda: cache.delete(INDEX_URL_KEY))


def _page_changed(sender, instance, **kwargs) -> None:
    purge(paths=[instance.url], groups=POST_GROUPS)
    if not isinstance(instance, BlogPage):
        _forget_index_url()


def _slug_changed(sender, instance, instance_before, **kwargs) -> None:
    purge(paths=[instance_before.url, instance.url], groups=POST_GROUPS)
    if not isinstance(instance, BlogPage):
        # Every page below moved with it (and the header shows the index's new path).
        _forget_index_url()
        purge(groups=list(Group))


def _author_changed(sender, instance, **kwargs) -> None:
    # Bylines show on every post and listing.
    purge(groups=[*POST_GROUPS, Group.POSTS])


def connect() -> None:
    for model in (HomePage, BlogIndexPage, BlogPage):
        uid = f"pagecache-{model.__name__}"
        post_save.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-delete")
        page_slug_changed.connect(_slug_changed, sender=model, dispatch_uid=f"{uid}-slug")
    post_save.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-save")
    post_delete.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-delete")
