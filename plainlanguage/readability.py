"""Counting sentences, words and syllables, and the readability formulas that use them.

Pure functions over plain text, no Django: the analysis (analysis.py) calls them for the whole post,
each paragraph and each sentence, and the accuracy tests hold them to hand-counted texts.

English is graded with Flesch–Kincaid (Kincaid et al., 1975): a US school grade. Spanish is scored
with Fernández-Huerta's corrected formula (1959), a reading-ease score on Flesch's 0-100 scale; it
is turned into a grade with Flesch's own table of ease and school grade, so one target (a grade)
serves both languages.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Counts",
    "count",
    "ease_grade",
    "fernandez_huerta",
    "flesch_kincaid",
    "grade",
    "sentences",
    "syllables",
    "words",
]

WORD = re.compile(r"[^\W_](?:[^\W_]|['’-](?=[^\W_]))*")
# A sentence ends at . ! ? (and closing quotes or brackets), before a space and a capital, digit or
# opening quote, or at the end of the text.
SENTENCE_END = re.compile(r"""(?<=[.!?…])["'”’)\]]*\s+(?=["'“‘(\[¿¡]*[A-ZÁÉÍÓÚÑÜ0-9])""")
# Abbreviations whose full stop ends no sentence ("Dr. Lee", "e.g. this").
ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "sr", "jr", "vs", "etc", "e.g", "i.e", "no", "fig", "approx",
     "dept", "inc", "ltd", "co", "ave", "sra", "sres", "ud", "uds"}
)  # fmt: skip
VOWELS_EN = re.compile(r"[aeiouy]+")
# Vowel pairs that are two syllables in English words ("radio", "media", "video", "usual").
HIATUS_EN = re.compile(r"(?<![cgstq])i[aou]|eo|(?<![q])ua(?!y)|ue(?=[lt])|uo")
VOWELS_ES = re.compile(r"[aeiouáéíóúü]+")
STRONG_ES = frozenset("aeoáéóíú")  # a, e, o, and an accented i or u, which breaks a diphthong


@dataclass(frozen=True, slots=True)
class Counts:
    sentences: int
    words: int
    syllables: int


def sentences(text: str) -> list[str]:
    """The sentences of one paragraph (a paragraph always ends a sentence)."""
    parts: list[str] = []
    pending = ""
    for piece in SENTENCE_END.split(text.strip()):
        pending = f"{pending} {piece}" if pending else piece
        last = pending.rsplit(None, 1)[-1].rstrip(".").lower() if pending.strip() else ""
        # "Dr. Lee": the full stop of an abbreviation or an initial ("J. Smith") ends nothing.
        if pending.endswith(".") and (last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())):
            continue
        if WORD.search(pending):
            parts.append(pending.strip())
        pending = ""
    if pending and WORD.search(pending):
        parts.append(pending.strip())
    return parts


def words(text: str) -> list[str]:
    return WORD.findall(text)


@lru_cache(maxsize=65536)
def syllables(word: str, language: str = "en") -> int:
    """Syllables in one word: vowel groups with the common English exceptions, or Spanish's
    regular rule (strong vowels side by side are two syllables). Numbers count as one."""
    word = word.lower().replace("’", "'")
    if not any(c.isalpha() for c in word):
        return 1
    if language == "es":
        return max(1, sum(_spanish_group(group) for group in VOWELS_ES.findall(word)))
    return _english(re.sub(r"[^a-z]", "", word))


def _spanish_group(group: str) -> int:
    count = 1
    for first, second in zip(group, group[1:], strict=False):
        if first in STRONG_ES and second in STRONG_ES:
            count += 1  # hiatus: "le-er", "dí-a", "rí-o"
    return count


def _english(word: str) -> int:
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]  # silent final e: "make", "care"
    elif word.endswith("le") and len(word) > 2 and word[-3] in "aeiouy":
        word = word[:-1]  # "while", "whole": the e is silent after a vowel
    elif word.endswith("es") and not word.endswith(("ses", "xes", "zes", "ches", "shes", "ges", "ces")):
        word = word[:-2]  # "makes", "notes", but "boxes", "pages"
    elif word.endswith("ed") and not word.endswith(("ted", "ded")):
        word = word[:-2]  # "called", but "waited", "needed"
    if word.startswith("y"):
        word = word[1:]
    groups = len(VOWELS_EN.findall(word)) + len(HIATUS_EN.findall(word))
    return max(1, groups)


def count(text: str, language: str = "en") -> Counts:
    found = words(text)
    return Counts(
        sentences=len(sentences(text)) if found else 0,
        words=len(found),
        syllables=sum(syllables(word, language) for word in found),
    )


def flesch_kincaid(counts: Counts) -> float:
    """Flesch–Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    if not counts.words or not counts.sentences:
        return 0.0
    return 0.39 * counts.words / counts.sentences + 11.8 * counts.syllables / counts.words - 15.59


def fernandez_huerta(counts: Counts) -> float:
    """Fernández-Huerta's reading ease (corrected): 206.84 - 0.60 P - 1.02 F, with P syllables and
    F sentences per hundred words. 100 is easiest."""
    if not counts.words or not counts.sentences:
        return 100.0
    per_hundred = 100 / counts.words
    return 206.84 - 0.60 * counts.syllables * per_hundred - 1.02 * counts.sentences * per_hundred


# Flesch's table (1948) of reading ease and the school grade that reads it, with its ends extended:
# 90-100 fifth grade, 80-90 sixth, 70-80 seventh, 60-70 eighth and ninth, 50-60 tenth to twelfth,
# 30-50 college, 0-30 college graduate. Between the points the grade is interpolated.
EASE_TO_GRADE = (
    (100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 8.5), (50.0, 11.0), (30.0, 14.5), (0.0, 18.0),
)  # fmt: skip


def ease_grade(ease: float) -> float:
    """A US grade for a reading-ease score on Flesch's scale."""
    if ease >= EASE_TO_GRADE[0][0]:
        return EASE_TO_GRADE[0][1]
    for (high, high_grade), (low, low_grade) in zip(EASE_TO_GRADE, EASE_TO_GRADE[1:], strict=False):
        if ease >= low:
            return high_grade + (high - ease) / (high - low) * (low_grade - high_grade)
    return EASE_TO_GRADE[-1][1]


def grade(counts: Counts, language: str = "en") -> float:
    """The grade the language's formula gives; never below 0."""
    if language == "es":
        return ease_grade(fernandez_huerta(counts))
    return max(0.0, flesch_kincaid(counts))
