"""Whole-page cache for anonymous readers, with exact purging on every app server.

The purge table: every cached page belongs to one `Group`, which the view that renders it declares
(`cache_as`), so no path pattern is typed twice and a page the blog index serves follows the
index's slug wherever an editor moves it. Each path and each group has a version stamp; an entry
remembers the stamps it was rendered under and is served only while both are current. Purging
writes new stamps after the transaction commits, so every server stops serving the old entry at
once, and old entries simply expire. Stamps are read *before* the page renders: a page rendered
from data that a purge then replaced carries the old stamp and is never served.

Where things live:

- **Stamps** in a store every process shares (`stamp_store()`): Redis when `REDIS_URL` is set, else
  the database (`rounds.models.PageCacheStamp`). Never per-process memory: a purge made by one
  worker, a shell or a cron job must be seen by all (`rounds/checks.py` fails `check --deploy`
  otherwise).
- **Bodies**, gzipped once, in two tiers: a bytes-bounded LRU in each process (`LocalTier`), keyed
  by the path and the stamps it was rendered under, so a purge changes the key; behind it, with
  Redis, one shared entry per path. A hit costs one read of the stamps and a dictionary lookup.
  Clients that accept gzip get the stored bytes as they are; the others get them decompressed
  (once per process and version).
- **No stampede.** When a page with a previous version is purged, one process takes a short lock
  in the stamp store and renders; the others serve the previous version while it does, for at most
  `PAGE_CACHE_STALE_SECONDS` (5) after the purge, then wait for the new one. Never a render per
  worker at once, and the new version shows as soon as its one render is done.
- **Redis outage.** Reading stamps fails: the page is served uncached, the outage is logged once
  per minute per process, and Redis is retried after a second. A purge that cannot reach Redis is
  written to the database (`rounds.models.PendingPurge`) and applied by the first process that
  sees Redis again (each process also looks for such purges every few seconds), so a Redis that
  comes back with its old data never serves what the purge retired.

Only anonymous GETs are cached: a request with a session or messages cookie, a response that sets
a cookie (such as a CSRF token), a preview, an error page, a response marked private, a page under
a view restriction, and any view that declares no group is never stored.
"""

import contextlib
import contextvars
import dataclasses
import enum
import gzip
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import Signal, receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from .models import PageCacheStamp, PendingPurge

__all__ = [
    "Group",
    "LocalTier",
    "PageCacheMiddleware",
    "Unavailable",
    "cache_as",
    "cached_as",
    "held",
    "local_tier",
    "mark_page",
    "may_store",
    "pages_purged",
    "purge",
    "purge_all",
    "stamp_store",
    "version",
]

logger = logging.getLogger(__name__)

KEY_PREFIX = "pagecache"
# `?page=` is the only query parameter that changes what a cached page shows; the rest (tracking
# tags, a comment permalink ?c=) would only multiply cache entries.
PAGE_PARAM = "page"
SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# As django.middleware.gzip reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# A render lock outlives any sane render; a crashed renderer's lock frees itself after it.
LOCK_SECONDS = 10
# How long a reader waits for another process's render before rendering the page itself.
WAIT_SECONDS = 3.0
WAIT_STEP = 0.02
# Redis down: retry after this long, log at most this often, look for pending purges this often.
RETRY_SECONDS = 1.0
OUTAGE_LOG_SECONDS = 60.0
REPLAY_SECONDS = 5.0
# A path's stamp may expire or be evicted in Redis: the next render makes a new one, which no
# stored entry carries, so losing one costs a render, never a stale page. The lifetime (longer
# than any entry's) bounds what paths nobody asks for again leave behind.
PATH_STAMP_SECONDS = 7 * 24 * 60 * 60


class Group(enum.StrEnum):
    """What a change can make stale without listing paths: the purge table's columns."""

    LISTINGS = "listings"  # home, the blog index and its tag, month and author views, post feed, sitemap
    POSTS = "posts"  # each post page (with its discussion and its definitions)
    GLOSSARY = "glossary"  # the A-Z index and the term pages
    COMMENT_FEEDS = "comment-feeds"  # the site's and each post's comment feed
    CHANGES = "changes"  # /changes/, its topic pages and its feed (changes/)


def cache_as(response: HttpResponse, group: Group | str) -> HttpResponse:
    """Declare that `response` may be cached for anonymous readers in `group` (ValueError if no such
    group: a typo must fail loudly, never silently cache or purge nothing)."""
    response.page_cache_group = Group(group)
    return response


def cached_as(group: Group | str) -> Callable:
    """A view decorator: `cache_as` for every response the view returns."""
    group = Group(group)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return cache_as(view(request, *args, **kwargs), group)

        return wrapper

    return decorator


def mark_page(request: HttpRequest, number: int) -> None:
    """A paginating view says which page it showed. A `?page=` request is stored only when the view
    showed exactly that page, so junk and out-of-range values (which the view answers with the first
    or last page) add no cache entry."""
    request.page_cache_page = number


def _requested_page(request: HttpRequest) -> int | None:
    """The `?page=` number when it is a canonical page number above 1; None for none or page 1;
    0 for anything else."""
    value = request.GET.get(PAGE_PARAM)
    if value is None or value == "1":
        return None
    if value.isascii() and value.isdigit() and not value.startswith("0") and len(value) <= 6:
        return int(value)
    return 0


# Stamp keys are short and fixed-length whatever the path, so they fit a database key column.
def _group_key(group: Group) -> str:
    return f"g:{group}"


def _path_key(path: str) -> str:
    return "p:" + hashlib.sha256(path.encode()).hexdigest()[:40]


_GROUP_KEYS = {group: _group_key(group) for group in Group}


# ---------------------------------------------------------------------------------------------
# Stamp stores


class Unavailable(Exception):
    """The shared store cannot be reached: serve uncached, keep purges for later."""


class DatabaseStamps:
    """Stamps and locks as rows of `PageCacheStamp`: shared by every process on the database."""

    shared = True

    def read(self, keys: list[str]) -> dict[str, int]:
        return dict(PageCacheStamp.objects.filter(key__in=keys).values_list("key", "value"))

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
        return self._call(self.cache.get, f"e:{base}")

    def set_entry(self, base: str, entry: "Entry") -> None:
        self._call(self.cache.set, f"e:{base}", entry, timeout=settings.PAGE_CACHE_SECONDS)


def replay_pending_purges(store: "CacheStamps") -> int:
    """Apply the purges that could not reach Redis; how many. Safe to run twice (a second purge
    only costs a render)."""
    pending = list(PendingPurge.objects.all()[:500])
    if not pending:
        return 0
    stamp = time.time_ns()
    stamps = {}
    for row in pending:
        stamps.update({_path_key(path): stamp for path in row.paths})
        stamps.update({_GROUP_KEYS[Group(group)]: stamp for group in row.groups})
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


@dataclasses.dataclass(slots=True)
class Entry:
    """A stored page: gzipped once; its plain body made on demand, once per process."""

    base: str
    group: str
    path_stamp: int
    group_stamp: int
    status: int
    headers: tuple[tuple[str, str], ...]
    etag: str
    body: bytes  # gzip
    expires: float
    plain: bytes | None = None

    def __getstate__(self):  # the shared tier stores the gzip body only
        return [getattr(self, field.name) for field in dataclasses.fields(self)][:-1]

    def __setstate__(self, state):
        for field, value in zip(dataclasses.fields(self), [*state, None], strict=True):
            setattr(self, field.name, value)

    def current(self, stamps: dict[str, int]) -> bool:
        return (
            self.path_stamp == stamps.get(_path_key_of(self))
            and self.group_stamp == stamps.get(_GROUP_KEYS[Group(self.group)])
            and self.expires > time.time()
        )

    @property
    def size(self) -> int:
        return len(self.body) + len(self.plain or b"") + 512


def _path_key_of(entry: Entry) -> str:
    return entry.base.split("|", 1)[0]


def _stamped_key(entry: Entry) -> str:
    return f"{entry.base}|{entry.group_stamp}|{entry.path_stamp}"


class LocalTier:
    """This process's page bodies: an LRU bounded in bytes, keyed by path and stamps.

    Beside it, for each path, the key of the version last stored here: the lookup for a hit, and the
    previous version that readers are served while another process renders the new one.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.latest: dict[str, str] = {}
        self.lock = threading.Lock()

    def get(self, base: str) -> Entry | None:
        """The latest version stored here for `base` (current or not)."""
        with self.lock:
            key = self.latest.get(base)
            entry = self.entries.get(key) if key else None
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, entry: Entry) -> None:
        key = _stamped_key(entry)
        with self.lock:
            old = self.entries.pop(self.latest.get(entry.base, ""), None)
            if old is not None:
                self.bytes -= old.size
            if entry.size > self.max_bytes:
                self.latest.pop(entry.base, None)
                return
            self.entries[key] = entry
            self.latest[entry.base] = key
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                _evicted_key, evicted = self.entries.popitem(last=False)
                self.bytes -= evicted.size
                self.latest.pop(evicted.base, None)

    def plain(self, entry: Entry) -> bytes:
        """The uncompressed body, decompressed once and counted in the tier's bytes."""
        if entry.plain is None:
            plain = gzip.decompress(entry.body)
            with self.lock:
                if entry.plain is None:
                    entry.plain = plain
                    if self.entries.get(_stamped_key(entry)) is entry:
                        self.bytes += len(plain)
        return entry.plain

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.latest.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self.entries)


_local: LocalTier | None = None


def local_tier() -> LocalTier:
    global _local
    if _local is None:
        _local = LocalTier(settings.PAGE_CACHE_LOCAL_BYTES)
    return _local


@receiver(setting_changed)
def _settings_changed(setting: str, **kwargs) -> None:
    global _store, _local
    if setting in ("PAGE_CACHE_STAMPS", "CACHES"):
        _store = None
    if setting == "PAGE_CACHE_LOCAL_BYTES":
        _local = None


# ---------------------------------------------------------------------------------------------
# Reading stamps, purging


def _read_stamps(path: str) -> dict[str, int]:
    """Every group's stamp and `path`'s, in one round trip (Unavailable if the store is down)."""
    return stamp_store().read([*_GROUP_KEYS.values(), _path_key(path)])


# Stamps made during a render (a fragment keyed on the page's `version`), which that render may
# then store its page under: nothing was purged between the read before it and their making.
_made_in_render: contextvars.ContextVar[dict | None] = contextvars.ContextVar("pagecache_made", default=None)


def _ensure(keys: list[str], found: dict[str, int]) -> dict[str, int]:
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        made = stamp_store().create(missing)
        if (record := _made_in_render.get()) is not None:
            record.update(made)
        found = {**found, **stamp_store().read(missing)}
    return found


def version(path: str, group: Group | str) -> str:
    """The cache version of a page: changes whenever a purge touches the path or its group.

    Fragments rendered for a page (the comment list of a post) key on it, so they are purged with it.
    """
    keys = [_GROUP_KEYS[Group(group)], _path_key(path)]
    try:
        stamps = _ensure(keys, stamp_store().read(keys))
    except Unavailable:
        return f"unavailable:{time.time_ns()}"  # a key nobody reads twice: nothing stale reused
    return f"{stamps.get(keys[0])}:{stamps.get(keys[1])}"


# Sent once a purge is applied (after commit), with `paths` and `groups`: caches in front of the
# app servers (an HTTP cache such as Varnish) purge the same pages on it.
pages_purged = Signal()

# The header that names a cached response's group, for HTTP caches that purge by group (bans).
GROUP_HEADER = "X-Cache-Group"


def _purge_now(paths: list[str], groups: list[Group]) -> None:
    stamp = time.time_ns()
    stamps = {_path_key(path): stamp for path in paths}
    stamps.update({_GROUP_KEYS[group]: stamp for group in groups})
    if stamps:
        try:
            stamp_store().write(stamps)
        except Unavailable:
            PendingPurge.objects.create(paths=list(paths), groups=[str(group) for group in groups])
            logger.warning("Page cache: Redis is unreachable; the purge is kept until it is back")
    pages_purged.send(sender=Group, paths=paths, groups=groups)


def purge(paths: Iterable[str] = (), groups: Iterable[Group | str] = ()) -> None:
    """Make the given paths and whole groups stale everywhere, once the transaction commits."""
    paths = [path for path in paths if path]
    groups = [Group(group) for group in groups]  # ValueError on a name not in the table
    batch = _held.get()
    if batch is not None:
        held_paths, held_groups = batch
        held_paths.update(paths)
        held_groups.update(groups)
        if len(held_paths) > HELD_PATHS or len(held_groups) == len(Group):
            # Every cached page belongs to a group: purging them all covers every path.
            held_paths.clear()
            held_groups.update(Group)
        return
    transaction.on_commit(lambda: _purge_now(paths, groups))


# Purges asked for inside `held()`: (paths, groups), applied once when it ends. Past HELD_PATHS
# paths, every group is purged instead: cheaper than that many purges, and the job's memory stays
# bounded.
HELD_PATHS = 500
_held: contextvars.ContextVar[tuple[set[str], set[Group]] | None] = contextvars.ContextVar(
    "pagecache_held", default=None
)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Collect every purge asked for inside and apply them as one when the block ends: a bulk
    job (an import saving thousands of comments) purges once, not once per saved row."""
    paths: set[str] = set()
    groups: set[Group] = set()
    token = _held.set((paths, groups))
    try:
        yield
    finally:
        _held.reset(token)
        if paths or groups:
            purge(sorted(paths), sorted(groups))


def purge_all() -> None:
    purge(groups=list(Group))


# ---------------------------------------------------------------------------------------------
# The middleware


def _base_key(request: HttpRequest) -> str:
    # Junk page values share the first page's entry: that is what the view shows for them.
    page = _requested_page(request) or 1
    return f"{_path_key(request.path)}|{page}"


def _shows_requested_page(request: HttpRequest) -> bool:
    shown = getattr(request, "page_cache_page", None)
    requested = _requested_page(request)
    return shown in (None, 1) if not requested else shown == requested


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in SKIP_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def may_store(request: HttpRequest) -> bool:
    """Whether the page cache is on and could keep the answer to `request`: views that must pay for
    a check before declaring a page cacheable (a query) skip it when not."""
    return bool(settings.PAGE_CACHE_SECONDS) and _is_cacheable_request(request)


def _is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and getattr(response, "page_cache_group", None) is not None
        and _shows_requested_page(request)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "is_preview", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _gzip_etag(etag: str) -> str:
    # Each representation has its own validator (the gzip bytes are not the plain ones).
    return etag[:-1] + '-gzip"' if etag.endswith('"') else etag


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers. Sits before sessions and auth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_SECONDS or not _is_cacheable_request(request):
            return self.get_response(request)
        store, local = stamp_store(), local_tier()
        try:
            stamps = _read_stamps(request.path)
        except Unavailable:
            return self.get_response(request)  # the outage is logged by the store

        base = _base_key(request)
        previous = local.get(base)
        if previous is not None and previous.current(stamps):
            return self._serve(request, previous, "hit")
        if isinstance(store, CacheStamps):
            try:
                shared = store.get_entry(base)
            except Unavailable:
                shared = None
            if shared is not None and shared.current(stamps):
                local.put(shared)
                return self._serve(request, shared, "hit")
            if shared is not None and (previous is None or shared.path_stamp >= previous.path_stamp):
                previous = shared
        if previous is None:
            return self._render(request, base, stamps)
        return self._replace(request, base, stamps, previous)

    def _replace(self, request: HttpRequest, base: str, stamps: dict, previous: Entry) -> HttpResponse:
        """A purged page that was stored before: one process renders it, the others serve the
        previous version for a moment, then wait for the new one."""
        store = stamp_store()
        try:
            token = store.lock(base)
        except Unavailable:
            return self.get_response(request)
        if token is not None:
            try:
                return self._render(request, base, stamps)
            finally:
                with contextlib.suppress(Unavailable):  # else it expires by itself
                    store.unlock(base, token)
        purged = max(
            stamps.get(_path_key_of(previous)) or 0, stamps.get(_GROUP_KEYS[Group(previous.group)]) or 0
        )
        if purged and time.time_ns() - purged <= settings.PAGE_CACHE_STALE_SECONDS * 1e9:
            return self._serve(request, previous, "stale")
        fresh = self._wait(base, stamps)
        if fresh is not None:
            return self._serve(request, fresh, "hit")
        return self._render(request, base, stamps)

    def _wait(self, base: str, stamps: dict) -> Entry | None:
        """Wait (bounded) while another process renders; the new version if it shared it."""
        store, local = stamp_store(), local_tier()
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while time.monotonic() < deadline:
                time.sleep(WAIT_STEP)
                if isinstance(store, CacheStamps):
                    entry = store.get_entry(base)
                    if entry is not None and entry.current(stamps):
                        local.put(entry)
                        return entry
                if not store.locked(base):
                    return None
        except Unavailable:
            return None
        return None

    def _render(self, request: HttpRequest, base: str, stamps: dict) -> HttpResponse:
        made: dict[str, int] = {}
        token = _made_in_render.set(made)
        try:
            response = self.get_response(request)
        finally:
            _made_in_render.reset(token)
        if not _is_cacheable_response(request, response):
            return response
        try:
            entry = self._store(request, response, base, {**made, **stamps})
        except Unavailable:
            entry = None
        if entry is None:  # a purge came in during the render: this page is not kept
            response["X-Page-Cache"] = "miss"
            return response
        return self._serve(request, entry, "miss")

    def _store(self, request: HttpRequest, response: HttpResponse, base: str, stamps: dict) -> Entry | None:
        group = response.page_cache_group
        keys = [_path_key(request.path), _GROUP_KEYS[group]]
        missing = [key for key in keys if stamps.get(key) is None]
        if missing:
            # First render of this path (or its stamp expired): the stamps are made now, and used
            # only if this process made them (no purge can have come in between).
            stamps = {**stamps, **stamp_store().create(missing)}
            if any(stamps.get(key) is None for key in keys):
                return None
        # Validators are computed once here, so a conditional request on a hit costs no hashing.
        set_response_etag(response)
        response.setdefault("Last-Modified", http_date())
        # Browsers must come back to us (they cannot see our purges); a shared cache in front of
        # us may keep the page, because it hears our purges (pages_purged).
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ("Accept-Encoding",))
        response[GROUP_HEADER] = str(group)
        skip = {"set-cookie", "content-length", "etag", "x-page-cache"}
        entry = Entry(
            base=base,
            group=str(group),
            path_stamp=stamps[keys[0]],
            group_stamp=stamps[keys[1]],
            status=response.status_code,
            headers=tuple((name, value) for name, value in response.items() if name.lower() not in skip),
            etag=response["ETag"],
            body=gzip.compress(response.content, compresslevel=6),
            expires=time.time() + settings.PAGE_CACHE_SECONDS,
            plain=response.content,
        )
        local_tier().put(entry)
        store = stamp_store()
        if isinstance(store, CacheStamps):
            store.set_entry(base, entry)
        return entry

    def _serve(self, request: HttpRequest, entry: Entry, state: str) -> HttpResponse:
        if _accepts_gzip(request):
            response = HttpResponse(entry.body, status=entry.status)
            response["Content-Encoding"] = "gzip"
            response["ETag"] = _gzip_etag(entry.etag)
        else:
            response = HttpResponse(local_tier().plain(entry), status=entry.status)
            response["ETag"] = entry.etag
        for name, value in entry.headers:
            response[name] = value
        response["Content-Length"] = str(len(response.content))
        response["X-Page-Cache"] = state
        return response
