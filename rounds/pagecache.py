"""Whole-page cache for anonymous readers, with exact purging on every app server.

A cached page is stored under a key that embeds two version stamps: one for its path and one for
its group (listings, posts, glossary; see PAGE_CACHE_GROUPS). Purging writes a new stamp, so every
server sharing the cache (Redis in production) stops finding the old entry at once, and old entries
simply expire. Stamps are read *before* the page renders: a page rendered from data that a purge
then replaced is stored under the old stamp and is never served again.

Purges run after the transaction commits (a page rendered between the purge and the commit would
otherwise be cached with the old data under the new stamp).

Only anonymous GETs of pages in a group are cached: a request with a session or messages cookie,
a response that sets a cookie (such as a CSRF token), a preview, an error page or a response marked
private is never stored.
"""

import hashlib
import re
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

KEY_PREFIX = "pagecache"
# Only these query parameters change what a cached page shows; the rest (tracking tags, a
# comment permalink ?c=) would only multiply cache entries.
VARYING_PARAMS = ("page",)
SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _compiled_groups() -> list[tuple[str, re.Pattern]]:
    return [(name, re.compile(pattern)) for name, pattern in settings.PAGE_CACHE_GROUPS]


_GROUPS = _compiled_groups()


def group_for_path(path: str) -> str | None:
    """The cache group of a path, or None when the path is never cached."""
    for name, pattern in _GROUPS:
        if pattern.search(path):
            return name
    return None


def _stamp_key(kind: str, name: str) -> str:
    return f"{KEY_PREFIX}:stamp:{kind}:{name}"


def _stamps(path: str, group: str) -> tuple[int, int]:
    keys = [_stamp_key("path", path), _stamp_key("group", group)]
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        # First sight of this path or group (or the stamp was evicted): create a stamp, and keep
        # whichever another server may have created at the same moment.
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        found.update(cache.get_many(missing))
    return found.get(keys[0]) or 0, found.get(keys[1]) or 0


def version(path: str) -> str:
    """The cache version of a path: changes whenever a purge touches the path or its group.

    Fragments rendered for a page (the comment list of a post) key on it, so they are purged with it.
    """
    group = group_for_path(path) or "-"
    path_stamp, group_stamp = _stamps(path, group)
    return f"{group_stamp}:{path_stamp}"


def page_key(request: HttpRequest, group: str) -> str:
    path = request.path
    varying = "&".join(f"{name}={request.GET[name]}" for name in VARYING_PARAMS if name in request.GET)
    path_stamp, group_stamp = _stamps(path, group)
    digest = hashlib.sha256(f"{path}?{varying}".encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:page:{group_stamp}:{path_stamp}:{digest}"


def _purge_now(paths: Iterable[str], groups: Iterable[str]) -> None:
    stamp = time.time_ns()
    keys = {_stamp_key("path", path): stamp for path in paths}
    keys.update({_stamp_key("group", group): stamp for group in groups})
    if keys:
        cache.set_many(keys, timeout=None)


def purge(paths: Iterable[str] = (), groups: Iterable[str] = ()) -> None:
    """Make the given paths and whole groups stale everywhere, once the transaction commits."""
    paths, groups = list(paths), list(groups)
    transaction.on_commit(lambda: _purge_now(paths, groups))


def purge_all() -> None:
    purge(groups=[name for name, _ in _GROUPS])


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
        group = group_for_path(request.path)
        if not self.timeout or group is None or not _is_cacheable_request(request):
            return self.get_response(request)

        key = page_key(request, group)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response

        response = self.get_response(request)
        if _is_cacheable_response(request, response):
            # Validators are computed once here, so a conditional request on a hit costs no hashing.
            set_response_etag(response)
            response.setdefault("Last-Modified", http_date())
            # Browsers and shared proxies must come back to us: they cannot see our purges.
            patch_cache_control(response, no_cache=True, public=True)
            headers = [(name, value) for name, value in response.items() if name.lower() != "set-cookie"]
            cache.set(key, (response.status_code, headers, response.content), self.timeout)
            response["X-Page-Cache"] = "miss"
        return response
