"""What comments tell the apps above them (changes: the pages that cite a comment). Nothing in
comments listens: a decision calls its own effects by name (moderation.py: audit, mail, purge), so
reading the decision tells what follows it.

Receivers, all in apps that import comments (README "Map of the code"):
- `discussion_changed`: changes/purges.py (changes that cite a comment on the post).
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Comment

__all__ = ["discussion_changed", "send_discussion_changed"]

# Sent after commit whenever what an anonymous reader sees of a post's discussion changes (a
# comment published, hidden, edited or erased), with `page`. Sent by purges.discussion_changed,
# after comments' own purge.
discussion_changed = Signal()


def send_discussion_changed(page) -> None:
    """Send `discussion_changed` for `page` once the current transaction commits (at once outside
    one): a page rendered before the commit must not be taken for the new state."""
    transaction.on_commit(lambda: discussion_changed.send(sender=Comment, page=page), robust=True)
