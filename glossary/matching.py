"""Finding glossary terms in plain text: one pass, whatever the number of terms.

A form ("EHR", "electronic health record") is a run of words (``\\w+``) joined by separators.
The text is split into words once, by one compiled regular expression; from each word a walk
down a trie of word tokens finds the longest form starting there. Each step is a dictionary
look-up, so the cost depends on the length of the text, not on the number of terms (the
naive alternative, one regular expression per term, grows with both: see bench/glossary.py).

Words are whole by construction: "ehr" inside "their" is never a word of its own.
Case: a case-sensitive term's forms that contain a capital letter match only as written
("EHR", not "ehr"); every other form matches in any case ("Triage", "electronic Health Record").
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, compress

__all__ = ["Entry", "Match", "Matcher", "form_key", "form_problem", "normalise_form"]

WORD = re.compile(r"\w+")
SPLIT = re.compile(r"(\w+)")
SPACE = re.compile(r"\s+")
# The key that marks "a form ends here" in a trie node. Tokens and separators are never empty.
_END = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """What the annotation needs to know about a term: no model instance, nothing lazy."""

    slug: str
    term: str
    expansion: str
    definition: str
    url: str


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    slug: str


def normalise_form(form: str) -> str:
    """Collapse runs of whitespace, so "health\\nrecord" and "health record" are one form."""
    return SPACE.sub(" ", form).strip()


def form_key(form: str) -> str:
    """The key under which two forms are the same claim (validation of variants)."""
    return normalise_form(form).casefold()


def form_problem(form: str) -> str | None:
    """Why a form cannot be matched, or None. Forms start and end with a letter or digit."""
    form = normalise_form(form)
    if not form:
        return "empty"
    if not (WORD.fullmatch(form[0]) and WORD.fullmatch(form[-1])):
        return "edges"
    return None


def _tokens(form: str) -> list[str]:
    """Words and the separators between them, alternating: ["electronic", " ", "health"]."""
    parts: list[str] = []
    position = 0
    for word in WORD.finditer(form):
        if word.start() > position:
            parts.append(form[position : word.start()])
        parts.append(word.group())
        position = word.end()
    return parts


def _case_sensitive(form: str, term_is_case_sensitive: bool) -> bool:
    return term_is_case_sensitive and form != form.lower()


class Matcher:
    """A compiled set of forms. Immutable once built, so one instance serves every request."""

    def __init__(self, entries: Iterable[tuple[Entry, Iterable[str], bool]]) -> None:
        """`entries`: (entry, forms, case_sensitive) in priority order; the first claim of a form wins."""
        self.entries: dict[str, Entry] = {}
        self._exact: dict = {}  # trie over tokens as written
        self._folded: dict = {}  # trie over lower-cased tokens
        for entry, forms, case_sensitive in entries:
            self.entries.setdefault(entry.slug, entry)
            for form in forms:
                form = normalise_form(form)
                if form_problem(form):
                    continue
                if _case_sensitive(form, case_sensitive):
                    self._insert(self._exact, _tokens(form), entry.slug)
                else:
                    self._insert(self._folded, _tokens(form.lower()), entry.slug)

    @staticmethod
    def _insert(trie: dict, tokens: list[str], slug: str) -> None:
        node = trie
        for token in tokens:
            node = node.setdefault(token, {})
        node.setdefault(_END, slug)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str) -> Iterator[Match]:
        """Yield the leftmost-longest, non-overlapping matches in `text`.

        The text is split into words and separators by one regular expression, and the words
        that can start a form are picked out by C-level set look-ups; Python code runs only
        for those candidates, walking the trie one word at a time.
        """
        exact, folded = self._exact, self._folded
        if not (exact or folded):
            return
        parts = SPLIT.split(text)  # [separator, word, separator, word, ..., separator]
        if len(parts) < 3:
            return
        lowered = list(map(str.lower, parts)) if folded else parts
        count = len(parts) // 2
        starts: set[int] = set()
        if exact:
            starts.update(compress(range(count), map(exact.__contains__, parts[1::2])))
        if folded:
            starts.update(compress(range(count), map(folded.__contains__, lowered[1::2])))
        offsets: list[int] | None = None
        available = 0  # the first word not yet inside a match
        for first in sorted(starts):
            if first < available:
                continue
            best_last, best_slug = -1, None
            for trie, source in ((exact, parts), (folded, lowered)):
                node = trie.get(source[2 * first + 1])
                last = first
                while node is not None:
                    slug = node.get(_END)
                    if slug is not None and last > best_last:
                        best_last, best_slug = last, slug
                    if last + 1 >= count:
                        break
                    separator = source[2 * last + 2]
                    if separator != " ":
                        separator = SPACE.sub(" ", separator)
                    node = node.get(separator)
                    if node is None:
                        break
                    last += 1
                    node = node.get(source[2 * last + 1])
            if best_slug is not None:
                if offsets is None:
                    offsets = list(accumulate(map(len, parts), initial=0))
                yield Match(offsets[2 * first + 1], offsets[2 * best_last + 2], best_slug)
                available = best_last + 1
