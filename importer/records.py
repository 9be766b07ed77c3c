"""What a parser hands the writer: plain dataclasses, the same whatever the export's format.

The parsers (importer/parsers/) read WordPress and Blogger files into these; the writer
(importer/writer.py) turns them into Rounds' pages and comments. Neither knows the other's side.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

__all__ = ["QUERY_IDS", "CommentRecord", "Export", "ImportFailed", "PostRecord"]

# The query parameters that name a WordPress post in its old links (/?p=11, /?page_id=4).
QUERY_IDS = frozenset({"p", "page_id"})


class ImportFailed(Exception):
    """The file cannot be imported; the message is the one line the user reads."""


@dataclass
class CommentRecord:
    source_id: str
    parent_id: str  # "" for a comment on the post itself
    text: str  # as the source stores it (HTML for both WordPress and Blogger)
    author: str = ""
    email: str = ""
    url: str = ""
    date: datetime.datetime | None = None
    # "approved", "pending", "spam" or "trash"
    status: str = "approved"
    # "comment", "pingback" or "trackback"
    kind: str = "comment"


@dataclass
class PostRecord:
    source_id: str
    title: str
    body_html: str
    slug: str = ""
    excerpt: str = ""
    date: datetime.datetime | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # "publish", "draft", "future", "private" or "trash"
    status: str = "publish"
    password: str = ""
    # Old addresses (paths, or full URLs on the old site) that should lead to the new post.
    old_urls: list[str] = field(default_factory=list)
    # "post"; anything else ("page", "attachment"...) is not imported and is counted as skipped,
    # with its comments. "missing": no post, only comments whose post is not in the file.
    kind: str = "post"
    comments: list[CommentRecord] = field(default_factory=list)


@dataclass
class Export:
    """One export file: its format, the blog it came from (`source`, which scopes the source ids)
    and a way to stream its posts, each with its comments, once the whole file has been checked."""

    format: str
    source: str
    item_count: int  # every record `posts` yields (pages and attachments too): the progress total
    posts: "PostStream"


class PostStream:
    """Posts read lazily from the file (iterating twice reads it twice)."""

    def __init__(self, factory):
        self._factory = factory

    def __iter__(self) -> Iterator[PostRecord]:
        return iter(self._factory())
