"""The plain-language analysis: the one place the reading level and the jargon are computed.

The content checker (shown through our axe checks), the summary when a post is published, and the
admin reports all read an `Analysis` made here; nothing in JavaScript recomputes it.

Input is a list of `Block`s (extract.py), a language code and the glossary's matcher, so the
analysis knows neither Django nor pages (posts.py builds those from a post).

Jargon is an acronym (two capitals or more: "EHR", "PHRs", "COVID-19") that the glossary does
not define. Not jargon: Roman numerals ("Part II"), units ("IU", "mmHg"), headings and shouted
paragraphs written in capitals, code, text already inside a glossary link, and the common
capitals of `PLAIN_LANGUAGE_COMMON_CAPITALS` ("OK", "TV", "US").
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from glossary.matching import Matcher

from . import readability
from .extract import Block

__all__ = [
    "Analysis",
    "DEFAULT_COMMON_CAPITALS",
    "FORMULAS",
    "acronyms",
    "analyse",
    "formula_for",
    "is_defined",
]

ACRONYM = re.compile(r"(?<![\w&.-])([A-Z](?:[A-Za-z0-9&]|-(?=[A-Z0-9]))*[A-Z0-9]s?)(?![\w&-])")
ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
UNITS = frozenset(
    {"IU", "mIU", "mL", "dL", "mg", "mcg", "kg", "mmHg", "mEq", "mmol", "Hz", "kHz", "MHz", "GHz",
     "KB", "MB", "GB", "TB", "mAh", "kWh", "BMI"}
)  # fmt: skip
DEFAULT_COMMON_CAPITALS = frozenset(
    {"OK", "TV", "US", "USA", "UK", "EU", "AM", "PM", "ID", "FAQ", "PDF", "URL", "PS", "DIY", "CEO"}
)  # fmt: skip
FORMULAS = {"en": "Flesch–Kincaid", "es": "Fernández-Huerta"}
# How much of a long post the panel and the reports list (the figures count everything).
MAX_LISTED = 50
EXCERPT_CHARS = 240


def formula_for(language: str) -> str:
    return FORMULAS.get(_language(language), FORMULAS["en"])


def _language(code: str | None) -> str:
    """ "es-mx" and "es" are Spanish; every other language is read with the English formula."""
    return "es" if (code or "").lower().split("-")[0].split("_")[0] == "es" else "en"


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _is_roman(token: str) -> bool:
    # Two-letter numerals that are also medical abbreviations ("MI", "MD", "CD", "CC") count only
    # when made of I, V, X and L; longer ones ("XIV", "MCMXC") are numerals whatever their letters.
    if not ROMAN.fullmatch(token):
        return False
    return len(token) > 2 or set(token) <= set("IVXL")


def _is_shouting(text: str) -> bool:
    """A heading or paragraph written in capitals: its capitals are emphasis, not acronyms."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def acronyms(scan: str, common: frozenset[str] = DEFAULT_COMMON_CAPITALS) -> list[str]:
    """The acronyms a text uses, as written (a plural "s" dropped), in order, repeats included."""
    return [] if _is_shouting(scan) else [token for token, _start in _tokens(scan, common)]


@dataclass(slots=True)
class Sentence:
    text: str
    words: int
    grade: float
    paragraph: int


@dataclass(slots=True)
class Analysis:
    language: str
    formula: str
    target: float
    long_sentence_words: int
    grade: float = 0.0
    ease: float | None = None  # Spanish: Fernández-Huerta's score, from which the grade comes
    words: int = 0
    sentences: int = 0
    paragraphs: list[dict] = field(default_factory=list)
    hardest: list[dict] = field(default_factory=list)
    long_sentences: list[dict] = field(default_factory=list)
    long_sentence_count: int = 0
    undefined: list[dict] = field(default_factory=list)
    undefined_count: int = 0
    defined: list[dict] = field(default_factory=list)

    @property
    def over_target(self) -> bool:
        return self.words > 0 and round(self.grade, 1) > self.target

    def as_dict(self) -> dict:
        """JSON-ready: the checker panel and the reports read this."""
        data = asdict(self)
        data["over_target"] = self.over_target
        return data


def _round(value: float) -> float:
    return round(value, 1)


def _read(text: str, language: str, number: int, into: list[Sentence]) -> readability.Counts:
    """Count one paragraph, sentence by sentence, adding its sentences to `into`."""
    total_words = total_syllables = count = 0
    for sentence in readability.sentences(text):
        found = readability.words(sentence)
        if not found:
            continue
        syllables = sum(readability.syllables(word, language) for word in found)
        counts = readability.Counts(1, len(found), syllables)
        sentence_grade = _round(readability.grade(counts, language))
        into.append(Sentence(_excerpt(sentence), len(found), sentence_grade, number))
        total_words += len(found)
        total_syllables += syllables
        count += 1
    return readability.Counts(count, total_words, total_syllables)


def _tokens(scan: str, common: frozenset[str]) -> Iterable[tuple[str, int]]:
    for match in ACRONYM.finditer(scan):
        token = match.group(1)
        if sum(c.isupper() for c in token) < 2:
            continue
        if token.endswith("s") and token[:-1].isupper():
            token = token[:-1]  # "EHRs" is "EHR"
        if token in common or token in UNITS or _is_roman(token):
            continue
        yield token, match.start()


def is_defined(matcher: Matcher | None, token: str) -> bool:
    """Whether the glossary defines the acronym itself (a plural found as "EHRs" is "EHR")."""
    if not matcher:
        return False
    return any(match.start == 0 and match.end == len(token) for match in matcher.find(token))


def analyse(
    blocks: Sequence[Block],
    *,
    language: str = "en",
    matcher: Matcher | None = None,
    target: float = 8,
    long_sentence_words: int = 25,
    common_capitals: Iterable[str] = DEFAULT_COMMON_CAPITALS,
) -> Analysis:
    """Analyse a post's blocks. Paragraph numbers count the non-heading blocks from 1."""
    language = _language(language)
    common = frozenset(common_capitals)
    result = Analysis(language, formula_for(language), target, long_sentence_words)
    total = readability.Counts(0, 0, 0)
    sentences: list[Sentence] = []
    uses: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    defined: Counter[str] = Counter()
    number = 0
    for block in blocks:
        if not block.heading:
            number += 1
            counts = _read(block.text, language, number, sentences)
            total = readability.Counts(
                total.sentences + counts.sentences,
                total.words + counts.words,
                total.syllables + counts.syllables,
            )
            if counts.words and len(result.paragraphs) < MAX_LISTED * 4:
                result.paragraphs.append(
                    {
                        "number": number,
                        "grade": _round(readability.grade(counts, language)),
                        "words": counts.words,
                        "excerpt": _excerpt(block.text),
                    }
                )
        if _is_shouting(block.scan):
            continue
        spans = []
        if matcher:
            for match in matcher.find(block.scan):
                spans.append((match.start, match.end))
                if not block.heading:  # annotation leaves headings alone
                    defined[match.slug] += 1
        for token, start in _tokens(block.scan, common):
            if any(begin <= start < end for begin, end in spans) or is_defined(matcher, token):
                continue
            uses[token] += 1
            places = where.setdefault(token, [])
            if number and (not places or places[-1] != number) and len(places) < 20:
                places.append(number)
    result.words, result.sentences = total.words, total.sentences
    result.grade = _round(readability.grade(total, language))
    if language == "es":
        result.ease = _round(readability.fernandez_huerta(total))
    result.hardest = [asdict(s) for s in sorted(sentences, key=lambda s: (-s.grade, s.paragraph))[:3]]
    long = [s for s in sentences if s.words > long_sentence_words]
    result.long_sentence_count = len(long)
    result.long_sentences = [asdict(s) for s in long[:MAX_LISTED]]
    result.undefined = [
        {"term": term, "count": count, "paragraphs": where.get(term, [])}
        for term, count in sorted(uses.items(), key=lambda item: (-item[1], item[0]))[:MAX_LISTED]
    ]
    result.undefined_count = len(uses)
    entries = matcher.entries if matcher else {}
    result.defined = [
        {"slug": slug, "term": entries[slug].term, "count": count}
        for slug, count in sorted(defined.items(), key=lambda item: (-item[1], item[0]))[:MAX_LISTED]
    ]
    return result
