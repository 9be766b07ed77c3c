"""From a post's HTML to the paragraphs the analysis reads.

The standard library's tokenizer reads the markup (never regular expressions over HTML), so deep
nesting, unclosed tags and scripts cost one linear pass. Each block element (paragraph, list item,
heading, quotation, table cell) becomes one `Block` with two texts:
- `text`, what a reader reads there (for the reading level): code, scripts and styles left out;
- `scan`, where jargon is looked for: `text` less what is inside a link to the glossary (already
  defined) and inside abbreviations the writer expanded with a title.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["Block", "blocks"]

BLOCK_ELEMENTS = frozenset(
    {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dd", "dt", "figcaption",
     "caption", "div", "section", "article", "aside", "ul", "ol", "table", "tr", "br", "hr", "pre"}
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Never prose: what these hold is neither read for the grade nor searched for jargon.
UNREAD = frozenset(
    {"code", "pre", "kbd", "samp", "var", "tt", "script", "style", "template", "noscript", "textarea",
     "svg", "math", "iframe", "object"}
)  # fmt: skip
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    scan: str
    heading: bool


class _Reader(HTMLParser):
    def __init__(self, glossary_prefixes: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.prefixes = glossary_prefixes
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.scan: list[str] = []
        self.open: list[tuple[str, bool, bool]] = []  # (tag, unread, defined) of each open element
        self.unread = 0
        self.defined = 0
        self.heading = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            scan = " ".join("".join(self.scan).split())
            self.blocks.append(Block(text, scan, bool(self.heading)))
        self.text.clear()
        self.scan.clear()

    def _defines(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        values = dict(attrs)
        if tag == "abbr":
            return bool(values.get("title"))
        if tag != "a":
            return False
        href = values.get("href") or ""
        return "data-term" in values or any(href.startswith(prefix) for prefix in self.prefixes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_ELEMENTS:
            self._flush()
        if tag in VOID:
            return
        unread, defined = tag in UNREAD, self._defines(tag, attrs)
        self.open.append((tag, unread, defined))
        self.unread += unread
        self.defined += defined
        self.heading += tag in HEADINGS

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_ELEMENTS:
            self._flush()
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for name, unread, defined in self.open[index:]:
                    self.unread -= unread
                    self.defined -= defined
                    self.heading -= name in HEADINGS
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        if self.unread or self.cdata_elem:
            self.text.append(" ")
            self.scan.append(" ")
            return
        self.text.append(data)
        self.scan.append(" " * len(data) if self.defined else data)


def blocks(html: str, glossary_prefixes: tuple[str, ...] = ()) -> list[Block]:
    """The blocks of `html` in reading order. `glossary_prefixes`: addresses of term pages."""
    reader = _Reader(glossary_prefixes)
    reader.feed(html)
    reader.close()
    reader._flush()
    return reader.blocks
