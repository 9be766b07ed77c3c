"""Where the stamps live: a store every process shares (the database, or Redis through a Django
cache), with Redis's outage handling, and the version of a page that fragments key on."""

import contextvars
import functools
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from .keys import Group, group_key, group_name, language_of, path_key
from .models import PageCacheStamp, PendingPurge

if TYPE_CHECKING:
    from .tiers import Entry

__all__ = [
    "CacheStamps",
    "DatabaseStamps",
    "Unavailable",
    "ensure",
    "made_in_render",
    "read_stamps",
    "replay_pending_purges",
    "stamp_store",
    "version",
]

logger = logging.getLogger("pagecache")

# A render lock outlives any sane render; a crashed renderer's lock frees itself after it.
LOCK_SECONDS = 10
# Redis down: retry after this long, log at most this often, look for pending purges this often.
RETRY_SECONDS = 1.0
OUTAGE_LOG_SECONDS = 60.0
REPLAY_SECONDS = 5.0
# A path's stamp may expire or be evicted in Redis: the next render makes a new one, which no
# stored entry carries, so losing one costs a render, never a stale page. The lifetime (longer
# than any entry's) bounds what paths nobody asks for again leave behind.
PATH_STAMP_SECONDS = 7 * 24 * 60 * 60
# Shared entries' keys name the entry's layout: servers of a newer release never read an older one.
ENTRY_PREFIX = "e2:"


class Unavailable(Exception):
    """The shared store cannot be reached: serve uncached, keep purges for later."""


@functools.cache
def _read_sql(count: int) -> str:
    quote, table = connection.ops.quote_name, PageCacheStamp._meta.db_table
    marks = ", ".join(["%s"] * count)
    return f"SELECT {quote('key')}, {quote('value')} FROM {quote(table)} WHERE {quote('key')} IN ({marks})"  # noqa: S608 - names are ours, values are parameters


class DatabaseStamps:
    """Stamps and locks as rows of `PageCacheStamp`: shared by every process on the database."""

    shared = True

    def read(self, keys: list[str]) -> dict[str, int]:
        # Every hit runs this: one statement, made once per number of keys (building it with the
        # ORM would cost more than running it).
        with connection.cursor() as cursor:
            cursor.execute(_read_sql(len(keys)), keys)
            return dict(cursor.fetchall())

    def create(self, keys: list[str]) -> dict[str, int]:
        """Make the missing stamps; the ones this call made (another process may win a race)."""
        mine = {key: time.time_ns() for key in keys}
        PageCacheStamp.objects.bulk_create(
            [PageCacheStamp(key=key, value=value) for key, value in mine.items()], ignore_conflicts=True
        )
        return {key: value for key, value in self.read(keys).items() if mine[key] == value}

    def write(self, stamps: dict[str, int]) -> None:
        PageCacheStamp.objects.bulk_create(
            [PageCacheStamp(key=key, value=value) for key, value in stamps.items()],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["value"],
        )

    def lock(self, name: str) -> int | None:
        """Take the render lock `name` unless someone holds it; a token to unlock with, or None."""
        key, now = f"l:{name}", time.time_ns()
        token = now + LOCK_SECONDS * 1_000_000_000
        rows = PageCacheStamp.objects.filter(key=key)
        if rows.filter(value__gte=now).exists():
            return None  # held: readers who will serve the previous version write nothing
        # A conditional UPDATE, or the first INSERT: of two processes, only one gets its token in.
        if not rows.filter(value__lt=now).update(value=token):
            PageCacheStamp.objects.bulk_create([PageCacheStamp(key=key, value=token)], ignore_conflicts=True)
        return token if rows.filter(value=token).exists() else None

    def unlock(self, name: str, token: int) -> None:
        PageCacheStamp.objects.filter(key=f"l:{name}", value=token).update(value=0)

    def locked(self, name: str) -> bool:
        return PageCacheStamp.objects.filter(key=f"l:{name}", value__gte=time.time_ns()).exists()


PER_PROCESS_BACKENDS = ("django.core.cache.backends.locmem", "django.core.cache.backends.dummy")


class CacheStamps:
    """Stamps and locks in a Django cache (Redis), with the outage handling described above."""

    def __init__(self, alias: str):
        self.cache = caches[alias]
        backend = type(self.cache).__module__
        # Memory of one process is no place for stamps other processes must see (checks.py).
        self.shared = not backend.startswith(PER_PROCESS_BACKENDS)
        self.down_until = 0.0
        self.down_since: float | None = None
        self.last_log = -OUTAGE_LOG_SECONDS
        self.next_replay = 0.0

    def _call(self, method: Callable, *args, **kwargs):
        now = time.monotonic()
        if now < self.down_until:
            raise Unavailable
        try:
            result = method(*args, **kwargs)
        except (ConnectionInterrupted, RedisError, OSError) as error:
            self._note_outage(now, error)
            raise Unavailable from error
        if self.down_since is not None:
            logger.warning("Page cache: Redis is reachable again after %.0f s", now - self.down_since)
            self.down_since = None
            self.next_replay = 0.0  # apply what was purged meanwhile, now
        return result

    def _note_outage(self, now: float, error: Exception) -> None:
        self.down_until = now + RETRY_SECONDS
        if self.down_since is None:
            self.down_since = now
        if now - self.last_log >= OUTAGE_LOG_SECONDS:
            self.last_log = now
            logger.error("Page cache: Redis is unreachable, serving pages uncached (%s)", error)

    def read(self, keys: list[str]) -> dict[str, int]:
        found = self._call(self.cache.get_many, keys)
        now = time.monotonic()
        if now >= self.next_replay:
            # Purges made while Redis was unreachable (by this process or any other), before this
            # request trusts what Redis says.
            self.next_replay = now + REPLAY_SECONDS
            if replay_pending_purges(self):
                found = self._call(self.cache.get_many, keys)
        return found

    def create(self, keys: list[str]) -> dict[str, int]:
        made = {}
        for key in keys:
            value = time.time_ns()
            timeout = PATH_STAMP_SECONDS if key.startswith("p:") else None
            if self._call(self.cache.add, key, value, timeout=timeout):
                made[key] = value
        return made

    def write(self, stamps: dict[str, int]) -> None:
        paths = {key: value for key, value in stamps.items() if key.startswith("p:")}
        groups = {key: value for key, value in stamps.items() if key not in paths}
        if paths:
            self._call(self.cache.set_many, paths, timeout=PATH_STAMP_SECONDS)
        if groups:
            self._call(self.cache.set_many, groups, timeout=None)

    def lock(self, name: str) -> int | None:
        token = time.time_ns()
        return token if self._call(self.cache.add, f"l:{name}", token, timeout=LOCK_SECONDS) else None

    def unlock(self, name: str, token: int) -> None:
        if self._call(self.cache.get, f"l:{name}") == token:
            self._call(self.cache.delete, f"l:{name}")

    def locked(self, name: str) -> bool:
        return self._call(self.cache.get, f"l:{name}") is not None

    # The shared tier of page bodies lives beside the stamps.
    def get_entry(self, base: str) -> "Entry | None":
        return self._call(self.cache.get, f"{ENTRY_PREFIX}{base}")

    def set_entry(self, base: str, entry: "Entry") -> None:
        self._call(self.cache.set, f"{ENTRY_PREFIX}{base}", entry, timeout=settings.PAGE_CACHE_SECONDS)


def replay_pending_purges(store: "CacheStamps") -> int:
    """Apply the purges that could not reach Redis; how many. Safe to run twice (a second purge
    only costs a render)."""
    pending = list(PendingPurge.objects.all()[:500])
    if not pending:
        return 0
    stamp = time.time_ns()
    stamps = {}
    for row in pending:
        stamps.update({path_key(path): stamp for path in row.paths})
        stamps.update({group_key(name): stamp for name in row.groups})
    store.write(stamps)  # Unavailable: kept for the next try
    PendingPurge.objects.filter(pk__in=[row.pk for row in pending]).delete()
    logger.warning("Page cache: applied %d purges made while Redis was unreachable", len(pending))
    return len(pending)


_store: "DatabaseStamps | CacheStamps | None" = None


def stamp_store() -> "DatabaseStamps | CacheStamps":
    """The configured stamp store (`PAGE_CACHE_STAMPS`: "database", or the name of a cache alias)."""
    global _store
    if _store is None:
        where = settings.PAGE_CACHE_STAMPS
        if where == "database":
            _store = DatabaseStamps()
        elif where in settings.CACHES:
            _store = CacheStamps(where)
        else:
            raise ImproperlyConfigured(f"PAGE_CACHE_STAMPS={where!r}: 'database' or a cache alias")
    return _store


# ---------------------------------------------------------------------------------------------
# Entries and the local tier


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    global _store
    if setting in ("PAGE_CACHE_STAMPS", "CACHES"):
        _store = None


def read_stamps(path: str) -> dict[str, int]:
    """Every group's stamp in the path's language and `path`'s, in one round trip (Unavailable if
    the store is down): as many keys for a Spanish page as for an English one."""
    language = language_of(path)
    return stamp_store().read([*(group_key(group_name(group, language)) for group in Group), path_key(path)])


# Stamps made during a render (a fragment keyed on the page's `version`), which that render may
# then store its page under: nothing was purged between the read before it and their making.
made_in_render: contextvars.ContextVar[dict | None] = contextvars.ContextVar("pagecache_made", default=None)


def ensure(keys: list[str], found: dict[str, int]) -> dict[str, int]:
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        made = stamp_store().create(missing)
        if (record := made_in_render.get()) is not None:
            record.update(made)
        found = {**found, **stamp_store().read(missing)}
    return found


def version(path: str, group: Group | str) -> str:
    """The cache version of a page: changes whenever a purge touches the path or its group.

    Fragments rendered for a page (the comment list of a post) key on it, so they are purged with it.
    """
    keys = [group_key(group_name(group, language_of(path))), path_key(path)]
    try:
        stamps = ensure(keys, stamp_store().read(keys))
    except Unavailable:
        return f"unavailable:{time.time_ns()}"  # a key nobody reads twice: nothing stale reused
    return f"{stamps.get(keys[0])}:{stamps.get(keys[1])}"
