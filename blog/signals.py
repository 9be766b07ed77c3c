"""Purge cached pages whenever blog content changes, however it was changed.

Publishing and unpublishing save the page, so post_save covers them as well as edits made in a
shell or a migration.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_slug_changed

from rounds import pagecache

from .models import Author, BlogIndexPage, BlogPage, HomePage

# A post shows in every listing and feed, and the glossary lists the posts that use each term.
POST_GROUPS = ["listings", "glossary"]


def _page_changed(sender, instance, **kwargs) -> None:
    paths = [instance.url] if instance.url else []
    pagecache.purge(paths=paths, groups=POST_GROUPS)


def _slug_changed(sender, instance, instance_before, **kwargs) -> None:
    pagecache.purge(paths=[url for url in (instance_before.url, instance.url) if url], groups=POST_GROUPS)


def _author_changed(sender, instance, **kwargs) -> None:
    # Bylines show on every post and listing.
    pagecache.purge(groups=[*POST_GROUPS, "posts"])


def connect() -> None:
    for model in (HomePage, BlogIndexPage, BlogPage):
        uid = f"pagecache-{model.__name__}"
        post_save.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_page_changed, sender=model, dispatch_uid=f"{uid}-delete")
        page_slug_changed.connect(_slug_changed, sender=model, dispatch_uid=f"{uid}-slug")
    post_save.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-save")
    post_delete.connect(_author_changed, sender=Author, dispatch_uid="pagecache-author-delete")
