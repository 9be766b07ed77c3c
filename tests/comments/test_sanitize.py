"""comment_html: plain text in, only paragraphs, line breaks and safe links out."""

import pytest
from bs4 import BeautifulSoup

from comments.sanitize import LINK_REL, _safe_href, comment_html


def parse(text: str) -> BeautifulSoup:
    return BeautifulSoup(comment_html(text), "html.parser")


def test_paragraphs_and_line_breaks_are_kept():
    soup = parse("First line\nsecond line\n\nNew paragraph")
    assert [p.get_text() for p in soup.find_all("p")] == ["First linesecond line", "New paragraph"]
    assert soup.find("br") is not None


def test_urls_become_links_with_ugc_rel():
    link = parse("See https://example.org/waits?a=1&b=2 please").find("a")
    assert link["href"] == "https://example.org/waits?a=1&b=2"
    assert link["rel"] == LINK_REL.split()


def test_www_address_becomes_an_absolute_http_link():
    assert parse("www.example.org").find("a")["href"] == "http://www.example.org"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/p.gif">',
        '<a href="javascript:alert(1)">x</a>',
        '<p id="comments" class="admin" data-x="1" onclick="alert(1)">forged</p>',
        "javascript\u200b:alert(1)",
        "[click](javascript:alert(1))",
    ],
)
def test_markup_in_a_comment_is_shown_as_text_never_obeyed(text):
    soup = parse(text)
    assert soup.find(["script", "img"]) is None
    for tag in soup.find_all(True):
        assert set(tag.attrs) <= {"href", "rel"}
        assert not tag.get("href", "https:").lower().startswith("javascript")


def test_bidirectional_override_characters_are_removed():
    assert "\u202e" not in comment_html("gnp.\u202eexe")


def test_a_link_hiding_invisible_characters_in_its_scheme_is_dropped():
    assert _safe_href("java\u200bscript:alert(1)") is None
    assert _safe_href("mailto:someone@example.org") == "mailto:someone@example.org"
    assert _safe_href("//example.org/relative") is None


def test_result_is_cached_per_text_revision():
    assert comment_html("Same text") == comment_html("Same text")
    assert comment_html("Edited text") != comment_html("Same text")
