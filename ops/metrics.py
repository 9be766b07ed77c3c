"""The Prometheus exposition: the counters of ops.counters (added up across processes in
multiprocess mode) and the figures read at scrape time from the database, so every app server
reports the same queue and the same comments waiting.

Our own collector on prometheus_client rather than django-prometheus: we need figures it does not
have (page-cache states, purge failures, the task queue, comments waiting), its per-model and
per-cache wrappers would add series nobody here reads, and it needs the same multiprocess set-up
under gunicorn anyway. Request counts and latency by view come from ops.middleware.
"""

import os

from django.db import DatabaseError
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from . import queue, registry

__all__ = ["FiguresCollector", "exposition"]


class FiguresCollector:
    """Gauges read when scraped: the task queue and what the apps registered (ops.registry)."""

    def collect(self):
        figures = []
        if queue.uses_database_queue():
            figures += [
                ("rounds_task_queue_depth", "Tasks due and not yet taken by a worker.", queue.ready_count),
                (
                    "rounds_task_oldest_age_seconds",
                    "How long the oldest due task has waited.",
                    queue.oldest_age_seconds,
                ),
            ]
        figures += [(figure.name, figure.help, figure.read) for figure in registry.figures()]
        for name, help_text, read in figures:
            try:
                value = float(read())
            except DatabaseError:
                continue  # /readyz says the database is down; a scrape must still answer
            yield GaugeMetricFamily(name, help_text, value=value)


_FIGURES = CollectorRegistry(auto_describe=False)
_FIGURES.register(FiguresCollector())


def exposition() -> tuple[bytes, str]:
    """The metrics page's body and content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    return generate_latest(counted) + generate_latest(_FIGURES), CONTENT_TYPE_LATEST
