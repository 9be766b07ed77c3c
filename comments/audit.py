"""The moderation log: every decision on a comment, in Wagtail's audit log (Reports > Site history).

The receivers run inside the transaction of the decision (the signals are sent there), so a
decision and its log entry are stored together or not at all. The log names a comment by its
number, never by its text: held text may carry private health information and stays out of logs.
The actions are registered with their labels in wagtail_hooks.py.
"""

from django_comments_xtd.models import XtdComment
from wagtail.log_actions import log

from .signals import comment_decided, comment_edited, comment_highlighted, comment_requeued, comment_routed

__all__ = ["connect"]


def _title(comment: XtdComment) -> str:
    # Never the text (django_comments' __str__ starts with it).
    return f"Comment #{comment.pk}"


def _decided(sender, comment: XtdComment, user, action: str, data: dict, **kwargs) -> None:
    log(instance=comment, action=action, user=user, title=_title(comment), data=data)


def _edited(sender, comment: XtdComment, user, redacted: bool, **kwargs) -> None:
    action = "comments.redact" if redacted else "comments.edit"
    log(instance=comment, action=action, user=user, title=_title(comment))


def _routed(sender, comment: XtdComment, user, **kwargs) -> None:
    log(instance=comment, action="comments.route", user=user, title=_title(comment))


def _highlighted(sender, comment: XtdComment, user, highlighted: bool, **kwargs) -> None:
    action = "comments.highlight" if highlighted else "comments.unhighlight"
    log(instance=comment, action=action, user=user, title=_title(comment))


def _requeued(sender, comment: XtdComment, reports: int, **kwargs) -> None:
    log(instance=comment, action="comments.requeue", title=_title(comment), data={"reports": reports})


def connect() -> None:
    comment_decided.connect(_decided, dispatch_uid="audit-decided")
    comment_edited.connect(_edited, dispatch_uid="audit-edited")
    comment_routed.connect(_routed, dispatch_uid="audit-routed")
    comment_highlighted.connect(_highlighted, dispatch_uid="audit-highlighted")
    comment_requeued.connect(_requeued, dispatch_uid="audit-requeued")
