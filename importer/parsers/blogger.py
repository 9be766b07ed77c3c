"""Blogger: the Takeout `feed.atom` (blogger:type POST, COMMENT, PAGE) and the classic Atom export
(kind#post and kind#comment categories, thr:in-reply-to, app:draft).

In both, comments are entries of their own that name their post, anywhere in the file. So the
file is read twice: the first pass keeps the comments, grouped by post (small records, the
post bodies are not kept), the second streams the posts and hands each its comments.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from ..records import CommentRecord, PostRecord
from .xml import child_text, events, local, namespace, parse_date

ATOM = "http://www.w3.org/2005/Atom"
TAKEOUT = "http://schemas.google.com/blogger/2018"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
THREAD = "http://purl.org/syndication/thread/1.0"
_BLOG = re.compile(r"blog-(\d+)")
_ID = re.compile(r"blog-(\d+)\.(?:post|page|comment)-(\d+)")

POST_STATUS = {"LIVE": "publish", "DRAFT": "draft", "SCHEDULED": "future"}
COMMENT_STATUS = {"LIVE": "approved", "PUBLISHED": "approved"}


def split_id(value: str) -> tuple[str, str]:
    """("blog-123", "456") from Blogger's "tag:blogger.com,1999:blog-123.post-456"."""
    match = _ID.search(value or "")
    if match:
        return f"blog-{match[1]}", match[2]
    return "", (value or "").strip()


def _author(entry: Element) -> str:
    for child in entry:
        if local(child.tag) == "author":
            return child_text(child, "name", ATOM)
    return ""


def _link(entry: Element, rel: str) -> str:
    for child in entry:
        if local(child.tag) == "link" and child.get("rel") == rel:
            return child.get("href", "")
    return ""


def _path(url: str) -> str:
    return urlsplit(url).path if url else ""


def _takeout_kind(entry: Element) -> tuple[str, str]:
    return child_text(entry, "type", TAKEOUT).upper(), child_text(entry, "status", TAKEOUT).upper()


def _classic_kind(entry: Element) -> tuple[str, str]:
    kind = ""
    for child in entry:
        if local(child.tag) == "category" and child.get("scheme") == KIND_SCHEME:
            kind = child.get("term", "").rpartition("#")[2].upper()
    draft = any(
        local(node.tag) == "draft" and (node.text or "").strip().lower() == "yes" for node in entry.iter()
    )
    return kind, "DRAFT" if draft else "LIVE"


def _labels(entry: Element, takeout: bool) -> list[str]:
    labels = []
    for child in entry:
        if local(child.tag) != "category" or child.get("scheme") == KIND_SCHEME:
            continue
        if takeout or child.get("scheme") == LABEL_SCHEME:
            term = child.get("term", "").strip()
            if term and term not in labels:
                labels.append(term)
    return labels


def _comment(entry: Element, takeout: bool, status: str) -> tuple[str, CommentRecord]:
    """(the post's id, the comment)."""
    _blog, own = split_id(child_text(entry, "id", ATOM))
    if takeout:
        post = split_id(child_text(entry, "parent", TAKEOUT))[1]
        parent = child_text(entry, "inReplyTo", TAKEOUT)
        parent = split_id(parent)[1] if parent else ""
        if status.startswith("SPAM"):
            state = "spam"
        elif status in ("DELETED", "TRASHED", "SOFT_TRASHED"):
            state = "trash"
        else:
            state = COMMENT_STATUS.get(status, "pending")
    else:
        post = ""
        for child in entry:
            if local(child.tag) == "in-reply-to" and namespace(child.tag) == THREAD:
                post = split_id(child.get("ref", ""))[1]
        related = _link(entry, "related")
        parent = related.rstrip("/").rpartition("/")[2] if related else ""
        state = "approved"
    record = CommentRecord(
        source_id=own,
        parent_id="" if parent == post else parent,
        text=child_text(entry, "content", ATOM),
        author=_author(entry),
        url=child_text(next((c for c in entry if local(c.tag) == "author"), Element("x")), "uri", ATOM),
        date=parse_date(child_text(entry, "published", ATOM)),
        status=state,
    )
    return post, record


def _post(entry: Element, takeout: bool, kind: str, status: str) -> PostRecord:
    _blog, own = split_id(child_text(entry, "id", ATOM))
    alternate = _link(entry, "alternate")
    filename = child_text(entry, "filename", TAKEOUT) if takeout else ""
    old = [url for url in (filename, _path(alternate)) if url]
    stem = (filename or _path(alternate)).rstrip("/").rpartition("/")[2].removesuffix(".html")
    state = "trash" if status in ("SOFT_TRASHED", "TRASHED", "DELETED") else POST_STATUS.get(status, "draft")
    published = parse_date(child_text(entry, "published", ATOM))
    return PostRecord(
        source_id=own,
        title=child_text(entry, "title", ATOM),
        body_html=next((c.text or "" for c in entry if local(c.tag) == "content"), ""),
        slug=stem,
        date=published,
        authors=[name] if (name := _author(entry)) else [],
        tags=_labels(entry, takeout),
        status=state,
        old_urls=list(dict.fromkeys(old)),
        kind=kind.lower(),
    )


def _entries(path: Path) -> Iterator[tuple[str, Element]]:
    """("source", blog id) once, then ("entry", element) for each entry, cleared after use."""
    feed = None
    source_sent = False
    for event, element in events(path):
        if event == "start":
            if feed is None:
                feed = element
            continue
        name = local(element.tag)
        if name == "id" and not source_sent and feed is not None and element in list(feed):
            blog = _BLOG.search(element.text or "")
            yield "source", f"blog-{blog[1]}" if blog else (element.text or "").strip()
            source_sent = True
        elif name == "entry" and namespace(element.tag) == ATOM:
            yield "entry", element
            feed.clear()


def read(path: Path, takeout: bool) -> Iterator[PostRecord | str]:
    """The blog id first (a str, the source), then every post with its comments."""
    kind_of = _takeout_kind if takeout else _classic_kind
    comments: dict[str, list[CommentRecord]] = defaultdict(list)
    source = ""
    for what, value in _entries(path):
        if what == "source":
            source = value
            continue
        kind, status = kind_of(value)
        if kind == "COMMENT":
            post, record = _comment(value, takeout, status)
            comments[post].append(record)
    yield source
    for what, value in _entries(path):
        if what != "entry":
            continue
        kind, status = kind_of(value)
        if kind in ("POST", "PAGE"):
            post = _post(value, takeout, kind, status)
            post.comments = comments.pop(post.source_id, [])
            yield post
    for post_id, orphans in comments.items():  # their post is not in the file: counted, not lost
        yield PostRecord(source_id=post_id, title="", body_html="", kind="missing", comments=orphans)
