"""Any change to a term moves the glossary version, after the change is committed.

Bumping before the commit would let another server rebuild from the old rows and keep them.
Cached pages that show annotations (posts) or terms (the glossary pages) are purged with it.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rounds import pagecache

from .models import Term
from .registry import bump_version

# Posts carry the annotations; the glossary group holds the index and the term pages.
PAGE_GROUPS = ["posts", "glossary"]


@receiver(post_save, sender=Term)
@receiver(post_delete, sender=Term)
def term_changed(sender, **kwargs) -> None:
    transaction.on_commit(bump_version)
    pagecache.purge(groups=PAGE_GROUPS)
