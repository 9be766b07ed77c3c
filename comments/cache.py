"""Purge cached pages when what anonymous readers see of a discussion changes.

Two routes lead here: `discussion_changed`, which the moderation methods send after commit (their
flag changes are UPDATEs that fire no model signal), and the model signals of the comment rows, so a
comment published, edited or deleted from a shell or an import purges too.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django_comments_xtd.models import XtdComment

from rounds import pagecache

from .models import Comment
from .signals import discussion_changed

# The post shows the comment; listings show comment counts; the feeds list comments.
GROUPS = ["listings", "comment-feeds"]


def purge_discussion(page) -> None:
    if page is not None and page.url:
        pagecache.purge(paths=[page.url], groups=GROUPS)


def _discussion_changed(sender, page, **kwargs) -> None:
    purge_discussion(page)


def _is_visible(comment: XtdComment) -> bool:
    return comment.is_public and not comment.is_removed


def _remember_visibility(sender, instance: XtdComment, raw=False, **kwargs) -> None:
    # One query per saved comment, so that hiding a published comment purges like showing one.
    previous = (
        sender.objects.filter(pk=instance.pk).values("is_public", "is_removed").first()
        if instance.pk
        else None
    )
    instance._was_visible = bool(previous) and previous["is_public"] and not previous["is_removed"]


def _comment_saved(sender, instance: XtdComment, raw=False, **kwargs) -> None:
    if not raw and (_is_visible(instance) or getattr(instance, "_was_visible", False)):
        purge_discussion(instance.content_object)


def _comment_deleted(sender, instance: XtdComment, **kwargs) -> None:
    if _is_visible(instance):
        purge_discussion(instance.content_object)


def connect() -> None:
    discussion_changed.connect(_discussion_changed, dispatch_uid="pagecache-discussion")
    for model in (XtdComment, Comment):  # a proxy sends its signals with itself as sender
        uid = f"pagecache-{model.__name__}"
        pre_save.connect(_remember_visibility, sender=model, dispatch_uid=f"{uid}-pre-save")
        post_save.connect(_comment_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_comment_deleted, sender=model, dispatch_uid=f"{uid}-delete")
