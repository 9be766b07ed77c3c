"""A post's first publication starts its mailing; unpublishing it, or restricting who may see it,
stops what has not gone. Wagtail sends page_published for the editor's Publish and for
`publish_scheduled` alike. Connected in SubscriptionsConfig.ready()."""

from django.db.models.signals import post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from blog.models import BlogPage

from . import tasks


def _published(sender, instance: BlogPage, **kwargs) -> None:
    tasks.start_mailing(instance)


def _unpublished(sender, instance: BlogPage, **kwargs) -> None:
    tasks.stop_mailing(instance)


def _restricted(sender, instance: PageViewRestriction, **kwargs) -> None:
    # A restriction on a post or above it: its readers chose who may see it, not the subscribers.
    for post in BlogPage.objects.descendant_of(instance.page, inclusive=True).only("pk"):
        tasks.stop_mailing(post)


def connect() -> None:
    page_published.connect(_published, sender=BlogPage, dispatch_uid="subscriptions-post-published")
    page_unpublished.connect(_unpublished, sender=BlogPage, dispatch_uid="subscriptions-post-unpublished")
    post_save.connect(_restricted, sender=PageViewRestriction, dispatch_uid="subscriptions-restricted")
