"""Glossary annotation: the one-pass matcher against one regular expression per term.

Annotates the same 5,000-word post (HTML with paragraphs, emphasis, links and code) against
10, 100, 1,000 and 5,000 generated terms, each with a variant, a third of them case-sensitive
acronyms and a third multi-word phrases. Both matchers run inside the same annotator (same
HTML tokenizer, same output); only the way terms are found in a text node differs. Times are
the best of several runs of one annotation, with the mode at its default ("first"); building a
matcher is timed separately because production builds it once per glossary change.

Run from the project root: `.venv/bin/python bench/glossary.py`. No database is needed.
"""

import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import setup_django

setup_django()

from glossary.annotation import annotate_html  # noqa: E402
from glossary.matching import Entry, Match, Matcher, normalise_form  # noqa: E402

SIZES = [10, 100, 1000, 5000]
POST_WORDS = 5000
REPEATS = 15
NAIVE_REPEATS = {10: 5, 100: 3, 1000: 2, 5000: 1}
rng = random.Random(20261128)

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def word(syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


FILLER = sorted({word(rng.randint(1, 3)) for _ in range(400)})


def generate_terms(count: int) -> list[tuple[Entry, list[str], bool]]:
    terms, used = [], set()
    while len(terms) < count:
        kind = len(terms) % 3
        if kind == 0:
            form = "".join(rng.choice("BCDFGHKLMNPRSTVZ") for _ in range(rng.randint(3, 5)))
            forms, case_sensitive = [form, form + "s"], True
        elif kind == 1:
            form = word(rng.randint(3, 4))
            forms, case_sensitive = [form, form + "s"], False
        else:  # phrases often start with an everyday word, so the walk sometimes goes deeper
            first = rng.choice(FILLER) if rng.random() < 0.5 else word(3)
            form = " ".join([first, *(word(rng.randint(2, 3)) for _ in range(rng.randint(1, 2)))])
            forms, case_sensitive = [form, form + "s"], False
        if any(f.casefold() in used for f in forms):
            continue
        used.update(f.casefold() for f in forms)
        slug = f"t{len(terms)}"
        entry = Entry(slug, forms[0], f"Expansion {slug}", f"Definition of {slug}.", f"/glossary/{slug}/")
        terms.append((entry, forms, case_sensitive))
    return terms


def generate_post(terms: list[tuple[Entry, list[str], bool]]) -> str:
    """About 5,000 words in 100 paragraphs; one word in 25 is a term form from the glossary."""
    words: list[str] = []
    while len(words) < POST_WORDS:
        if rng.random() < 0.04:
            # Every glossary size meets some of them: a fifth come from the ten commonest terms.
            pool = rng.choice([terms[:10]] + [terms[:1000]] * 3 + [terms])
            entry, forms, case_sensitive = rng.choice(pool)
            form = rng.choice(forms)
            words.append(form if case_sensitive else rng.choice([form, form.capitalize()]))
        else:
            words.append(rng.choice(FILLER))
    paragraphs = []
    for start in range(0, len(words), 50):
        chunk = words[start : start + 50]
        chunk[3] = f"<strong>{chunk[3]}</strong>"
        chunk[9] = f'<a href="/elsewhere/">{chunk[9]}</a>'
        chunk[17] = f"<code>{chunk[17]}</code>"
        chunk[25] = f"{chunk[25]} &amp;"
        paragraphs.append("<p>" + " ".join(chunk) + ".</p>")
    return "\n".join(paragraphs)


class NaiveMatcher:
    """One compiled regular expression per form, each run over every text node."""

    def __init__(self, terms) -> None:
        self.entries = {}
        self.patterns = []
        for entry, forms, case_sensitive in terms:
            self.entries.setdefault(entry.slug, entry)
            for form in forms:
                form = normalise_form(form)
                flags = 0 if case_sensitive and form != form.lower() else re.IGNORECASE
                body = r"\s+".join(re.escape(part) for part in form.split(" "))
                self.patterns.append((re.compile(rf"(?<!\w){body}(?!\w)", flags), entry.slug))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def find(self, text: str):
        found = []
        for pattern, slug in self.patterns:
            for match in pattern.finditer(text):
                found.append((match.start(), -match.end(), slug))
        found.sort()
        position = 0
        for start, negative_end, slug in found:
            if start >= position:
                yield Match(start, -negative_end, slug)
                position = -negative_end


def best_time(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    all_terms = generate_terms(max(SIZES))
    post = generate_post(all_terms)
    print(f"post: {len(re.sub(r'<[^>]+>', '', post).split())} words, {len(post)} characters of HTML")
    times, naive_times = {}, {}
    for size in SIZES:
        terms = all_terms[:size]
        started = time.perf_counter()
        matcher = Matcher(terms)
        build = time.perf_counter() - started
        naive = NaiveMatcher(terms)
        seen: set[str] = set()
        annotated = annotate_html(post, seen, matcher=matcher, every=False)
        naive_annotated = annotate_html(post, set(), matcher=naive, every=False)
        if annotated != naive_annotated:
            raise SystemExit(f"the matchers disagree at {size} terms")
        times[size] = best_time(lambda m=matcher: annotate_html(post, set(), matcher=m, every=False), REPEATS)
        naive_times[size] = best_time(
            lambda m=naive: annotate_html(post, set(), matcher=m, every=False), NAIVE_REPEATS[size]
        )
        print(
            f"terms={size}: one_pass_ms={times[size] * 1000:.1f} naive_ms={naive_times[size] * 1000:.1f} "
            f"speedup={naive_times[size] / times[size]:.1f} build_ms={build * 1000:.1f} "
            f"terms_annotated={len(seen)}"
        )
    print(f"speedup_vs_naive_at_1000_terms: {naive_times[1000] / times[1000]:.1f}")
    print(f"scaling_5000_vs_10: {times[5000] / times[10]:.2f}")


if __name__ == "__main__":
    main()
