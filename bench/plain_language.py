"""Plain-language analysis: a 5,000-word post against a 1,000-term glossary, at most 50 ms.

What is timed is what the checker, the publish summary and the reports run per post: reading the
post's HTML into blocks (extract.py) and the analysis (analysis.py: sentences, syllables, grades,
acronyms, the glossary matcher over every block). The post mixes paragraphs, headings, lists,
links, code and acronyms, defined and not; the glossary's terms are generated, a third of them
case-sensitive acronyms. Best of several runs, each with the syllable memo emptied first, so the
figure is a cold analysis.

Run from the project root: `.venv/bin/python bench/plain_language.py`. No database is needed.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rounds.settings.test")

import django

django.setup()

from glossary.matching import Entry, Matcher  # noqa: E402
from plainlanguage import readability  # noqa: E402
from plainlanguage.analysis import analyse  # noqa: E402
from plainlanguage.extract import blocks  # noqa: E402

POST_WORDS = 5000
TERMS = 1000
REPEATS = 15
BUDGET_MS = 50.0
rng = random.Random(20261201)
TEXT = (
    "the patient nurse waited hours for a call back from clinic and her doctor said that appointment "
    "reminders should offer one simple way to reschedule without waiting on hold discharge medication "
    "instructions were confusing because nobody explained them in plain words our hospital listened"
)
WORDS = TEXT.split(" ")
ACRONYMS = ["EHR", "PHR", "CMS", "HIPAA", "ICU", "MRI", "NPO", "PRN", "ED", "OR"]


def glossary() -> Matcher:
    entries = []
    for n in range(TERMS):
        if n % 3 == 0:
            form = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW") for _ in range(3)) + str(n)
            entries.append((Entry(f"t{n}", form, "", "", f"/glossary/t{n}/"), [form, form + "s"], True))
        else:
            form = " ".join(rng.choice(WORDS) + str(n) for _ in range(1 + n % 2))
            entries.append((Entry(f"t{n}", form, "", "", f"/glossary/t{n}/"), [form], False))
    entries.append((Entry("ehr", "EHR", "", "", "/glossary/ehr/"), ["EHR", "EHRs"], True))
    return Matcher(entries)


def sentence() -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 30))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = rng.choice(ACRONYMS)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def post_html() -> str:
    parts, count = [], 0
    while count < POST_WORDS:
        if count % 400 < 20:
            parts.append(f"<h3>{sentence()}</h3>")
        paragraph = " ".join(sentence() for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.2:
            paragraph += ' See <a href="/glossary/ehr/">EHR</a> and <code>SELECT ICU</code>.'
        parts.append(f"<p>{paragraph}</p>" if rng.random() < 0.8 else f"<ul><li>{paragraph}</li></ul>")
        count += len(paragraph.split())
    return "".join(parts)


def main() -> int:
    matcher = glossary()
    html = post_html()
    times = []
    for _ in range(REPEATS):
        readability.syllables.cache_clear()
        started = time.perf_counter()
        result = analyse(blocks(html, ("/glossary/",)), language="en", matcher=matcher)
        times.append((time.perf_counter() - started) * 1000)
    best = min(times)
    print(
        f"plain language: {result.words} words, {len(matcher)} terms, grade {result.grade}, "
        f"{result.undefined_count} undefined acronyms, {result.long_sentence_count} long sentences"
    )
    median = sorted(times)[REPEATS // 2]
    print(f"  analysis: best {best:.1f} ms, median {median:.1f} ms (budget {BUDGET_MS:.0f} ms)")
    return 0 if best <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
