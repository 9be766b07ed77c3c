"""Email about comments: who is told what, one message at a time.

Nothing here runs in a reader's request. creation.py and moderation.py call tasks.py by name,
which enqueues tasks with the comment's transaction; a task asks this module what an event calls for
(`posted`, `published`: a list of `Delivery`) and then builds and sends each message (`message`)
in a worker, retrying a failed one. A delivery names a kind of message and ids, never text, so a
queued task holds nothing a reader wrote.

Held comments' text never goes into an email (it may hold private health information): the
moderator reads it in the admin.
"""

import logging
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import tokens
from .models import Comment, Discussion, Moderation, Status, Subscriber
from .visibility import answered_questions, visible

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "Delivery",
    "answered",
    "message",
    "posted",
    "published",
    "routed",
    "sent",
    "send_digest",
]


class Delivery(NamedTuple):
    """One email to send: its kind (a key of KINDS), the comment, and for a reply notice the
    subscriber it goes to. Ids only: this is what a queued task carries."""

    kind: str
    comment_id: int
    subscriber_id: int | None = None


def _render(
    subject: str, template: str, context: dict, to: list[str], headers: dict | None = None
) -> EmailMessage:
    body = render_to_string(template, {"BASE_URL": settings.BASE_URL, **context})
    return EmailMessage(subject=subject, body=body, to=to, headers=headers or {})


def _load(pk: int) -> Comment | None:
    return Comment.objects.select_related("moderation").filter(pk=pk).first()


def _discussion(comment: Comment) -> Discussion:
    page = comment.content_object
    return Discussion.for_site(page.get_site())


def _admin_url(comment: Comment) -> str:
    return settings.BASE_URL + reverse("comments_admin:edit", args=[comment.pk])


def _held(comment: Comment, _subscriber_id: int | None) -> EmailMessage | None:
    """Moderators, when the site wants an email per held comment and it is still waiting."""
    if comment.moderation.status != Status.WAITING or comment.moderation.moderators_notified_at:
        return None
    discussion = _discussion(comment)
    if discussion.notify != Discussion.Notify.EACH or not discussion.moderators_email:
        return None
    return _render(
        _("A comment is waiting for moderation"),
        "comments/email/held.txt",
        {"comment": comment, "moderation": comment.moderation, "admin_url": _admin_url(comment)},
        [discussion.moderators_email],
    )


def _confirm(comment: Comment, _subscriber_id: int | None) -> EmailMessage | None:
    """The commenter, asked to confirm their address before any reply notification."""
    email = comment.user_email
    if not (comment.followup and email) or Subscriber.is_confirmed(email):
        return None
    token = tokens.sign("confirm", {"e": email})
    return _render(
        _("Confirm your email for reply notifications"),
        "comments/email/confirm.txt",
        {
            "url": settings.BASE_URL + reverse("comments:confirm", args=[token]),
            "page": comment.content_object,
        },
        [email],
    )


def _reply(comment: Comment, subscriber_id: int | None) -> EmailMessage | None:
    """A confirmed reader who follows the thread: a reply appeared (the reply is public text)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, confirmed_at__isnull=False).first()
    # Only a reply readers may see (comments/visibility.py): not one on a private post or under a
    # removed comment.
    if subscriber is None or not visible().filter(pk=comment.pk).exists():
        return None
    page = comment.content_object
    token = tokens.sign("unsubscribe", {"e": subscriber.email, "t": comment.thread_id})
    url = settings.BASE_URL + reverse("comments:unsubscribe", args=[token])
    return _render(
        _("New reply on “%(title)s”") % {"title": page.title},
        "comments/email/reply.txt",
        {
            "comment": comment,
            "page": page,
            "permalink": settings.BASE_URL + comment.permalink,
            "unsubscribe_url": url,
        },
        [subscriber.email],
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _route(comment: Comment, _subscriber_id: int | None) -> EmailMessage | None:
    """Patient Relations: a link to the comment (never its text: it may hold PHI)."""
    address = _discussion(comment).patient_relations_email
    if not address:
        return None
    return _render(
        _("A reader's comment for Patient Relations"),
        "comments/email/route.txt",
        {"comment": comment, "page": comment.content_object, "admin_url": _admin_url(comment)},
        [address],
    )


def _answered(question: Comment, _subscriber_id: int | None) -> EmailMessage | None:
    """The asker, when they asked to be told about replies and confirmed their address: their
    question has an official answer (while both are shown: visibility.answered_questions)."""
    email = question.user_email
    if not (question.followup and email and Subscriber.is_confirmed(email)):
        return None
    if not answered_questions(visible().filter(pk=question.pk)).exists():
        return None
    answer = Comment.objects.get(pk=question.moderation.answer_id)
    page = question.content_object
    token = tokens.sign("unsubscribe", {"e": email, "t": question.thread_id})
    url = settings.BASE_URL + reverse("comments:unsubscribe", args=[token])
    return _render(
        f"Your question on “{page.title}” has an answer",
        "comments/email/answered.txt",
        {
            "answer": answer,
            "hospital": _discussion(question).hospital_name,
            "page": page,
            "permalink": settings.BASE_URL + answer.permalink,
            "unsubscribe_url": url,
        },
        [email],
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


# Each kind of email: how to build it from ids (None: nothing to send any more, e.g. the comment
# was decided before the worker got to it).
KINDS: dict[str, Callable[[Comment, int | None], EmailMessage | None]] = {
    "held": _held,
    "confirm": _confirm,
    "reply": _reply,
    "route": _route,
    "answered": _answered,
}


# The emails a reader gets are in the language they wrote in: their post's (a comment belongs to
# the language version of the post it was written on). Staff emails stay in the site's language.
READER_KINDS = {"confirm", "reply"}


def language_of(comment: Comment) -> str:
    locale = getattr(comment.content_object, "locale", None)
    return getattr(locale, "language_code", None) or settings.LANGUAGE_CODE


def message(delivery: Delivery) -> EmailMessage | None:
    """The email this delivery stands for, built now from the database; None when there is
    nothing to send (deleted comment, a decision since, an address removed)."""
    comment = _load(delivery.comment_id)
    if comment is None or comment.content_object is None:
        return None
    language = language_of(comment) if delivery.kind in READER_KINDS else settings.LANGUAGE_CODE
    with translation.override(language):
        return KINDS[delivery.kind](comment, delivery.subscriber_id)


def sent(delivery: Delivery) -> None:
    """Record what a sent email changes: moderators told of a held comment are not told again in
    a digest."""
    if delivery.kind == "held":
        Moderation.objects.filter(pk=delivery.comment_id).update(moderators_notified_at=timezone.now())


def posted(pk: int) -> list[Delivery]:
    """A new comment: moderators if it is held, followers if it was published, and the commenter's
    confirmation link if they want reply notifications."""
    comment = _load(pk)
    if comment is None:
        return []
    status = comment.moderation.status
    deliveries = []
    if status == Status.WAITING:
        deliveries.append(Delivery("held", pk))
    elif status == Status.PUBLISHED:
        deliveries.extend(published(pk))
    if comment.followup and comment.user_email and status != Status.SPAM:
        deliveries.append(Delivery("confirm", pk))
    return deliveries


def published(pk: int) -> list[Delivery]:
    """A reply shown for the first time: one notice per confirmed reader who follows the thread."""
    comment = _load(pk)
    if comment is None or not comment.is_reply or not visible().filter(pk=pk).exists():
        return []
    earlier = (
        Comment.objects.published()
        .filter(thread_id=comment.thread_id, followup=True, submit_date__lte=comment.submit_date)
        .exclude(pk=comment.pk)
        .exclude(user_email="")
        .exclude(user_email__iexact=comment.user_email or "-")
        .values_list("user_email", flat=True)
    )
    emails = sorted({email.lower() for email in earlier})
    subscribers = Subscriber.objects.filter(email__in=emails, confirmed_at__isnull=False).order_by("email")
    return [Delivery("reply", pk, subscriber.pk) for subscriber in subscribers]


def routed(pk: int) -> list[Delivery]:
    return [Delivery("route", pk)]


def send_digest() -> int:
    """The hourly digest for sites that chose it: held comments not yet reported, by site.
    Sent by a cron command, outside any request."""
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
    sent_count = 0
    for address, items in by_address.items():
        digest = _render(
            f"{len(items)} comments are waiting for moderation",
            "comments/email/digest.txt",
            {"items": items, "queue_url": settings.BASE_URL + reverse("comments_admin:queue")},
            [address],
        )
        try:
            digest.send()
        except Exception:  # the mail server failed: the next hourly run sends these again
            logger.exception("the moderation digest could not be sent")
            continue
        Moderation.objects.filter(pk__in=[m.pk for m in items]).update(moderators_notified_at=timezone.now())
        sent_count += len(items)
    return sent_count


def answered(question_pk: int) -> list[Delivery]:
    """A moderator marked an official answer to this question: the asker's notice."""
    return [Delivery("answered", question_pk)]
