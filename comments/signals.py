"""What happens to comments, announced: moderation.py sends these, and the modules that react (mail
in tasks.py, the audit log in audit.py, page-cache purges in purges.py) are connected to them in
CommentsConfig.ready(). So the state machine calls none of them, and none of them imports it.

All but `discussion_changed` are sent *inside* the transaction that makes the change, with the
change already written: a receiver that must be part of it (the audit log) runs there and then,
and one that must wait for the commit (mail, purges) says so with `transaction.on_commit`. A
change that rolls back takes its log entries and its pending mail with it.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Comment

__all__ = [
    "comment_decided",
    "comment_edited",
    "comment_highlighted",
    "comment_posted",
    "comment_requeued",
    "comment_routed",
    "discussion_changed",
    "send_discussion_changed",
]

# A new comment was stored with its moderation row: `comment`, `page`, `status`.
comment_posted = Signal()

# A moderator approved, rejected or marked a comment as spam: `moderation`, `comment`, `user`,
# `action` (the audit-log action, "comments.approve"...), `data` (what the log records) and
# `first_publication` (True the first time the comment is ever shown).
comment_decided = Signal()

# A moderator changed a comment's text, keeping the old one as a revision: `moderation`, `comment`,
# `user`, `redacted`.
comment_edited = Signal()

# A moderator highlighted a published comment or took the highlight off: `moderation`, `comment`,
# `user`, `highlighted`.
comment_highlighted = Signal()

# A moderator sent a comment to Patient Relations: `moderation`, `comment`, `user`, `address`.
comment_routed = Signal()

# Reader reports reached the threshold and returned a published comment to the queue:
# `moderation`, `comment`, `reports`.
comment_requeued = Signal()

# Sent after commit whenever what an anonymous reader sees of a post's discussion changes (a
# comment published, hidden, edited or erased), with `page`: the page cache purges the post on it.
discussion_changed = Signal()


def send_discussion_changed(page) -> None:
    """Send `discussion_changed` for `page` once the current transaction commits (at once outside
    one): a page rendered before the commit must not be taken for the new state."""
    transaction.on_commit(lambda: discussion_changed.send(sender=Comment, page=page), robust=True)
