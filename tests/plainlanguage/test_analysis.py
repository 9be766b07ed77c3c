"""What counts as undefined jargon, long sentences, the hardest sentences, and hostile input."""

import time

from glossary.matching import Entry, Matcher
from plainlanguage.analysis import acronyms, analyse
from plainlanguage.extract import blocks


def matcher(*terms: str) -> Matcher:
    return Matcher([(Entry(t.lower(), t, "", "", f"/glossary/{t.lower()}/"), [t], True) for t in terms])


def undefined(html: str, glossary: Matcher | None = None, **options) -> list[str]:
    result = analyse(blocks(html, ("/glossary/",)), matcher=glossary, **options)
    return [item["term"] for item in result.undefined]


def test_an_acronym_the_glossary_lacks_is_listed_once_with_its_count_and_paragraphs():
    result = analyse(blocks("<p>The PHR and the EHR.</p><p>Open your PHR.</p>"), matcher=matcher("EHR"))
    assert result.undefined == [{"term": "PHR", "count": 2, "paragraphs": [1, 2]}]
    assert result.defined == [{"slug": "ehr", "term": "EHR", "count": 1}]


def test_a_plural_is_the_acronym_and_a_defined_acronym_covers_its_plural():
    assert undefined("<p>Two PHRs.</p>") == ["PHR"]
    assert undefined("<p>Two EHRs.</p>", matcher("EHR")) == []


def test_roman_numerals_are_not_jargon():
    assert undefined("<p>Part II and chapter XIV of the MCMXC report.</p>") == []


def test_two_letter_numerals_that_are_medical_abbreviations_still_count():
    assert undefined("<p>After an MI, see an MD.</p>") == ["MD", "MI"]


def test_units_are_not_jargon():
    assert undefined("<p>Take 5 mL, 10 IU, or 2 mg; pressure in mmHg.</p>") == []


def test_headings_written_in_capitals_are_not_jargon():
    assert undefined("<h2>WHAT WE HEARD FROM YOU</h2><p>Nothing else.</p>") == []
    assert undefined("<h2>About the PHR</h2>") == ["PHR"]


def test_code_is_not_jargon_nor_read_for_the_grade():
    result = analyse(blocks("<p>Run <code>SELECT FROM EMR_TABLE</code> now.</p><pre>HTTP GET</pre>"))
    assert result.undefined == []
    assert result.words == 2


def test_terms_inside_a_glossary_link_are_not_jargon():
    html = '<p>See the <a href="/glossary/phr/">PHR</a> and <a href="/about/">CMS</a>.</p>'
    assert undefined(html) == ["CMS"]


def test_common_capitals_from_settings_are_not_jargon():
    assert undefined("<p>OK, the TV in the US is on.</p>") == []
    assert undefined("<p>OK, the ICU.</p>", common_capitals={"ICU"}) == ["OK"]


def test_a_word_with_one_capital_is_not_an_acronym():
    assert acronyms("Patients in March saw Dr Lee.") == []


def test_long_sentences_are_those_over_the_limit():
    long = " ".join(["word"] * 26) + "."
    short = " ".join(["word"] * 25) + "."
    result = analyse(blocks(f"<p>{long} {short.capitalize()}</p>"), long_sentence_words=25)
    assert result.long_sentence_count == 1
    assert result.long_sentences[0]["words"] == 26


def test_the_three_hardest_sentences_come_hardest_first():
    html = (
        "<p>I sat. The cat ran off.</p><p>Comprehensive institutional communication failed.</p>"
        "<p>We ate lunch together outside.</p><p>Interoperability remains problematic.</p>"
    )
    hardest = analyse(blocks(html)).hardest
    assert len(hardest) == 3
    assert [s["grade"] for s in hardest] == sorted((s["grade"] for s in hardest), reverse=True)
    assert hardest[0]["paragraph"] in {2, 4}


def test_each_paragraph_has_its_grade_and_headings_are_not_paragraphs():
    result = analyse(blocks("<h2>Title</h2><p>One two three.</p><p>Four five six.</p>"))
    assert [p["number"] for p in result.paragraphs] == [1, 2]


def test_over_target_compares_the_grade_with_the_target():
    memo = "<p>Consequently, administrators authorized comprehensive institutional modifications.</p>"
    assert analyse(blocks(memo), target=8).over_target
    assert not analyse(blocks("<p>I sat down.</p>"), target=8).over_target


def test_markup_and_scripts_inside_the_text_stay_text():
    result = analyse(blocks("<p>&lt;script&gt;alert('XSS')&lt;/script&gt; and <script>BAD()</script>.</p>"))
    assert result.paragraphs[0]["excerpt"].startswith("<script>alert('XSS')</script>")
    assert "BAD" not in result.paragraphs[0]["excerpt"]
    assert [item["term"] for item in result.undefined] == ["XSS"]


def test_deep_markup_and_a_huge_post_are_analysed_quickly():
    deep = "<div>" * 20000 + "<p>The EHR works.</p>" + "</div>" * 20000
    assert analyse(blocks(deep)).undefined[0]["term"] == "EHR"
    huge = "<p>" + "The patient waited for the doctor in the hall. " * 20000 + "</p>"
    started = time.perf_counter()
    result = analyse(blocks(huge))
    assert result.words == 180000
    assert len(result.long_sentences) == 0
    assert time.perf_counter() - started < 10
    assert len(result.paragraphs[0]["excerpt"]) <= 240


def test_an_empty_post_has_no_grade_and_is_not_over_target():
    result = analyse(blocks(""))
    assert result.grade == 0.0
    assert not result.over_target
