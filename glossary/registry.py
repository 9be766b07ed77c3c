"""The compiled matcher of the live glossary, memoised per process and rebuilt on every server
after any change (glossary/purges.py bumps the version).

A version number lives in Django's cache (Redis in production, shared by every app server).
Saving or deleting a term increments it once the transaction commits; each process keeps the
matcher it built with the version it saw, and rebuilds (one query) when the number moves. A
warm page therefore costs one cache read and no query.
"""

import threading
import time

from django.core.cache import cache

from .matching import Matcher
from .models import Term

__all__ = ["VERSION_KEY", "build_matcher", "bump_version", "current_matcher", "current_version", "forget"]

VERSION_KEY = "glossary:version"

_lock = threading.Lock()
_memo: tuple[object, Matcher] | None = None


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


def build_matcher() -> Matcher:
    """Every term's entry and forms, from one query that reads only what matching needs."""
    rows = Term.objects.order_by("pk").values_list(
        "slug", "term", "expansion", "definition", "variants", "case_sensitive"
    )
    entries = []
    for slug, term, expansion, definition, variants, case_sensitive in rows:
        instance = Term(slug=slug, term=term, expansion=expansion, definition=definition, variants=variants)
        entries.append((instance.entry(), instance.forms, case_sensitive))
    return Matcher(entries)


def current_matcher() -> Matcher:
    """The live glossary's matcher: one cache read when warm, one query when the version moved."""
    global _memo
    version = current_version()
    memo = _memo
    if memo is not None and memo[0] == version:
        return memo[1]
    with _lock:
        if _memo is not None and _memo[0] == version:
            return _memo[1]
        matcher = build_matcher()
        _memo = (version, matcher)
        return matcher


def forget() -> None:
    """Drop this process's matcher (tests, which roll back rows without signals)."""
    global _memo
    _memo = None
