"""Source HTML to what Rounds stores: a post body as StreamField blocks of Wagtail rich text, and
comment text as the plain text a reader would have typed.

Bodies go through nh3 first (scripts and styles dropped with their content, iframes, styles and
event attributes dropped, only http, https and mailto links kept), then through Wagtail's own
contentstate converter for the post editor's features: what comes out is exactly what the editor
itself would have saved, and nothing the editor cannot show survives.

Comments are stored as plain text because that is what a reader's comment is: the one function
that renders comments (comments.sanitize.comment_html) turns them into HTML on the way out, so an
imported comment is sanitised exactly like any other.
"""

import html as html_lib
import re
from collections.abc import Callable
from html.parser import HTMLParser

import nh3
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from blog.blocks import RICH_TEXT_FEATURES

__all__ = ["body_blocks", "first_words", "plain_text", "summary"]

KEPT_TAGS = {
    "p", "br", "a", "b", "strong", "i", "em", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "img", "div", "span", "pre", "code",
}  # fmt: skip
_BLOCK_START = re.compile(r"^\s*<(?:!--|p|div|h[1-6]|ul|ol|blockquote|pre|table|figure|hr)\b", re.IGNORECASE)
_IMG = re.compile(r"<img((?:\s+[a-z-]+=\"[^\"]*\")*)\s*/?>")
_ATTR = re.compile(r"([a-z-]+)=\"([^\"]*)\"")
_EMPTY_BLOCK = re.compile(r"<p data-block-key=\"[^\"]*\">(?:\s|<br/>)*</p>")
_converter = ContentstateConverter(RICH_TEXT_FEATURES)

# Finds an image for an <img src>: returns the Wagtail image's id, or None to keep a link instead.
ImageFinder = Callable[[str], int | None]


def autop(text: str) -> str:
    """WordPress stores classic posts without paragraph tags (it adds them when it shows a post):
    blank lines separate paragraphs, single newlines are line breaks. Chunks that start with a
    block of their own (a <p>, a heading, Gutenberg's block comments) are left as they are."""
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    out = []
    for chunk in filter(None, chunks):
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>") + "</p>")
    return "\n".join(out)


def _clean(source: str) -> str:
    cleaned = nh3.clean(
        autop(source),
        tags=KEPT_TAGS,
        attributes={"a": {"href"}, "img": {"src", "alt", "title"}},
        url_schemes={"http", "https", "mailto"},
        clean_content_tags={"script", "style"},
        strip_comments=True,
        link_rel=None,
    )
    # The editor offers two heading levels: the source's larger ones become h3, smaller ones h4.
    cleaned = re.sub(r"<(/?)h[12]>", r"<\1h3>", cleaned)
    return re.sub(r"<(/?)h[56]>", r"<\1h4>", cleaned)


def _rich_text(fragment: str) -> str:
    # A fragment cut at an image may leave tags open or closed twice: nh3 balances it, and
    # Wagtail's parser wants void elements written as XHTML.
    fragment = nh3.clean(fragment, tags=KEPT_TAGS - {"img"}, attributes={"a": {"href"}}, link_rel=None)
    fragment = fragment.replace("<br>", "<br/>")
    converted = _converter.to_database_format(_converter.from_database_format(fragment))
    converted = re.sub(r"(?:<br/>\s*)+</(p|h3|h4|li)>", r"</\1>", converted)
    return _EMPTY_BLOCK.sub("", converted).strip()


def _image_attrs(match: re.Match) -> dict[str, str]:
    return {name: html_lib.unescape(value) for name, value in _ATTR.findall(match[1])}


def _image_label(attrs: dict[str, str]) -> str:
    src = attrs.get("src", "")
    name = src.rstrip("/").rpartition("/")[2] or "image"
    return attrs.get("alt") or attrs.get("title") or name


def _as_link(match: re.Match) -> str:
    attrs = _image_attrs(match)
    src = attrs.get("src", "")
    if not src:
        return ""
    label = html_lib.escape(f"Image: {_image_label(attrs)}")
    return f' <a href="{html_lib.escape(src)}">{label}</a> '


def body_blocks(source: str, find_image: ImageFinder | None = None) -> list[dict]:
    """StreamField data for a post body: paragraphs of rich text, with images found by
    `find_image` as image blocks between them and every other image kept as a link."""
    cleaned = _clean(source)
    blocks: list[dict] = []
    position = 0
    pieces: list[str] = []

    def flush() -> None:
        text = _rich_text("".join(pieces))
        if text:
            blocks.append({"type": "paragraph", "value": text})
        pieces.clear()

    for match in _IMG.finditer(cleaned):
        pieces.append(cleaned[position : match.start()])
        position = match.end()
        attrs = _image_attrs(match)
        image_id = find_image(attrs.get("src", "")) if find_image and attrs.get("src") else None
        if image_id is None:
            pieces.append(_as_link(match))
            continue
        flush()
        alt = _image_label(attrs)[:250]
        blocks.append({"type": "image", "value": {"image": image_id, "alt_text": alt, "caption": ""}})
    pieces.append(cleaned[position:])
    flush()
    return blocks


class _TextParser(HTMLParser):
    BLOCKS = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            if href.startswith(("http://", "https://")) and href not in label:
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def plain_text(source: str) -> str:
    """Readable plain text from HTML: paragraphs as blank lines, breaks as newlines, a link's
    address kept beside its words (so it stays a link when the comment is shown)."""
    if "<" not in source and "&" not in source:
        text = source
    else:
        parser = _TextParser()
        parser.feed(source)
        parser.close()
        text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip().replace("\x00", "")


def first_words(text: str, count: int = 8) -> str:
    words = text.split()
    if not words:
        return ""
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def summary(text: str, limit: int = 300) -> str:
    """At most `limit` characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
