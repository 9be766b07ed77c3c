"""Annotating rendered HTML with glossary terms, given a matcher.

This module knows HTML and the page's first-occurrence memory, not where terms come from: callers
pass the matcher (`glossary.registry.current_matcher()` for the live glossary, a one-term matcher
to find the posts that use a term, a synthetic one in the benchmarks).

The input is HTML that is already safe (rich text output, sanitised comment HTML). It is read
with the standard library's tokenizer, never with regular expressions over markup: tags,
attributes, comments and entities pass through as written, and only text nodes outside
excluded elements are searched. Text is decoded by the tokenizer and escaped again on the way
out, and everything a term contributes (its name, expansion, definition) is escaped, so the
output is exactly as safe as the input.
"""

from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.template import Context
from django.utils.html import format_html

from .matching import Entry, Matcher

__all__ = ["EXCLUDED_ELEMENTS", "MODES", "SKIP_ATTRIBUTE", "annotate_html", "mode", "page_memory"]

MODES = ("first", "every")

# Text inside these is never annotated: headings, links (a link in a link is invalid), code,
# elements that already define or abbreviate, and everything that is not prose.
EXCLUDED_ELEMENTS = frozenset(
    {
        "a", "abbr", "dfn", "code", "pre", "kbd", "samp", "var", "tt",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "script", "style", "template", "textarea", "title", "noscript",
        "button", "select", "option", "label", "iframe", "object", "svg", "math",
    }
)  # fmt: skip
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# An element carrying this attribute is left alone with all it contains (the glossary's own pages,
# the parts of a discussion that are not prose: its form, guidelines and feed links).
SKIP_ATTRIBUTE = "data-glossary-skip"
# Where a render keeps the slugs it has annotated: private, reached only through page_memory().
_MEMORY_KEY = "_glossary_seen"


def mode() -> str:
    """ "first" annotates a term's first occurrence on the page; "every" annotates them all."""
    return getattr(settings, "GLOSSARY_ANNOTATE", "first")


def page_memory(context: Context) -> set[str]:
    """The slugs already annotated in this render: the page's first-occurrence memory.

    It lives in the outermost dict of the context's render_context, never on a shared object:
    `{% include %}`, `{% block %}` and the new contexts of inclusion tags (`context.new()`,
    `{% include ... only %}`) all share that dict, while every render starts with its own. So one
    set spans the post body and the discussion of one page, and no state outlives the render.
    """
    root = context.render_context.dicts[0]
    seen = root.get(_MEMORY_KEY)
    if seen is None:
        seen = root[_MEMORY_KEY] = set()
    return seen


def tooltip_id(slug: str) -> str:
    return f"glossary-tip-{slug}"


def term_markup(entry: Entry, text: str, with_tooltip: bool) -> str:
    """One annotated occurrence: a link to the term's page described by its tooltip.

    The tooltip is written once per page (the first occurrence); later occurrences point at the
    same id, and the script moves the tooltip next to whichever occurrence is in use.
    """
    tip = ""
    if with_tooltip:
        summary = f"{entry.expansion}: {entry.definition}" if entry.expansion else entry.definition
        tip = format_html(
            '<span class="glossary-tip" id="{}" role="tooltip" hidden>{}</span>',
            tooltip_id(entry.slug),
            summary,
        )
    expansion = format_html(' data-expansion="{}"', entry.expansion) if entry.expansion else ""
    return format_html(
        '<span class="glossary-term"><a class="glossary-term__link" href="{}" data-term="{}"{}'
        ' aria-describedby="{}">{}</a>{}</span>',
        entry.url,
        entry.slug,
        expansion,
        tooltip_id(entry.slug),
        text,
        tip,
    )


class _Annotator(HTMLParser):
    def __init__(self, matcher: Matcher, seen: set[str], every: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.matcher = matcher
        self.seen = seen
        self.every = every
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, excluded) of each open element
        self.excluded = 0
        self.changed = False

    # Markup passes through as written.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in VOID_ELEMENTS:
            return
        excluded = tag in EXCLUDED_ELEMENTS or any(name == SKIP_ATTRIBUTE for name, _ in attrs)
        self.open.append((tag, excluded))
        self.excluded += excluded

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        # Close up to the matching open element; a stray end tag closes nothing.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                closed = self.open[index:]
                del self.open[index:]
                self.excluded -= sum(excluded for _, excluded in closed)
                # An excluded element left unclosed inside stays in force: browsers reopen an
                # unclosed <a> in the next paragraph, and a link inside a link is invalid.
                for name, excluded in closed[1:]:
                    if excluded:
                        self.open.append((name, excluded))
                        self.excluded += 1
                break

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_data(self, data: str) -> None:
        if self.cdata_elem:  # inside <script> or <style>: raw text, not ours to touch
            self.out.append(data)
            return
        if self.excluded:
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in self.matcher.find(data):
            first = match.slug not in self.seen
            if not (first or self.every):
                continue
            self.seen.add(match.slug)
            self.changed = True
            self.out.append(escape(data[position : match.start], quote=False))
            entry = self.matcher.entries[match.slug]
            self.out.append(term_markup(entry, data[match.start : match.end], with_tooltip=first))
            position = match.end
        self.out.append(escape(data[position:], quote=False))


def annotate_html(html: str, seen: set[str], *, matcher: Matcher, every: bool | None = None) -> str:
    """Return `html` with the matcher's terms annotated.

    `seen` holds the slugs already annotated on this page and is updated, so that one set
    carried through a render (post body, then comments) annotates each term once per page
    in "first" mode. `every` defaults to the GLOSSARY_ANNOTATE setting.
    """
    if not matcher or not html:
        return html
    if every is None:
        every = mode() == "every"
    parser = _Annotator(matcher, seen, every)
    parser.feed(html)
    parser.close()
    # Untouched input comes back exactly as it was, entities and all.
    return "".join(parser.out) if parser.changed else html
