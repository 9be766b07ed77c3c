"""What comments tell the apps above them (changes: the pages that cite a comment). Nothing in
comments listens: a decision calls its own effects by name (moderation.py: audit, mail, purge), so
reading the decision tells what follows it.

Receivers, all in apps that import comments (README "Map of the code"):
- `discussion_changed`: changes/purges.py (changes that cite a comment on the post).
- `reader_news`: subscriptions/notices.py (the notices a commenter opted in to).
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Comment

__all__ = ["NEWS", "discussion_changed", "reader_news", "send_discussion_changed", "send_reader_news"]

# Sent after commit whenever what an anonymous reader sees of a post's discussion changes (a
# comment published, hidden, edited or erased), with `page`. Sent by purges.discussion_changed,
# after comments' own purge.
discussion_changed = Signal()

# Sent after commit when something happens to what a reader wrote, with `comment` (the reader's
# comment) and `event`, one of NEWS: it was published after being held, a member of staff replied
# to it (`reply`: the staff reply), or a moderator highlighted it. Whether they asked to be told
# (Moderation.wants_notices) and can be written to is the receiver's business.
reader_news = Signal()
NEWS = ("published", "staff_reply", "highlighted")


def send_discussion_changed(page) -> None:
    """Send `discussion_changed` for `page` once the current transaction commits (at once outside
    one): a page rendered before the commit must not be taken for the new state."""
    transaction.on_commit(lambda: discussion_changed.send(sender=Comment, page=page), robust=True)


def send_reader_news(comment, event: str, **data) -> None:
    """Send `reader_news` about `comment` once the current transaction commits (never about a
    decision that rolled back)."""
    if event not in NEWS:
        raise ValueError(f"no such news: {event!r}")
    transaction.on_commit(
        lambda: reader_news.send(sender=Comment, comment=comment, event=event, **data), robust=True
    )
