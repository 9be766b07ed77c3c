"""Signals other apps may listen to."""

from django.dispatch import Signal

# Sent after commit whenever what an anonymous reader sees of a post's discussion changes (a
# comment published, hidden or edited), with `page`: the page cache purges the post on it.
discussion_changed = Signal()
