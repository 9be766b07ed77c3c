"""The real servers of bench/servers.py, for tests: a missing service fails in CI and skips on a
laptop, never the other way round."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench import servers
from bench.servers import ROOT, free_port, gunicorn, redis_reachable, varnish, varnish_available

__all__ = [
    "ROOT",
    "free_port",
    "gunicorn",
    "postgres_database",
    "redis_reachable",
    "require",
    "varnish",
    "varnish_available",
]


def require(available: bool, what: str) -> None:
    """Fail in CI (a service test must never skip there), skip on a laptop without the service."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} must be running for this test")
        pytest.skip(f"{what} is not running")


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    require(servers.postgres_reachable(), "PostgreSQL")
    with servers.postgres_database(prefix) as url:
        yield url
