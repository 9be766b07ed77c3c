"""The compiled matcher of the live glossary, memoised per process and rebuilt on every server
after any change (glossary/purges.py bumps the version).

A version number lives in Django's cache (Redis in production, shared by every app server).
Saving or deleting a term increments it once the transaction commits; each process keeps the
matcher it built with the version it saw, and rebuilds (one query) when the number moves. A
warm page therefore costs one cache read and no query.
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language, override

from .annotation import annotate_html, mode
from .matching import Matcher
from .models import Term

__all__ = [
    "VERSION_KEY",
    "annotate",
    "build_matcher",
    "bump_version",
    "current_matcher",
    "current_version",
    "forget",
]

VERSION_KEY = "glossary:version"

_lock = threading.Lock()
# One matcher per language: a Spanish page is annotated with the Spanish terms only.
_memo: dict[str, tuple[object, Matcher]] = {}


def active_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def current_version() -> object:
    """The glossary's version; also usable in page-cache keys so cached pages follow term edits."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start from the clock, never 1: a key lost to eviction must not come back
        # with a number some process already built a matcher for.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    # Cache unreachable: a version equal to nothing, so the matcher is rebuilt (correct, slower).
    return version if version is not None else object()


def bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was missing (evicted, or never read)
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def build_matcher(language: str | None = None) -> Matcher:
    """Every term of one language (the active one by default): its entry and forms, from one
    query that reads only what matching needs. Links point to that language's term pages."""
    language = language or active_language()
    rows = (
        Term.objects.in_language(language)
        .order_by("pk")
        .values_list("slug", "term", "expansion", "definition", "variants", "case_sensitive")
    )
    entries = []
    with override(language):
        for slug, term, expansion, definition, variants, case_sensitive in rows:
            instance = Term(
                slug=slug, term=term, expansion=expansion, definition=definition, variants=variants
            )
            entries.append((instance.entry(), instance.forms, case_sensitive))
    return Matcher(entries)


def _current(language: str | None = None) -> tuple[object, Matcher]:
    language = language or active_language()
    version = current_version()
    memo = _memo.get(language)
    if memo is not None and memo[0] == version:
        return memo
    with _lock:
        memo = _memo.get(language)
        if memo is None or memo[0] != version:
            memo = _memo[language] = (version, build_matcher(language))
        return memo


def current_matcher(language: str | None = None) -> Matcher:
    """The live glossary's matcher for a language (the active one by default): one cache read
    when warm, one query when the version moved."""
    return _current(language)[1]


# Annotating a long discussion means reading all of it (about 70 ms for 500 comments), so the result
# is remembered for fragments at least this long; shorter ones cost less to annotate than to fetch.
MEMO_MIN_CHARS = 8 * 1024
MEMO_SECONDS = 60 * 60


MEMO_INDEX_ENTRIES = 64  # remembered fragments listed per page path (older ones just expire)


def _index_key(path: str) -> str:
    return "glossary:annotated-index:" + hashlib.blake2b(path.encode("utf-8", "surrogatepass")).hexdigest()


def forget_fragments(paths: list[str]) -> None:
    """Delete the fragments remembered for these pages (when they are purged): a discussion's
    fragment holds its readers' text, which an erasure must take out of the cache at once."""
    indexes = [_index_key(path) for path in paths if path]
    if not indexes:
        return
    listed = cache.get_many(indexes)
    cache.delete_many([key for keys in listed.values() for key in keys] + indexes)


def annotate(html: str, seen: set[str], *, path: str = "") -> str:
    """`annotate_html` with the live glossary, remembered for long fragments.

    The result depends on the text, on the terms the page annotated before it (first occurrence),
    on the glossary's version and on the mode, so all four are the key: an edit to any of them is a
    new key, and nothing needs purging. The terms the fragment annotates are stored beside it and
    added back to the page's memory on a hit. Given the page's `path`, the fragment is listed
    under it, and deleted when the page is purged (`forget_fragments`).
    """
    language = active_language()
    version, matcher = _current(language)
    if len(html) < MEMO_MIN_CHARS or not isinstance(version, int):
        return annotate_html(html, seen, matcher=matcher)
    digest = hashlib.blake2b(digest_size=16)
    for part in (html, ",".join(sorted(seen)), str(version), mode(), language):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    key = f"glossary:annotated:{digest.hexdigest()}"
    stored = cache.get(key)
    if stored is not None:
        annotated, added = stored
        seen.update(added)
        return annotated
    before = set(seen)
    annotated = annotate_html(html, seen, matcher=matcher)
    cache.set(key, (annotated, sorted(seen - before)), MEMO_SECONDS)
    if path:  # listed under the page, so that its purge can delete it (forget_fragments)
        index = _index_key(path)
        keys = [k for k in cache.get(index, []) if k != key][-(MEMO_INDEX_ENTRIES - 1) :]
        cache.set(index, [*keys, key], MEMO_SECONDS)
    return annotated


def forget() -> None:
    """Drop this process's matcher (tests, which roll back rows without signals)."""
    _memo.clear()
