"""The figures counted as they happen, one home for every counter (prometheus_client).

Under gunicorn each worker is its own process: with PROMETHEUS_MULTIPROC_DIR set (deploy/serve.py
and the systemd units set it), prometheus_client keeps every process's counts in files of that
folder and the metrics view adds them up, the task worker's mail counts included. Without it (one
process: tests, runserver) the counts live in memory. An increment is a few microseconds either
way, cheap enough for a page-cache hit.

This module imports nothing of the project, so the page cache may call it.
"""

import logging

from prometheus_client import Counter, Histogram

__all__ = [
    "MAIL_FAILED",
    "MAIL_SENT",
    "PAGE_CACHE",
    "PURGE_FAILURES",
    "REQUESTS",
    "REQUEST_SECONDS",
    "PurgeFailureHandler",
    "page_cache_served",
]

REQUESTS = Counter(
    "rounds_http_requests", "Requests answered, by view, method and status.", ["view", "method", "status"]
)
REQUEST_SECONDS = Histogram(
    "rounds_http_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_PAGE_CACHE = Counter("rounds_page_cache", "Pages the page cache answered: hit, stale or miss.", ["state"])
# The children made once: a hit then pays for no label lookup.
PAGE_CACHE = {state: _PAGE_CACHE.labels(state) for state in ("hit", "stale", "miss")}
PURGE_FAILURES = Counter(
    "rounds_frontend_purge_failures", "Purges or bans Varnish (or a CDN) did not accept."
)
MAIL_SENT = Counter("rounds_mail_sent", "Emails the mail server accepted.")
MAIL_FAILED = Counter("rounds_mail_failed", "Emails the mail server refused or could not be reached for.")


def page_cache_served(state: str) -> None:
    """Count one page the page cache answered ("hit", "stale" or "miss")."""
    PAGE_CACHE[state].inc()


class PurgeFailureHandler(logging.Handler):
    """Counts the errors logged by whatever sends purges in front (`pagecache.frontend`'s bans and
    Wagtail's `wagtail.frontendcache` path purges): both log a failure and carry on, and the log
    record is the one place each failure passes through (LOGGING in rounds/settings/base.py)."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)

    def emit(self, record: logging.LogRecord) -> None:
        PURGE_FAILURES.inc()
