"""Telling a commenter that their comment led to a change, through the task queue (django-tasks).

Only readers who gave an email, ticked "email me when someone replies" (`followup`) and confirmed
their address (comments' Subscriber) are written to, and each email carries comments' one-click
unsubscribe for that conversation. Each citation is told once (`ChangeComment.notified_at`, set
with a conditional UPDATE, so two workers running the same task send one email). The task takes
ids only: by the time it runs the comment may be hidden, and then nothing is sent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.signals import post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from comments import tokens
from comments.models import Comment, Subscriber
from comments.notify import language_of

from .models import Change, ChangeComment
from .visible import visible_comment_ids

__all__ = ["connect", "notify_cited_commenters"]

logger = logging.getLogger(__name__)


def _recipient(comment: Comment) -> str | None:
    email = (comment.user_email or "").strip().lower()
    if email and comment.followup and Subscriber.is_confirmed(email):
        return email
    return None


def _send(change: Change, comment: Comment, email: str) -> bool:
    # In the language the reader wrote in (their post's), links included.
    with translation.override(language_of(comment)):
        return _send_in_language(change, comment, email)


def _send_in_language(change: Change, comment: Comment, email: str) -> bool:
    token = tokens.sign("unsubscribe", {"e": email, "t": comment.thread_id})
    unsubscribe_url = settings.BASE_URL + reverse("comments:unsubscribe", args=[token])
    body = render_to_string(
        "changes/email/cited.txt",
        {
            "change": change,
            "change_url": settings.BASE_URL + change.get_absolute_url(),
            "comment_url": settings.BASE_URL + comment.get_absolute_url(),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    message = EmailMessage(
        subject=_("Your comment led to a change"),
        body=body,
        to=[email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    try:
        message.send()
    except Exception:  # the mail server failing must not fail the queue; logged, never the address
        logger.exception("change notification for comment #%s could not be sent", comment.pk)
        return False
    return True


@task()
def notify_cited_commenters(change_id: int) -> int:
    """Email the commenters newly cited by change `change_id`; returns how many were emailed."""
    change = Change.objects.filter(pk=change_id).select_related("topic").first()
    if change is None:
        return 0
    rows = list(ChangeComment.objects.filter(change_id=change_id, notified_at__isnull=True))
    shown = visible_comment_ids(row.comment_id for row in rows)
    comments = Comment.objects.in_bulk([row.comment_id for row in rows if row.comment_id in shown])
    sent = 0
    for row in rows:
        comment = comments.get(row.comment_id)
        if comment is None:
            continue  # not visible now: it may be published later and cited again, never told of this
        claimed = ChangeComment.objects.filter(pk=row.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        email = _recipient(comment)
        if claimed and email and _send(change, comment, email):
            sent += 1
    return sent


def _citation_saved(sender, instance: ChangeComment, created: bool, raw=False, **kwargs) -> None:
    if created and not raw:
        change_id = instance.change_id
        transaction.on_commit(lambda: notify_cited_commenters.enqueue(change_id), robust=True)


def connect() -> None:
    post_save.connect(_citation_saved, sender=ChangeComment, dispatch_uid="changes-notify-cited")
