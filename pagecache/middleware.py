"""The middleware: serve and store whole pages for anonymous readers (the package's docstring
says how), before sessions and auth so a hit skips them."""

import contextlib
import gzip
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from .keys import (
    GROUP_HEADER,
    base_key,
    group_key,
    group_name,
    language_of,
    path_key,
    requested_order,
    requested_page,
)
from .stamps import CacheStamps, Unavailable, made_in_render, read_stamps, stamp_store
from .tiers import Entry, local_tier, path_key_of

__all__ = ["PageCacheMiddleware", "may_store"]

SKIP_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# As django.middleware.gzip reads Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Told what each answer of the page cache was ("hit", "stale", "miss"): the metrics (ops) listen.
served_listeners: list[Callable[[str], None]] = []


def _served(state: str) -> None:
    for listener in served_listeners:
        listener(state)


# How long a reader waits for another process's render before rendering the page itself.
WAIT_SECONDS = 3.0
WAIT_STEP = 0.02


def _shows_requested_page(request: HttpRequest) -> bool:
    if getattr(request, "page_cache_order", "") != requested_order(request):
        return False
    shown = getattr(request, "page_cache_page", None)
    requested = requested_page(request)
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
        # A hit answers before any view, so it asks what a view would have: a Host outside
        # ALLOWED_HOSTS is a 400 (DisallowedHost), cached page or not.
        request.get_host()
        store, local = stamp_store(), local_tier()
        try:
            stamps = read_stamps(request.path)
        except Unavailable:
            return self.get_response(request)  # the outage is logged by the store

        base = base_key(request)
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
        purged = max(stamps.get(path_key_of(previous)) or 0, stamps.get(group_key(previous.group)) or 0)
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
        token = made_in_render.set(made)
        try:
            response = self.get_response(request)
        finally:
            made_in_render.reset(token)
        if not _is_cacheable_response(request, response):
            return response
        try:
            entry = self._store(request, response, base, {**made, **stamps})
        except Unavailable:
            entry = None
        if entry is None:  # a purge came in during the render: this page is not kept
            response["X-Page-Cache"] = "miss"
            _served("miss")
            return response
        return self._serve(request, entry, "miss")

    def _store(self, request: HttpRequest, response: HttpResponse, base: str, stamps: dict) -> Entry | None:
        group = group_name(response.page_cache_group, language_of(request.path))
        keys = [path_key(request.path), group_key(group)]
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
        response[GROUP_HEADER] = group
        skip = {"set-cookie", "content-length", "etag", "x-page-cache"}
        entry = Entry(
            base=base,
            group=group,
            path_stamp=stamps[keys[0]],
            group_stamp=stamps[keys[1]],
            status=response.status_code,
            headers={key: pair for key, pair in response.headers._store.items() if key not in skip},
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
        gzipped = _accepts_gzip(request)
        response = HttpResponse(entry.body if gzipped else local_tier().plain(entry), status=entry.status)
        # Every hit sets these: the stored headers were checked when the page was stored, so they go
        # into the response's header map as they are (ResponseHeaders keeps `lower-name: (name,
        # value)`), not through one check and encoding each.
        response.headers._store.update(entry.headers)
        if gzipped:
            response.headers._store["content-encoding"] = ("Content-Encoding", "gzip")
        response.headers._store.update(
            {
                "etag": ("ETag", _gzip_etag(entry.etag) if gzipped else entry.etag),
                "content-length": ("Content-Length", str(len(response.content))),
                "x-page-cache": ("X-Page-Cache", state),
            }
        )
        _served(state)
        return response
