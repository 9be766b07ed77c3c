"""Read an export file, whatever its format: `open_export(path)` detects it from the file itself,
checks the whole file once (so a truncated or hostile file fails before anything is written) and
returns an `Export` whose posts stream from the file."""

from collections.abc import Callable, Iterator
from pathlib import Path

from ..records import Export, ImportFailed, PostRecord, PostStream
from . import blogger, wxr
from .limits import check_markup, check_record
from .xml import check_readable, events, local, namespace

__all__ = ["FORMATS", "detect", "open_export"]

Reader = Callable[[Path], Iterator[PostRecord | str]]
FORMATS: dict[str, Reader] = {
    "wxr": wxr.read,
    "blogger-takeout": lambda path: blogger.read(path, takeout=True),
    "blogger-atom": lambda path: blogger.read(path, takeout=False),
}


def detect(path: Path) -> str:
    """The export's format, from its root element and namespaces."""
    namespaces: set[str] = set()
    root = None
    for event, value in events(path, ("start-ns", "start", "end")):
        if event == "start-ns":
            namespaces.add(value[1])
            continue
        if root is None:
            root = value
            if local(root.tag) == "rss":
                if any(wxr.WP_NAMESPACE.match(uri) for uri in namespaces):
                    return "wxr"
                raise ImportFailed(f"{path}: an RSS feed, but not a WordPress export (WXR 1.0 to 1.2)")
            if root.tag != f"{{{blogger.ATOM}}}feed":
                raise ImportFailed(
                    f"{path}: not a WordPress or Blogger export (its root element is <{local(root.tag)}>)"
                )
            if blogger.TAKEOUT in namespaces:
                return "blogger-takeout"
            continue
        if event == "end" and local(value.tag) == "id" and namespace(value.tag) == blogger.ATOM:
            if "blogger.com" in (value.text or ""):
                return "blogger-atom"
            break
    if root is None:
        raise ImportFailed(f"{path}: not an export (no XML element found)")
    raise ImportFailed(f"{path}: an Atom feed, but not a Blogger export")


def open_export(path: str | Path) -> Export:
    path = Path(path)
    check_readable(path)
    check_markup(path)  # before expat sees a byte: one huge token would stall it (limits.py)
    format_ = detect(path)
    reader = FORMATS[format_]
    source, count = "", 0
    for item in reader(path):  # the whole file, once: damage anywhere fails here, before writing
        if isinstance(item, str):
            source = item
        else:
            check_record(item)  # before nh3 sees a body: deep nesting would stall it
            count += 1

    def posts() -> Iterator[PostRecord]:
        return (item for item in reader(path) if not isinstance(item, str))

    return Export(format=format_, source=source or format_, item_count=count, posts=PostStream(posts))
