"""Streaming, defended XML reading shared by every format.

defusedxml's iterparse refuses entity declarations (billion laughs) and external references, and
reading stays event by event: each parser clears what it has read, so memory holds one post (with
its comments) at a time whatever the file's size. Every failure becomes `ImportFailed` with one
line a person can act on.
"""

import datetime
import email.utils
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from ..records import ImportFailed

__all__ = ["child_text", "events", "local", "namespace", "parse_date"]

# Dates a post or comment may carry: wider than any blog's, narrow enough for every database and
# for local time in any zone.
MIN_YEAR, MAX_YEAR = 1900, 2999


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str:
    return tag[1:].partition("}")[0] if tag.startswith("{") else ""


def check_readable(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as error:
        raise ImportFailed(f"{path}: no such file") from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot be read ({error.strerror})") from error
    if not path.is_file():
        raise ImportFailed(f"{path}: not a file")
    if size == 0:
        raise ImportFailed(f"{path}: the file is empty")


def events(path: Path, kinds: tuple[str, ...] = ("start", "end")) -> Iterator[tuple[str, Element]]:
    """(event, element) pairs from `path`, with parse errors and entity tricks as ImportFailed."""
    check_readable(path)
    try:
        with path.open("rb") as file:
            yield from iterparse(file, events=kinds, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as error:
        raise ImportFailed(
            f"{path}: refused, the file declares XML entities or external references ({type(error).__name__})"
        ) from error
    except ParseError as error:
        line, column = error.position
        raise ImportFailed(
            f"{path}: not well-formed XML at line {line}, column {column} (truncated or damaged?)"
        ) from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot be read ({error.strerror or error})") from error


def child_text(element: Element, name: str, ns: str | None = None) -> str:
    """The text of the first child called `name` (in namespace `ns`, or any when None)."""
    for child in element:
        if local(child.tag) == name and (ns is None or namespace(child.tag) == ns):
            return (child.text or "").strip()
    return ""


def parse_date(value: str) -> datetime.datetime | None:
    """An aware datetime from ISO 8601, RFC 822 or WordPress's "YYYY-MM-DD HH:MM:SS" (UTC when no
    zone is given); None for an empty or zero date."""
    value = (value or "").strip()
    # WordPress writes zero dates ("0000-00-00 00:00:00", "30 Nov -0001") for posts never published.
    if not value or value.startswith("0000") or " -0001 " in value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    # A date valid as written may not be in UTC (9999-12-31T23:59:59-05:00 is in year 10000): the
    # read-through finds it before anything is written, instead of a crash mid-import.
    try:
        in_utc = parsed.astimezone(datetime.UTC)
    except (OverflowError, ValueError) as error:
        raise ImportFailed(f"a date out of range: {value[:40]!r}") from error
    if not MIN_YEAR <= in_utc.year <= MAX_YEAR:
        raise ImportFailed(f"a date out of range: {value[:40]!r} (years {MIN_YEAR} to {MAX_YEAR})")
    return parsed
