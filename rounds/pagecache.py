"""Whole-page cache for anonymous readers, with exact purging on every app server.

The purge table: every cached page belongs to one `Group`, which the view that renders it declares
(`cache_as`), so no path pattern is typed twice and a page the blog index serves follows the
index's slug wherever an editor moves it. Each path and each group has a version stamp in the
shared cache; an entry remembers the stamps it was rendered under and is served only while both
are current. Purging writes new stamps after the transaction commits, so every server stops
serving the old entry at once, and old entries simply expire. Stamps are read *before* the page
renders: a page rendered from data that a purge then replaced carries the old stamp and is never
served.

Only anonymous GETs are cached: a request with a session or messages cookie, a response that sets
a cookie (such as a CSRF token), a preview, an error page, a response marked private, and any view
that declares no group is never stored.
"""

import enum
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

__all__ = [
    "Group",
    "PageCacheMiddleware",
    "cache_as",
    "cached_as",
    "held",
    "mark_page",
    "pages_purged",
    "purge",
    "purge_all",
    "version",
]

KEY_PREFIX = "pagecache"
# `?page=` is the only query parameter that changes what a cached page shows; the rest (tracking
# tags, a comment permalink ?c=) would only multiply cache entries.
PAGE_PARAM = "page"
SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


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


def _stamp_key(kind: str, name: str) -> str:
    return f"{KEY_PREFIX}:stamp:{kind}:{name}"


_GROUP_KEYS = {group: _stamp_key("group", group) for group in Group}


# A path's stamp may expire or be evicted: the stamp made next is a new time, which no stored
# entry carries, so losing one costs a render, never a stale page. The lifetime bounds the stamps
# that paths nobody asks for again (a typo, a scan) leave behind.
PATH_STAMP_SECONDS = 7 * 24 * 60 * 60


def _read_stamps(path: str, *extra: str) -> dict:
    """The stamps of every group and of `path` (made on first sight) and whatever else is asked
    for, in one round trip."""
    path_key = _stamp_key("path", path)
    found = cache.get_many([*_GROUP_KEYS.values(), path_key, *extra])
    missing = [key for key in (*_GROUP_KEYS.values(), path_key) if found.get(key) is None]
    if missing:
        # First sight (or evicted): a fresh stamp from the clock, keeping one another server made.
        for key in missing:
            cache.add(key, time.time_ns(), timeout=PATH_STAMP_SECONDS if key == path_key else None)
        found.update(cache.get_many(missing))
    return found


def version(path: str, group: Group | str) -> str:
    """The cache version of a page: changes whenever a purge touches the path or its group.

    Fragments rendered for a page (the comment list of a post) key on it, so they are purged with it.
    """
    stamps = _read_stamps(path)
    return f"{stamps.get(_GROUP_KEYS[Group(group)])}:{stamps.get(_stamp_key('path', path))}"


def _entry_key(request: HttpRequest) -> str:
    # Junk page values share the first page's entry: that is what the view shows for them.
    page = _requested_page(request) or 1
    digest = hashlib.sha256(f"{request.path}?{PAGE_PARAM}={page}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:page:{digest}"


def _shows_requested_page(request: HttpRequest) -> bool:
    shown = getattr(request, "page_cache_page", None)
    requested = _requested_page(request)
    return shown in (None, 1) if not requested else shown == requested


# Sent once a purge is applied (after commit), with `paths` and `groups`: caches in front of the
# app servers (an HTTP cache such as Varnish) purge the same pages on it.
pages_purged = Signal()

# The header that names a cached response's group, for HTTP caches that purge by group (bans).
GROUP_HEADER = "X-Cache-Group"


def _purge_now(paths: list[str], groups: list[Group]) -> None:
    stamp = time.time_ns()
    if paths:
        cache.set_many({_stamp_key("path", path): stamp for path in paths}, timeout=PATH_STAMP_SECONDS)
    if groups:
        cache.set_many({_GROUP_KEYS[group]: stamp for group in groups}, timeout=None)
    pages_purged.send(sender=Group, paths=paths, groups=groups)


def purge(paths: Iterable[str] = (), groups: Iterable[Group | str] = ()) -> None:
    """Make the given paths and whole groups stale everywhere, once the transaction commits."""
    paths = [path for path in paths if path]
    groups = [Group(group) for group in groups]  # ValueError on a name not in the table
    batch = _held.get()
    if batch is not None:
        batch[0].update(paths)
        batch[1].update(groups)
        return
    transaction.on_commit(lambda: _purge_now(paths, groups))


# Purges asked for inside `held()`: (paths, groups), applied once when it ends.
_held: ContextVar[tuple[set[str], set[Group]] | None] = ContextVar("pagecache_held", default=None)


@contextmanager
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


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in SKIP_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
    )


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


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers. Sits before sessions and auth."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.timeout or not _is_cacheable_request(request):
            return self.get_response(request)

        key, path_key = _entry_key(request), _stamp_key("path", request.path)
        # One round trip: the entry, this path's stamp and every group's.
        found = _read_stamps(request.path, key)
        stored = found.get(key)
        if stored is not None:
            group, path_stamp, group_stamp, status, headers, content = stored
            if path_stamp == found.get(path_key) and group_stamp == found.get(_GROUP_KEYS.get(group)):
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response

        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            group = response.page_cache_group
            # Validators are computed once here, so a conditional request on a hit costs no hashing.
            set_response_etag(response)
            response.setdefault("Last-Modified", http_date())
            # Browsers must come back to us (they cannot see our purges); a shared cache in front of
            # us may keep the page, because it hears our purges (pages_purged).
            patch_cache_control(response, public=True, max_age=0, s_maxage=self.timeout)
            response[GROUP_HEADER] = str(group)
            headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
            entry = (
                str(group),
                found.get(path_key),
                found.get(_GROUP_KEYS[group]),
                response.status_code,
                headers,
            )
            cache.set(key, (*entry, response.content), self.timeout)
            response["X-Page-Cache"] = "miss"
        return response
