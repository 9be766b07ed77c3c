"""Comment text to safe HTML: the one function every comment passes through before a page shows it.

Comments are stored exactly as the reader wrote them and sanitised here, at render time, so
imported, edited or redacted comments get the same treatment. The result is cached per revision
(the key includes a hash of the text), so an edit is never served stale.

Why nh3 and not bleach: bleach's maintainers stopped releasing it, even for security fixes, and
point to nh3 (Python bindings to the Rust ammonia sanitiser). nh3 does not judge link schemes
strictly enough on its own (it keeps `javascript\\u200b:` hrefs), so `_safe_href` keeps only
absolute http, https and mailto URLs.
"""

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import nh3
from django.core.cache import caches
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

__all__ = ["comment_html", "comment_html_many", "strip_invisible"]

ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "blockquote", "code"}
LINK_REL = "nofollow ugc noopener noreferrer"
CACHE_VERSION = "v1"
CACHE_SECONDS = 24 * 60 * 60

# Bidirectional overrides and isolates (they can make text read in a different order than it is
# stored, "Trojan Source" style) and the invisible characters that disguise URL schemes.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    """Remove bidirectional-override characters; used for comment text and commenters' names."""
    return _BIDI.sub("", text)


def _safe_href(value: str) -> str | None:
    if _INVISIBLE.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"} and parts.netloc:
        return value
    if scheme == "mailto" and parts.path:
        return value
    return None


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return _safe_href(value)
    if tag == "a" and attribute == "rel":
        return LINK_REL  # nh3 adds it; never the reader's own
    return None


def _render(text: str) -> str:
    linked = urlize(strip_invisible(text).strip(), nofollow=False, autoescape=True)
    html = linebreaks(linked, autoescape=False)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def _key(text: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return f"comments:html:{CACHE_VERSION}:{digest}"


def comment_html(text: str) -> SafeString:
    """Plain comment text as safe HTML: paragraphs, line breaks, links. Nothing else survives."""
    return comment_html_many([text])[0]


def comment_html_many(texts: Iterable[str]) -> list[SafeString]:
    """The same for many texts in one cache round trip (a page of 500 comments is one get_many)."""
    texts = list(texts)
    keys = [_key(text) for text in texts]
    cache = caches["comments"]
    cached = cache.get_many(set(keys))
    missing = {}
    result = []
    for key, text in zip(keys, texts, strict=True):
        html = cached.get(key)
        if html is None:
            html = missing[key] = _render(text)
        result.append(mark_safe(html))  # noqa: S308 - nh3 output, allowlisted above
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return result


def plain_excerpt(text: str, length: int = 200) -> str:
    """A short escaped excerpt for admin rows and emails about published comments."""
    text = " ".join(strip_invisible(text).split())
    return escape(text if len(text) <= length else text[: length - 1] + "…")
