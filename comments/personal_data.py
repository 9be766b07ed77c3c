"""Personal data (README "Personal data"): what a commenter may ask for, and what we forget.

Export answers a subject access request, erasure anonymises a commenter while keeping the shape of
the threads they took part in, and the IP purge forgets addresses once rate limits and abuse checks
no longer need them. The management commands export_commenter, erase_commenter and
purge_comment_ips are thin over these three functions.

Other apps keep personal data about the same email (subscriptions: the address, its deliveries).
comments may not import them, so they join through two Wagtail hooks: `export_commenter`, a
function taking the email and returning a dict merged into the export, and `erase_commenter`, a
function taking the email that forgets it (run inside the erasure's transaction).
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment
from wagtail import hooks
from wagtail.models import ModelLogEntry

from . import highlights, listing, purges
from .cooking import cook_text
from .models import Comment, CommentReport, CommentRevision, HelpfulMark, Moderation, Subscriber, is_visible

__all__ = [
    "ERASED_TEXT",
    "IP_DAYS",
    "clear_ip_addresses",
    "erase_commenter",
    "export_commenter",
    "forget_old_addresses",
    "is_erased",
]

# What an erased commenter's comments say instead.
ERASED_TEXT = _("[This comment was removed at the commenter's request.]")
# Commenters' addresses are kept this long (for rate limits and abuse), then cleared.
IP_DAYS = 30


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _subscriber(email: str):
    return Subscriber.objects.filter(email__iexact=(email or "").strip())


def forget_old_addresses() -> int:
    """Clear the addresses older than IP_DAYS (the scheduler runs it hourly; purge_comment_ips too)."""
    return clear_ip_addresses(timezone.now() - datetime.timedelta(days=IP_DAYS))


def clear_ip_addresses(before: datetime.datetime) -> int:
    """Forget the address of every comment older than `before` (and of reports on comments):
    addresses serve rate limits and abuse checks, which need days, not years."""
    cleared = Comment.objects.filter(submit_date__lt=before, ip_address__isnull=False).update(ip_address=None)
    # The reader keys (core.http.reader_key) beside them are addresses too.
    Moderation.objects.filter(comment__submit_date__lt=before).exclude(reader="").update(reader="")
    CommentReport.objects.filter(created_at__lt=before).exclude(reader="").update(reader="")
    HelpfulMark.objects.filter(created_at__lt=before).exclude(reader="").update(reader="")
    return cleared + CommentReport.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
        ip_address=None
    )


def _moderation_data(moderation) -> dict | None:
    if moderation is None:
        return None
    return {
        "status": moderation.status,
        "reasons": moderation.reasons,
        "reject_reason": moderation.reject_reason,
        "decided_at": _iso(moderation.decided_at),
        "reports": moderation.report_count,
        "sent_to_patient_relations_at": _iso(moderation.routed_at),
    }


def _comment_data(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "post": {
            "id": comment.object_pk,
            "url": comment.content_object.url if comment.content_object else None,
        },
        "submitted": comment.submit_date.isoformat(),
        "name": comment.user_name,
        "email": comment.user_email,
        "url": comment.user_url,
        "ip_address": comment.ip_address,
        "text": comment.comment,
        "reply_to": comment.parent_id if comment.parent_id != comment.pk else None,
        "wants_reply_emails": comment.followup,
        "shown": is_visible(comment),
        "moderation": _moderation_data(getattr(comment, "moderation", None)),
    }


def export_commenter(email: str) -> dict:
    """Everything stored about one commenter's email, as plain data (a subject access request)."""
    comments = list(
        Comment.objects.by_email(email).select_related("moderation").order_by("submit_date", "pk")
    )
    pks = [c.pk for c in comments]
    revisions = CommentRevision.objects.filter(comment_id__in=pks).order_by("replaced_at", "pk")
    # Decisions are logged against our proxy; count xtd's own content type too.
    content_types = ContentType.objects.get_for_models(Comment, XtdComment, for_concrete_models=False)
    log_entries = ModelLogEntry.objects.filter(
        content_type__in=content_types.values(), object_id__in=[str(pk) for pk in pks]
    ).order_by("timestamp", "pk")
    subscriber = _subscriber(email).first()
    others = {}
    for hook in hooks.get_hooks("export_commenter"):
        others.update(hook(email))
    return {
        "email": (email or "").strip().lower(),
        "comments": [_comment_data(c) for c in comments],
        "revisions": [
            {
                "comment": r.comment_id,
                "text": r.text,
                "redacted": r.redacted,
                "replaced_at": _iso(r.replaced_at),
            }
            for r in revisions
        ],
        "subscription": None
        if subscriber is None
        else {"email": subscriber.email, "confirmed_at": _iso(subscriber.confirmed_at)},
        "moderation_log": [
            {"comment": int(e.object_id), "action": e.action, "at": _iso(e.timestamp), "data": e.data}
            for e in log_entries
        ],
        **others,
    }


def is_erased(comment: XtdComment) -> bool:
    """Whether `comment` was erased at its commenter's request: whoever writes comments from
    elsewhere (an import) must not give it back its text, name or email."""
    return comment.comment == str(ERASED_TEXT) and not comment.user_email


def _erase_elsewhere(email: str) -> None:
    for hook in hooks.get_hooks("erase_commenter"):
        hook(email)


def erase_commenter(email: str) -> int:
    """Anonymise one commenter: name, email, address and URL cleared, every text (and every
    earlier version of it) replaced by a note, and its stored HTML cooked again. The rows stay, so
    replies keep their place in the thread; the subscription goes; every post they commented on
    is purged. Returns the number of comments erased."""
    pks = list(Comment.objects.by_email(email).values_list("pk", flat=True))
    if not pks:
        with transaction.atomic():
            _subscriber(email).delete()
            _erase_elsewhere(email)
        return 0
    note = str(ERASED_TEXT)
    # Every post they commented on, shown or not: erased text must be in no cached page or list.
    pages = {c.content_object for c in Comment.objects.filter(pk__in=pks)}
    with transaction.atomic():
        # UPDATEs, not save(): xtd's pre_save handler would touch the replies beneath.
        XtdComment.norel_objects.filter(pk__in=pks).update(
            user_name="", user_email="", user_url="", ip_address=None, comment=note, followup=False
        )
        cook_text(pks, note)  # the stored HTML says the note too
        CommentRevision.objects.filter(comment_id__in=pks).update(text=note)
        # An erased question is no longer one, and an erased answer answers nothing.
        Moderation.objects.filter(pk__in=pks).update(
            reader="", wants_notices=False, question=False, answer=None, answered_at=None
        )
        Moderation.objects.filter(answer_id__in=pks).update(answer=None, answered_at=None)
        _subscriber(email).delete()
        _erase_elsewhere(email)
    for page in pages - {None}:
        # A purge only retires the cached lists (their keys carry the old version, kept until
        # they expire): the erased text is deleted from the cache now, keys made before the purge.
        cache.delete_many([*listing.cached_keys(page), highlights.cache_key(page)])
        purges.discussion_changed(page)
    return len(pks)
