"""Comment text to safe HTML: the one function every comment passes through before a page shows it.

Comments are stored exactly as the reader wrote them, and "cooked" here when they are written:
the HTML is stored beside the text (`Moderation.html`, comments/cooking.py) with `POLICY`, the
version of these rules, so a page joins stored fragments instead of sanitising each comment on
every render. Change anything below that changes the output and raise `POLICY`: pages then cook
stale comments again as they show them, and `manage.py recook_comments` redoes the rest.

Why nh3 and not bleach: bleach's maintainers stopped releasing it, even for security fixes, and
point to nh3 (Python bindings to the Rust ammonia sanitiser). nh3 does not judge link schemes
strictly enough on its own (it keeps `javascript\\u200b:` hrefs), so `_safe_href` keeps only
absolute http, https and mailto URLs.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

__all__ = ["POLICY", "comment_html", "reader_excerpt", "shown_name", "strip_invisible"]

ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "blockquote", "code"}
LINK_REL = "nofollow ugc noopener noreferrer"
# The version of the rules below, stored with every cooked comment (`Moderation.html_policy`).
POLICY = 1

# Bidirectional overrides and isolates (they can make text read in a different order than it is
# stored, "Trojan Source" style) and the invisible characters that disguise URL schemes.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    """Remove bidirectional-override characters; used for comment text and commenters' names."""
    return _BIDI.sub("", text)


def shown_name(name: str) -> str:
    """A commenter's name as pages show it: without direction overrides, "Anonymous" if empty."""
    return strip_invisible(name or "").strip() or str(_("Anonymous"))


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


def comment_html(text: str) -> SafeString:
    """Plain comment text as safe HTML: paragraphs, line breaks, links. Nothing else survives."""
    return mark_safe(_render(text))  # noqa: S308 - nh3 output, allowlisted above


def reader_excerpt(text: str, *, chars: int | None = None, words: int | None = None) -> str:
    """A short plain-text excerpt of reader text, for any page that quotes a comment away from its
    cooked HTML (highlights, cited comments, their feeds): cleaned as the discussion cleans it (no
    direction overrides), whitespace folded, cut at `chars` or `words`. Escaped where it is shown."""
    text = " ".join(strip_invisible(text).split())
    if words is not None:
        return Truncator(text).words(words, truncate="…")
    return Truncator(text).chars(chars) if chars is not None else text


def plain_excerpt(text: str, length: int = 200) -> str:
    """A short escaped excerpt for admin rows and emails about published comments."""
    text = " ".join(strip_invisible(text).split())
    return escape(text if len(text) <= length else text[: length - 1] + "…")
