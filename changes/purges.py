"""What a change, a citation, a feedback note or a cited comment makes stale in the page cache.

A change shows on /changes/ (its topic page and feed: the changes group) and on every post it
touches: the posts it cites and the posts of the comments it cites. A cited comment hidden,
rejected, edited or erased (comments send `discussion_changed` for each, after commit; a comment
saved from a shell sends model signals) makes those same pages stale, so its excerpt and link go
everywhere at once. Purges wait for the commit (`pagecache.purging.purge`). Connected in
ChangesConfig.ready().
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django_comments_xtd.models import XtdComment
from wagtail.signals import page_published, page_unpublished

from blog.models import BlogPage
from comments.models import Comment
from comments.signals import discussion_changed
from pagecache.keys import Group
from pagecache.purging import purge

from .models import Change, ChangeComment, ChangePost, Feedback

__all__ = ["connect", "purge_changes"]


def _post_paths(post_ids: set[int]) -> list[str]:
    return [post.url for post in BlogPage.objects.filter(pk__in=post_ids).defer("body") if post.url]


def purge_changes(change_ids, extra_post_ids=()) -> None:
    """Make /changes/ and every post that shows one of `change_ids` stale, after commit."""
    change_ids = set(change_ids)
    post_ids = set(extra_post_ids)
    if change_ids:
        post_ids |= set(ChangePost.objects.filter(change_id__in=change_ids).values_list("post_id", flat=True))
        object_pks = XtdComment.norel_objects.filter(
            pk__in=ChangeComment.objects.filter(change_id__in=change_ids).values("comment_id")
        ).values_list("object_pk", flat=True)
        post_ids |= {int(pk) for pk in object_pks if pk.isdigit()}
    # Each language lists its own changes: only the changes' languages are purged.
    languages = (
        sorted(set(Change.objects.filter(pk__in=change_ids).values_list("locale__language_code", flat=True)))
        if change_ids
        else []
    )
    purge(paths=_post_paths(post_ids), groups=[Group.CHANGES], languages=languages or None)


def _changes_touching_post(page_id: int) -> set[int]:
    on_page = XtdComment.norel_objects.filter(object_pk=str(page_id)).values("pk")
    return set(
        Change.objects.filter(Q(cited_posts__post_id=page_id) | Q(cited_comments__comment_id__in=on_page))
        .values_list("pk", flat=True)
        .distinct()
    )


def _change_saved(sender, instance: Change, raw=False, **kwargs) -> None:
    if not raw:
        purge_changes({instance.pk})


def _citation_changed(sender, instance, raw=False, **kwargs) -> None:
    # A citation added or removed: its own post too (a removed one is no longer in the table).
    if raw:
        return
    if isinstance(instance, ChangePost):
        extra = {instance.post_id}
    else:
        object_pk = (
            XtdComment.norel_objects.filter(pk=instance.comment_id)
            .values_list("object_pk", flat=True)
            .first()
        )
        extra = {int(object_pk)} if object_pk and object_pk.isdigit() else set()
    purge_changes(
        {instance.change_id} if Change.objects.filter(pk=instance.change_id).exists() else set(), extra
    )


def _feedback_changed(sender, instance: Feedback, raw=False, **kwargs) -> None:
    # A post shows where the feedback on its comments stands.
    if raw:
        return
    object_pk = (
        XtdComment.norel_objects.filter(pk=instance.comment_id).values_list("object_pk", flat=True).first()
    )
    if object_pk and object_pk.isdigit():
        purge(paths=_post_paths({int(object_pk)}))


def _discussion_changed(sender, page, **kwargs) -> None:
    # Only where a change cites the post or one of its comments: a decision purges once otherwise.
    changes = _changes_touching_post(page.pk) if page is not None else set()
    if changes:
        purge_changes(changes)


def _comment_saved(sender, instance: XtdComment, raw=False, **kwargs) -> None:
    if raw or not instance.pk:
        return
    cited = set(ChangeComment.objects.filter(comment_id=instance.pk).values_list("change_id", flat=True))
    if cited:
        purge_changes(cited)


def _post_visibility(sender, instance, **kwargs) -> None:
    # A post published, unpublished or deleted: its citations appear or vanish on /changes/.
    changes = _changes_touching_post(instance.pk)
    if changes:
        purge_changes(changes)


def connect() -> None:
    post_save.connect(_change_saved, sender=Change, dispatch_uid="changes-change-saved")
    post_delete.connect(_change_saved, sender=Change, dispatch_uid="changes-change-deleted")
    for model in (ChangePost, ChangeComment):
        post_save.connect(_citation_changed, sender=model, dispatch_uid=f"changes-{model.__name__}-saved")
        post_delete.connect(_citation_changed, sender=model, dispatch_uid=f"changes-{model.__name__}-deleted")
    post_save.connect(_feedback_changed, sender=Feedback, dispatch_uid="changes-feedback-saved")
    post_delete.connect(_feedback_changed, sender=Feedback, dispatch_uid="changes-feedback-deleted")
    discussion_changed.connect(_discussion_changed, dispatch_uid="changes-discussion")
    for model in (XtdComment, Comment):
        post_save.connect(
            _comment_saved, sender=model, dispatch_uid=f"changes-{model.__name__}-comment-saved"
        )
        post_delete.connect(
            _comment_saved, sender=model, dispatch_uid=f"changes-{model.__name__}-comment-deleted"
        )
    page_published.connect(_post_visibility, sender=BlogPage, dispatch_uid="changes-post-published")
    page_unpublished.connect(_post_visibility, sender=BlogPage, dispatch_uid="changes-post-unpublished")
    post_delete.connect(_post_visibility, sender=BlogPage, dispatch_uid="changes-post-deleted")
