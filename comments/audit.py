"""The moderation log: every decision on a comment, in Wagtail's audit log (Reports > Site history).

moderation.py calls these by name inside the transaction of the decision, so a decision and its
log entry are stored together or not at all. The log names a comment by its
number, never by its text: held text may carry private health information and stays out of logs.
The actions are registered with their labels in wagtail_hooks.py.
"""

from django_comments_xtd.models import XtdComment
from wagtail.log_actions import log

__all__ = ["answered", "decided", "edited", "highlighted", "questioned", "requeued", "routed"]


def _title(comment: XtdComment) -> str:
    # Never the text (django_comments' __str__ starts with it).
    return f"Comment #{comment.pk}"


def decided(comment: XtdComment, user, action: str, data: dict) -> None:
    """A moderator approved, rejected or marked the comment as spam (`action`, as actions.py names
    it in the log: "comments.approve"...)."""
    log(instance=comment, action=action, user=user, title=_title(comment), data=data)


def edited(comment: XtdComment, user, *, redacted: bool) -> None:
    action = "comments.redact" if redacted else "comments.edit"
    log(instance=comment, action=action, user=user, title=_title(comment))


def routed(comment: XtdComment, user) -> None:
    log(instance=comment, action="comments.route", user=user, title=_title(comment))


def highlighted(comment: XtdComment, user, *, on: bool) -> None:
    action = "comments.highlight" if on else "comments.unhighlight"
    log(instance=comment, action=action, user=user, title=_title(comment))


def requeued(comment: XtdComment, reports: int) -> None:
    log(instance=comment, action="comments.requeue", title=_title(comment), data={"reports": reports})


def questioned(comment: XtdComment, user, *, on: bool) -> None:
    action = "comments.question" if on else "comments.unquestion"
    log(instance=comment, action=action, user=user, title=_title(comment))


def answered(question: XtdComment, user, answer: XtdComment) -> None:
    log(
        instance=question,
        action="comments.answer",
        user=user,
        title=_title(question),
        data={"answer": answer.pk},
    )
