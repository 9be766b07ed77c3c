"""WordPress eXtended RSS (WXR) 1.0 to 1.2, under either the http:// or the https:// namespace.

Posts are `item`s whose `wp:post_type` is "post", each with its `wp:comment`s inside, so the file
streams post by post. `wp:author` entries (before the items) map a login to a display name.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree.ElementTree import Element

from ..records import QUERY_IDS, CommentRecord, PostRecord
from .xml import child_text, events, local, namespace, parse_date

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"

COMMENT_STATUS = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending"}
POST_STATUS = {"publish": "publish", "future": "future", "private": "private", "trash": "trash"}


def is_wp(tag: str) -> bool:
    return bool(WP_NAMESPACE.match(namespace(tag)))


def _wp(element: Element, name: str) -> str:
    for child in element:
        if local(child.tag) == name and is_wp(child.tag):
            return (child.text or "").strip()
    return ""


def _comment(element: Element) -> CommentRecord:
    approved = _wp(element, "comment_approved").lower()
    kind = _wp(element, "comment_type").lower() or "comment"
    parent = _wp(element, "comment_parent")
    return CommentRecord(
        source_id=_wp(element, "comment_id"),
        parent_id="" if parent in ("", "0") else parent,
        text=_wp(element, "comment_content"),
        author=_wp(element, "comment_author"),
        email=_wp(element, "comment_author_email"),
        url=_wp(element, "comment_author_url"),
        date=parse_date(_wp(element, "comment_date_gmt")) or parse_date(_wp(element, "comment_date")),
        status=COMMENT_STATUS.get(approved, approved or "pending"),
        kind=kind,
    )


def _post(item: Element, authors: dict[str, str]) -> PostRecord:
    body = excerpt = ""
    tags: list[str] = []
    comments = []
    for child in item:
        name, ns = local(child.tag), namespace(child.tag)
        if name == "encoded" and ns == CONTENT_NAMESPACE:
            body = child.text or ""
        elif name == "encoded" and "excerpt" in ns:
            excerpt = (child.text or "").strip()
        elif name == "category" and child.get("domain") in ("category", "post_tag"):
            label = (child.text or "").strip()
            if label and child.get("nicename") != "uncategorized" and label not in tags:
                tags.append(label)
        elif name == "comment" and is_wp(child.tag):
            comments.append(_comment(child))
    creator = child_text(item, "creator")
    status = _wp(item, "status").lower()
    password = _wp(item, "post_password")
    link = child_text(item, "link", "")
    # WordPress's guid is the post's shortlink (https://blog.example/?p=11): old links use it too.
    guid = child_text(item, "guid", "")
    shortlink = guid if not QUERY_IDS.isdisjoint(parse_qs(urlsplit(guid).query)) else ""
    return PostRecord(
        source_id=_wp(item, "post_id"),
        title=child_text(item, "title", ""),
        body_html=body,
        slug=unquote(_wp(item, "post_name")),
        excerpt=excerpt,
        date=(
            parse_date(_wp(item, "post_date_gmt"))
            or parse_date(_wp(item, "post_date"))
            or parse_date(child_text(item, "pubDate", ""))
        ),
        authors=[authors.get(creator, creator)] if creator else [],
        tags=tags,
        status=POST_STATUS.get(status, "draft"),
        password=password,
        old_urls=[url for url in dict.fromkeys([link, shortlink]) if url],
        kind=_wp(item, "post_type").lower() or "post",
        comments=comments,
    )


def read(path: Path) -> Iterator[PostRecord | str]:
    """The blog's address first (a str, the source), then every item as a PostRecord."""
    channel = None
    authors: dict[str, str] = {}
    source_sent = False
    link = ""
    for event, element in events(path):
        name = local(element.tag)
        if event == "start":
            if name == "channel" and channel is None:
                channel = element
            continue
        if name == "author" and is_wp(element.tag):
            login = _wp(element, "author_login")
            authors[login] = _wp(element, "author_display_name") or login
        elif name in ("base_blog_url", "base_site_url") and is_wp(element.tag) and not source_sent:
            yield (element.text or "").strip()
            source_sent = True
        elif name == "link" and element.tag == "link" and channel is not None and not link:
            link = (element.text or "").strip()
        elif name == "item" and channel is not None:
            if not source_sent:
                yield link
                source_sent = True
            yield _post(element, authors)
            channel.clear()  # what was read: memory holds one item at a time
    if not source_sent:
        yield link
