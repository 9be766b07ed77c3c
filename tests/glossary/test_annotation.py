"""Annotating HTML: exclusions, structure, first-or-every, and the safety of the output."""

import pytest
from bs4 import BeautifulSoup

from glossary.annotation import annotate_html
from tests.glossary.helpers import EHR, HEALTH_RECORD, TRIAGE, matcher, term

GLOSSARY = matcher(EHR, HEALTH_RECORD, TRIAGE)


def annotate(html: str, seen: set[str] | None = None, every: bool = False, glossary=GLOSSARY) -> str:
    return annotate_html(html, set() if seen is None else seen, matcher=glossary, every=every)


def terms_in(html: str) -> list[str]:
    return [link["data-term"] for link in BeautifulSoup(html, "html.parser").select("a[data-term]")]


def test_a_term_becomes_a_link_to_its_page_described_by_its_tooltip():
    link = BeautifulSoup(annotate("<p>Our EHR.</p>"), "html.parser").select_one("a[data-term=ehr]")
    assert link["href"] == "/glossary/ehr/"
    assert link.get_text() == "EHR"
    tip = BeautifulSoup(annotate("<p>Our EHR.</p>"), "html.parser").find(id=link["aria-describedby"])
    assert tip["role"] == "tooltip"
    assert tip.get_text() == "Electronic Health Record: The hospital's record of a patient's care."


def test_the_tooltip_is_hidden_until_the_script_shows_it():
    tip = BeautifulSoup(annotate("<p>EHR</p>"), "html.parser").select_one("[role=tooltip]")
    assert tip.has_attr("hidden")


def test_the_link_carries_the_expansion_for_print():
    link = BeautifulSoup(annotate("<p>EHR</p>"), "html.parser").select_one("a[data-term]")
    assert link["data-expansion"] == "Electronic Health Record"


def test_a_term_without_expansion_has_no_expansion_attribute():
    link = BeautifulSoup(annotate("<p>triage</p>"), "html.parser").select_one("a[data-term]")
    assert not link.has_attr("data-expansion")


def test_no_inline_script_or_style_in_the_markup():
    html = annotate("<p>EHR and triage</p>")
    assert "style=" not in html and "<script" not in html and " on" not in html.replace(" only", "")


def test_only_the_first_occurrence_is_annotated_in_first_mode():
    assert terms_in(annotate("<p>EHR, EHR</p><p>EHR</p>")) == ["ehr"]


def test_every_occurrence_is_annotated_in_every_mode_with_one_tooltip():
    soup = BeautifulSoup(annotate("<p>EHR, EHR</p><p>EHRs</p>", every=True), "html.parser")
    assert [a["data-term"] for a in soup.select("a[data-term]")] == ["ehr"] * 3
    assert len(soup.select("[role=tooltip]")) == 1
    assert {a["aria-describedby"] for a in soup.select("a[data-term]")} == {
        soup.select_one("[role=tooltip]")["id"]
    }


def test_seen_carries_first_occurrence_across_calls():
    seen: set[str] = set()
    annotate("<p>EHR</p>", seen)
    assert seen == {"ehr"}
    assert terms_in(annotate("<p>EHR and triage</p>", seen)) == ["triage"]


@pytest.mark.parametrize(
    "html",
    [
        "<h2>EHR</h2>",
        "<h3>About <em>EHR</em></h3>",
        '<a href="/x">EHR</a>',
        "<code>EHR</code>",
        "<pre>EHR</pre>",
        '<abbr title="Electronic Health Record">EHR</abbr>',
        "<dfn>EHR</dfn>",
        "<button>EHR</button>",
        "<script>var EHR = 1;</script>",
        "<style>.EHR {}</style>",
        "<textarea>EHR</textarea>",
        "<div data-glossary-skip><p>EHR</p></div>",
    ],
)
def test_excluded_elements_are_left_alone(html):
    assert annotate(html) == html


def test_text_after_an_excluded_element_is_annotated():
    assert terms_in(annotate("<p><code>EHR</code> and our EHR</p>")) == ["ehr"]
    assert annotate("<p><code>EHR</code> and our EHR</p>").startswith("<p><code>EHR</code> and our ")


def test_attributes_are_never_touched():
    html = '<p><img alt="EHR" src="/EHR.png" title="triage"> text</p>'
    assert annotate(html) == html


def test_comments_and_declarations_pass_through():
    html = "<!-- EHR --><p>plain</p>"
    assert annotate(html) == html


def test_untouched_html_comes_back_byte_for_byte():
    html = "<p>Caf&eacute; &amp; bar &#169; &nbsp;<br/> <b>x</b></p>"
    assert annotate(html) is html


def test_nested_markup_keeps_its_structure():
    html = "<ul><li><p>An <strong>EHR <em>and</em></strong> triage</p></li></ul>"
    out = annotate(html)
    soup = BeautifulSoup(out, "html.parser")
    assert soup.select_one("strong a[data-term=ehr]") is not None
    assert soup.select_one("p > span > a[data-term=triage]") is not None
    assert soup.get_text() == BeautifulSoup(html, "html.parser").get_text().replace(
        "EHR", "EHR" + "Electronic Health Record: The hospital's record of a patient's care."
    ).replace("triage", "triage" + "About triage.")


def test_entities_in_text_stay_escaped():
    out = annotate("<p>&lt;b&gt;EHR&lt;/b&gt; &amp; triage</p>")
    assert "<b>" not in out
    assert "&lt;b&gt;" in out and "&amp; " in out


def test_a_term_spelled_with_entities_is_found():
    assert terms_in(annotate("<p>electronic&nbsp;health record</p>")) == ["ehr"]


def test_a_term_inside_a_comment_cannot_inject_markup():
    # A comment's text arrives escaped; whatever it says, annotation adds only our own elements.
    comment = (
        "<p>EHR &lt;img src=x onerror=alert(1)&gt; &lt;/span&gt;&lt;/a&gt;"
        "&lt;script&gt;EHR&lt;/script&gt;</p>"
    )
    soup = BeautifulSoup(annotate(comment, every=True), "html.parser")
    assert soup.find("img") is None and soup.find("script") is None
    assert {tag.name for tag in soup.find_all(True)} == {"p", "span", "a"}


def test_a_hostile_term_definition_and_expansion_are_escaped():
    hostile = term(
        "evil",
        "EVIL",
        expansion='"><script>alert(1)</script>',
        definition="<img src=x onerror=alert(1)>",
        case_sensitive=True,
    )
    soup = BeautifulSoup(annotate("<p>EVIL</p>", glossary=matcher(hostile)), "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.select_one("a[data-term]")["data-expansion"] == '"><script>alert(1)</script>'


def test_unclosed_excluded_element_protects_the_rest_rather_than_breaking_it():
    html = "<p><a href='/x'>link EHR</p><p>EHR"
    assert annotate(html) == html


def test_stray_end_tags_do_not_end_an_exclusion():
    html = "<h2>EHR</em> EHR</h2>"
    assert annotate(html) == html


def test_an_empty_document_is_returned_as_is():
    assert annotate("") == ""


def test_without_terms_the_html_is_returned_unchanged():
    assert annotate("<p>EHR</p>", glossary=matcher()) == "<p>EHR</p>"
