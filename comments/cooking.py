"""Render on write: each comment's sanitised HTML is made when its text is written and stored on its
moderation row (`Moderation.html`, with `html_policy`, the version of sanitize.py's rules).

Discourse's "cooked" posts are the model: sanitising (urlize, then nh3) costs about 0.3 ms a
comment, which a page of hundreds of comments would pay on every cold render, and again after
every approval retires the cached discussion. Cooked once, a page only joins stored fragments.

Every way the text is written cooks it again:
- a new comment: its moderation row is cooked as it is saved (`_cook_moderation`, pre_save), so
  every creation path (creation.add_comment, and add_comments, which cooks its bulk rows) is covered;
- a comment saved again with `save()` (a shell, an import): `_comment_saved`, post_save;
- a moderator's edit or redaction: moderation.edit calls `cook` in the edit's transaction;
- an erasure: personal_data.erase_commenter calls `cook_text` for the erased rows;
- new rules: raise sanitize.POLICY; readers' pages cook what they show on the fly
  (`stored_html`, `cook_comments`), and `manage.py recook_comments` (`recook`) redoes the rest.
Connected in CommentsConfig.ready().
"""

from collections.abc import Iterable

from django.db.models.signals import post_save, pre_save
from django.utils.safestring import SafeString, mark_safe
from django_comments_xtd.models import XtdComment

from .models import Comment, Moderation
from .sanitize import POLICY, comment_html

__all__ = ["connect", "cook", "cook_comments", "cook_text", "recook", "stored_html"]

BATCH = 500


def cook(moderation: Moderation, text: str) -> None:
    """Set `moderation`'s HTML from `text` under the current rules (in memory: the caller saves)."""
    moderation.html = str(comment_html(text))
    moderation.html_policy = POLICY


def cook_text(comment_ids: Iterable[int], text: str) -> int:
    """Store one text's HTML for many comments at once (an erasure gives them all the same note)."""
    return Moderation.objects.filter(comment_id__in=list(comment_ids)).update(
        html=str(comment_html(text)), html_policy=POLICY
    )


def _moderation_of(comment: XtdComment) -> Moderation | None:
    try:
        return comment.moderation
    except Moderation.DoesNotExist:
        return None


def cook_comments(pks: list[int]) -> dict[int, SafeString]:
    """Cook the comments `pks` under the current rules, save their HTML (one bulk UPDATE) and
    return it by comment: for pages that meet comments cooked under older rules. A comment without
    a moderation row is sanitised without being stored: there is nowhere to store it."""
    if not pks:
        return {}
    cooked, stale = {}, []
    for comment in XtdComment.norel_objects.filter(pk__in=pks).select_related("moderation"):
        moderation = _moderation_of(comment)
        if moderation is None:
            cooked[comment.pk] = comment_html(comment.comment)
            continue
        cook(moderation, comment.comment)
        stale.append(moderation)
        cooked[comment.pk] = mark_safe(moderation.html)  # noqa: S308 - nh3 output, made by cook()
    Moderation.objects.bulk_update(stale, ["html", "html_policy"], batch_size=BATCH)
    return cooked


def stored_html(comment: XtdComment) -> SafeString:
    """One comment's HTML as stored (cooked again first if made under older rules): for the pages
    that show one comment (the reply page, a feed item)."""
    moderation = _moderation_of(comment)
    if moderation is None or moderation.html_policy != POLICY:
        return cook_comments([comment.pk])[comment.pk]
    return mark_safe(moderation.html)  # noqa: S308 - nh3 output, made by cook()


def recook(*, everything: bool = False) -> int:
    """Cook again the comments made under older rules (or all of them), in batches; returns how
    many were cooked. `manage.py recook_comments` runs it after the rules change."""
    moderations = Moderation.objects.select_related("comment").order_by("pk")
    if not everything:
        moderations = moderations.exclude(html_policy=POLICY)
    done, last = 0, None
    while True:
        batch = moderations if last is None else moderations.filter(pk__gt=last)
        rows = list(batch[:BATCH])
        if not rows:
            return done
        for moderation in rows:
            cook(moderation, moderation.comment.comment)
        Moderation.objects.bulk_update(rows, ["html", "html_policy"], batch_size=BATCH)
        done += len(rows)
        last = rows[-1].pk


def _cook_moderation(sender, instance: Moderation, raw: bool = False, **kwargs) -> None:
    # A new row (html_policy 0) or one made under older rules; a backup being loaded keeps its own.
    if not raw and instance.html_policy != POLICY and instance.comment_id is not None:
        cook(instance, instance.comment.comment)


def _comment_saved(sender, instance: XtdComment, created: bool, raw: bool = False, **kwargs) -> None:
    # xtd saves a new comment twice (insert, then its thread fields); its moderation row, made
    # after, is cooked by _cook_moderation. Later saves may carry new text: cook it again.
    if created:
        instance._cooking_new = True
        return
    if getattr(instance, "_cooking_new", False):
        instance._cooking_new = False
        return
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "comment" not in update_fields):
        return
    cook_text([instance.pk], instance.comment)


def connect() -> None:
    pre_save.connect(_cook_moderation, sender=Moderation, dispatch_uid="cooking-moderation")
    for model in (XtdComment, Comment):  # a proxy sends its signals with itself as sender
        post_save.connect(_comment_saved, sender=model, dispatch_uid=f"cooking-{model.__name__}")
