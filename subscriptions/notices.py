"""The notices about what a reader wrote: "your comment is now published", "a member of staff
replied to you", "your comment was highlighted" (comments.signals.reader_news).

Only for a comment whose commenter ticked the box (Moderation.wants_notices), and only to an
address its owner proved: the comment was posted from a browser holding proof of it
(Moderation.email_proven), or the address was confirmed through an emailed link (comments'
reply-notice confirmation, or a confirmed subscription here). A typed address proves nothing, and
writing to it would let anyone send our mail to anyone. Each notice is a link to the comment,
never its text, with its own one-click unsubscribe.
"""

from django_tasks import task

from comments.models import Comment, Moderation
from comments.models import Subscriber as ReplySubscriber
from comments.signals import reader_news
from comments.visibility import visible

from . import emails
from .models import Subscriber

__all__ = ["connect", "is_proven", "send_notice", "turn_off"]


def is_proven(moderation: Moderation, email: str) -> bool:
    if moderation.email_proven:
        return True
    return (
        ReplySubscriber.is_confirmed(email)
        or Subscriber.objects.by_email(email).filter(confirmed_at__isnull=False).exists()
    )


def _news(sender, comment, event: str, reply=None, **kwargs) -> None:
    moderation = Moderation.objects.filter(pk=comment.pk).first()
    if moderation is None or not moderation.wants_notices or not comment.user_email:
        return
    if not is_proven(moderation, comment.user_email):
        return
    send_notice.enqueue(event, comment.pk, reply.pk if reply is not None else None)


@task()
def send_notice(event: str, comment_id: int, reply_id: int | None = None) -> bool:
    """Built when sent: a comment hidden, erased or opted out since is not written about."""
    comment = visible().select_related("moderation").filter(pk=comment_id).first()
    if comment is None or not comment.user_email or not comment.moderation.wants_notices:
        return False
    page = comment.content_object
    if page is None:
        return False
    target = Comment.objects.filter(pk=reply_id).first() if reply_id else comment
    key = f"{event}.c{comment_id}" + (f".r{reply_id}" if reply_id else "")
    emails.notice(event, comment.user_email, (target or comment).permalink, page.title, key).send()
    return True


def turn_off(email: str) -> int:
    """The notices' one-click unsubscribe: no notice about any comment from this address."""
    return Moderation.objects.filter(comment__user_email__iexact=email, wants_notices=True).update(
        wants_notices=False
    )


def connect() -> None:
    reader_news.connect(_news, dispatch_uid="subscriptions-reader-news")
