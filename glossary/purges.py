"""What a change to a term makes stale: the compiled matcher everywhere, and the cached pages.

Posts carry the annotations; the glossary group holds the A-Z index and the term pages. The
matcher's version moves only after the commit: bumping before would let another server rebuild
from the old rows and keep them. Page purges wait for the commit too (`pagecache.purging.purge`).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.locale import language_of_locale
from pagecache.keys import Group
from pagecache.purging import pages_purged, purge

from .models import Term
from .registry import bump_version, forget_fragments

__all__ = ["PAGE_GROUPS", "connect", "pages_were_purged", "term_changed"]

PAGE_GROUPS = (Group.POSTS, Group.GLOSSARY)


def term_changed(sender: type[Term], instance: Term, **kwargs) -> None:
    transaction.on_commit(bump_version)
    # Only the pages of the term's language show it.
    purge(groups=PAGE_GROUPS, languages=language_of_locale(instance.locale_id))


def pages_were_purged(sender, paths=(), **kwargs) -> None:
    """A purged page's remembered fragments are deleted, not only retired: they may hold text an
    erasure removed (comments' erase_commenter purges every post the commenter wrote on)."""
    forget_fragments(list(paths))


def connect() -> None:
    """Called from GlossaryConfig.ready()."""
    pages_purged.connect(pages_were_purged, dispatch_uid="glossary.purges.pages_purged")
    post_save.connect(term_changed, sender=Term, dispatch_uid="glossary.purges.saved")
    post_delete.connect(term_changed, sender=Term, dispatch_uid="glossary.purges.deleted")
