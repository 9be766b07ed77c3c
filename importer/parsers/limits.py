"""Size limits checked before a byte reaches expat or nh3, so a hostile export fails in seconds
with one line instead of stalling the import for minutes.

- expat (2.5.0 as bundled here) re-parses a token from its start at every buffer fill, so one
  huge tag (a 30 MB attribute), comment or processing instruction costs quadratic time
  (CVE-2023-52425). `check_markup` scans the raw bytes first: no single piece of markup may
  exceed MAX_MARKUP_BYTES. Text and CDATA are streamed by expat and are not limited here.
- nh3 is slow on deep nesting (100,000 nested <div>s took a minute). `check_record` refuses a
  post body over MAX_BODY_CHARS or nested deeper than MAX_DEPTH, and a comment over
  MAX_COMMENT_CHARS (its text is cut to the comment form's 3,000 characters anyway).
"""

import re
from pathlib import Path

from ..records import ImportFailed, PostRecord

__all__ = ["MAX_DEPTH", "MAX_MARKUP_BYTES", "check_markup", "check_record"]

MAX_MARKUP_BYTES = 256 * 1024  # one tag with its attributes, a comment, a processing instruction
MAX_BODY_CHARS = 4 * 1024 * 1024
MAX_COMMENT_CHARS = 256 * 1024
MAX_DEPTH = 200  # nested HTML elements in a body or a comment
CHUNK = 1024 * 1024

_TAG_STOP = re.compile(rb"[>\"']")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")  # never past the next "<"
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"]
    + ["track", "wbr"]
)


def check_markup(path: Path) -> None:
    """ImportFailed if any tag, comment or processing instruction in `path` is over the limit."""
    state, size, quote, tail = "text", 0, b"", b""

    def over() -> ImportFailed:
        return ImportFailed(
            f"{path}: refused, one piece of markup (a tag with its attributes, a comment) is over "
            f"{MAX_MARKUP_BYTES // 1024} KB"
        )

    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            data, tail = tail + chunk, b""
            i, n = 0, len(data)
            while i < n:
                if size > MAX_MARKUP_BYTES:
                    raise over()
                if state == "text":
                    j = data.find(b"<", i)
                    if j < 0:
                        break
                    if n - j < 9:  # too little to tell what starts here: with the next chunk
                        tail = data[j:]
                        break
                    if data.startswith(b"<![CDATA[", j):
                        state, i = "cdata", j + 9
                    elif data.startswith(b"<!--", j):
                        state, i, size = "-->", j + 4, 0
                    elif data.startswith(b"<?", j):
                        state, i, size = "?>", j + 2, 0
                    else:
                        state, i, size, quote = "tag", j + 1, 0, b""
                elif state == "cdata":
                    j = data.find(b"]]>", i)
                    if j < 0:
                        tail = data[-2:]
                        break
                    state, i = "text", j + 3
                elif state in ("-->", "?>"):
                    end = state.encode()
                    j = data.find(end, i)
                    if j < 0:
                        size += n - i
                        tail = data[-(len(end) - 1) :]
                        break
                    size += j - i
                    state, i = "text", j + len(end)
                elif quote:  # inside an attribute value
                    j = data.find(quote, i)
                    if j < 0:
                        size += n - i
                        break
                    size, i, quote = size + j + 1 - i, j + 1, b""
                else:  # inside a tag
                    match = _TAG_STOP.search(data, i)
                    if match is None:
                        size += n - i
                        break
                    size, i = size + match.end() - i, match.end()
                    if match.group() == b">":
                        state = "text"
                    else:
                        quote = match.group()
            if size > MAX_MARKUP_BYTES:
                raise over()


def depth(html: str) -> int:
    """How deeply elements nest in `html` (a count of open tags, unclosed ones included)."""
    level = deepest = 0
    for match in _HTML_TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            level = max(level - 1, 0)
        elif not self_closing and name.lower() not in _VOID:
            level += 1
            deepest = max(deepest, level)
    return deepest


def check_record(post: PostRecord) -> None:
    """ImportFailed if a post's body or one of its comments is too long or too deeply nested."""
    where = f"post {post.source_id[:40]!r}"
    if len(post.body_html) > MAX_BODY_CHARS:
        raise ImportFailed(f"refused, {where} is over {MAX_BODY_CHARS // (1024 * 1024)} MB")
    if depth(post.body_html) > MAX_DEPTH:
        raise ImportFailed(f"refused, {where} nests HTML elements more than {MAX_DEPTH} deep")
    for comment in post.comments:
        if len(comment.text) > MAX_COMMENT_CHARS or depth(comment.text) > MAX_DEPTH:
            raise ImportFailed(
                f"refused, comment {comment.source_id[:40]!r} on {where} is over "
                f"{MAX_COMMENT_CHARS // 1024} KB or nests HTML more than {MAX_DEPTH} deep"
            )
