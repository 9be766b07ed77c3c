"""Purging: new stamps for paths and groups once the transaction commits (kept in the database
while Redis is unreachable), announced with `pages_purged` for the caches in front; `held()`
gathers a bulk job's purges into one."""

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.dispatch import Signal

from .keys import Group, group_key, group_names, path_key
from .models import PendingPurge
from .stamps import Unavailable, stamp_store

__all__ = ["HELD_PATHS", "held", "pages_purged", "purge", "purge_all"]

logger = logging.getLogger("pagecache")

# Sent once a purge is applied (after commit), with `paths` and `groups`: caches in front of the
# app servers (an HTTP cache such as Varnish) purge the same pages on it.
pages_purged = Signal()


def _purge_now(paths: list[str], groups: list[str]) -> None:
    stamp = time.time_ns()
    stamps = {path_key(path): stamp for path in paths}
    stamps.update({group_key(name): stamp for name in groups})
    if stamps:
        try:
            stamp_store().write(stamps)
        except Unavailable:
            PendingPurge.objects.create(paths=list(paths), groups=list(groups))
            logger.warning("Page cache: Redis is unreachable; the purge is kept until it is back")
    pages_purged.send(sender=Group, paths=paths, groups=groups)


def purge(
    paths: Iterable[str] = (), groups: Iterable[Group | str] = (), languages: Iterable[str] | None = None
) -> None:
    """Make the given paths and whole groups stale everywhere, once the transaction commits: the
    groups in every language, or only in `languages` (a Spanish post's publication leaves the
    English listings cached). `pages_purged` names each language's part ("posts", "posts.es")."""
    paths = [path for path in paths if path]
    # ValueError on a name not in the table.
    groups = group_names([Group(group) for group in groups], list(languages) if languages else None)
    batch = _held.get()
    if batch is not None:
        held_paths, held_groups = batch
        held_paths.update(paths)
        held_groups.update(groups)
        every = group_names(list(Group))
        if len(held_paths) > HELD_PATHS or len(held_groups) == len(every):
            # Every cached page belongs to a group: purging them all covers every path.
            held_paths.clear()
            held_groups.update(every)
        return
    transaction.on_commit(lambda: _purge_now(paths, groups))


# Purges asked for inside `held()`: (paths, groups), applied once when it ends. Past HELD_PATHS
# paths, every group is purged instead: cheaper than that many purges, and the job's memory stays
# bounded.
HELD_PATHS = 500
_held: contextvars.ContextVar[tuple[set[str], set[str]] | None] = contextvars.ContextVar(
    "pagecache_held", default=None
)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Collect every purge asked for inside and apply them as one when the block ends: a bulk
    job (an import saving thousands of comments) purges once, not once per saved row."""
    paths: set[str] = set()
    groups: set[str] = set()
    token = _held.set((paths, groups))
    try:
        yield
    finally:
        _held.reset(token)
        if paths or groups:
            batch = _held.get()
            if batch is not None:  # nested: the outer block applies them
                batch[0].update(paths)
                batch[1].update(groups)
            else:
                transaction.on_commit(lambda: _purge_now(sorted(paths), sorted(groups)))


def purge_all() -> None:
    purge(groups=list(Group))


# ---------------------------------------------------------------------------------------------
# The middleware
