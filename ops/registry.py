"""Figures the apps report to operations (comments waiting, the oldest wait), read at scrape time.

`ops` is a base package and may not import a feature app, so the apps register here in their
`ready()`: each figure is a name, a help text and a function reading it from the database when
the metrics endpoint is scraped (never counted in one process, so every app server agrees).
"""

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Figure", "figures", "register"]


@dataclass(frozen=True)
class Figure:
    name: str  # a Prometheus metric name, e.g. "rounds_comments_waiting"
    help: str
    read: Callable[[], float]


_FIGURES: dict[str, Figure] = {}


def register(name: str, help: str, read: Callable[[], float]) -> None:
    """Add (or replace, on a second `ready()`) one figure the metrics endpoint reports."""
    _FIGURES[name] = Figure(name, help, read)


def figures() -> list[Figure]:
    return list(_FIGURES.values())
