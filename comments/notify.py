"""Email about comments. The receivers below react to the moderation signals (connected in
CommentsConfig.ready()) by scheduling the mail for after the comment's transaction commits
(transaction.on_commit), and a failing mail server is logged, never raised: the comment is
already stored, and the reader's response must not wait for or fail with SMTP.

Held comments' text never goes into an email (it may hold private health information): the
moderator reads it in the admin.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import signals, tokens
from .models import Comment, Discussion, Moderation, Status, Subscriber, is_visible

logger = logging.getLogger(__name__)

__all__ = ["comment_posted", "comment_published", "connect", "route", "send_digest"]


def _send(subject: str, template: str, context: dict, to: list[str], headers: dict | None = None) -> bool:
    body = render_to_string(template, {"BASE_URL": settings.BASE_URL, **context})
    message = EmailMessage(subject=subject, body=body, to=to, headers=headers or {})
    try:
        message.send()
    except Exception:  # any failure of the mail server: log and carry on, the comment is safe
        logger.exception("comment email %r could not be sent", template)
        return False
    return True


def _load(pk: int) -> Comment | None:
    return Comment.objects.select_related("moderation").filter(pk=pk).first()


def _discussion(comment: Comment) -> Discussion:
    page = comment.content_object
    return Discussion.for_site(page.get_site())


def _admin_url(comment: Comment) -> str:
    return settings.BASE_URL + reverse("comments_admin:edit", args=[comment.pk])


def comment_posted(pk: int) -> None:
    """A new comment: tell moderators if it is held, readers if it was published, and ask the
    commenter to confirm their address if they want reply notifications."""
    comment = _load(pk)
    if comment is None:
        return
    status = comment.moderation.status
    if status == Status.WAITING:
        discussion = _discussion(comment)
        if discussion.notify == Discussion.Notify.EACH and discussion.moderators_email:
            sent = _send(
                "A comment is waiting for moderation",
                "comments/email/held.txt",
                {"comment": comment, "moderation": comment.moderation, "admin_url": _admin_url(comment)},
                [discussion.moderators_email],
            )
            if sent:
                Moderation.objects.filter(pk=pk).update(moderators_notified_at=timezone.now())
    elif status == Status.PUBLISHED:
        comment_published(pk)
    wants_replies = comment.followup and comment.user_email and status != Status.SPAM
    if wants_replies and not Subscriber.is_confirmed(comment.user_email):
        token = tokens.sign("confirm", {"e": comment.user_email})
        _send(
            "Confirm your email for reply notifications",
            "comments/email/confirm.txt",
            {
                "url": settings.BASE_URL + reverse("comments:confirm", args=[token]),
                "page": comment.content_object,
            },
            [comment.user_email],
        )


def comment_published(pk: int) -> None:
    """Tell confirmed readers who asked to follow this thread that a reply appeared."""
    comment = _load(pk)
    if comment is None or not is_visible(comment) or not comment.is_reply:
        return
    earlier = (
        Comment.objects.published()
        .filter(thread_id=comment.thread_id, followup=True, submit_date__lte=comment.submit_date)
        .exclude(pk=comment.pk)
        .exclude(user_email="")
        .exclude(user_email__iexact=comment.user_email or "-")
        .values_list("user_email", flat=True)
    )
    emails = sorted({email.lower() for email in earlier})
    confirmed = set(
        Subscriber.objects.filter(email__in=emails, confirmed_at__isnull=False).values_list(
            "email", flat=True
        )
    )
    page = comment.content_object
    for email in emails:
        if email not in confirmed:
            continue
        token = tokens.sign("unsubscribe", {"e": email, "t": comment.thread_id})
        url = settings.BASE_URL + reverse("comments:unsubscribe", args=[token])
        _send(
            f"New reply on “{page.title}”",
            "comments/email/reply.txt",
            {
                "comment": comment,
                "page": page,
                "permalink": settings.BASE_URL + comment.permalink,
                "unsubscribe_url": url,
            },
            [email],
            headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )


def route(pk: int, address: str) -> None:
    """Send Patient Relations a link to the comment (never its text: it may hold PHI)."""
    comment = _load(pk)
    if comment is None:
        return
    _send(
        "A reader's comment for Patient Relations",
        "comments/email/route.txt",
        {"comment": comment, "page": comment.content_object, "admin_url": _admin_url(comment)},
        [address],
    )


def send_digest() -> int:
    """The hourly digest for sites that chose it: held comments not yet reported, by site."""
    waiting = list(
        Moderation.objects.filter(status=Status.WAITING, moderators_notified_at__isnull=True)
        .select_related("comment")
        .order_by("comment__submit_date")
    )
    by_address: dict[str, list[Moderation]] = {}
    for moderation in waiting:
        page = moderation.comment.content_object
        if page is None:
            continue
        discussion = Discussion.for_site(page.get_site())
        if discussion.notify == Discussion.Notify.HOURLY and discussion.moderators_email:
            by_address.setdefault(discussion.moderators_email, []).append(moderation)
    sent = 0
    for address, items in by_address.items():
        ok = _send(
            f"{len(items)} comments are waiting for moderation",
            "comments/email/digest.txt",
            {"items": items, "queue_url": settings.BASE_URL + reverse("comments_admin:queue")},
            [address],
        )
        if ok:
            Moderation.objects.filter(pk__in=[m.pk for m in items]).update(
                moderators_notified_at=timezone.now()
            )
            sent += len(items)
    return sent


def _after_commit(send, *args) -> None:
    transaction.on_commit(lambda: send(*args), robust=True)


def _posted(sender, comment: Comment, **kwargs) -> None:
    _after_commit(comment_posted, comment.pk)


def _decided(sender, comment, first_publication: bool, **kwargs) -> None:
    if first_publication:
        _after_commit(comment_published, comment.pk)


def _routed(sender, comment, address: str, **kwargs) -> None:
    _after_commit(route, comment.pk, address)


def connect() -> None:
    signals.comment_posted.connect(_posted, dispatch_uid="notify-posted")
    signals.comment_decided.connect(_decided, dispatch_uid="notify-decided")
    signals.comment_routed.connect(_routed, dispatch_uid="notify-routed")
