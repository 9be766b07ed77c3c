"""/glossary/, /glossary/<slug>/ and the glossary in site search."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BlogPageFactory
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]


def test_the_index_lists_terms_a_to_z_with_expansion_and_definition(client, site):
    TermFactory(term="triage", definition="Sorting patients by urgency.")
    TermFactory(term="EHR", expansion="Electronic Health Record", definition="The hospital's record.")
    page = soup(client.get("/glossary/"))
    assert [dt.a.get_text() for dt in page.select(".glossary-list dt")] == ["EHR", "triage"]
    assert "Electronic Health Record" in page.select(".glossary-list dt")[0].get_text()
    assert page.select(".glossary-list dd")[1].get_text() == "Sorting patients by urgency."


def test_the_index_links_only_letters_that_have_terms(client, site):
    TermFactory(term="EHR")
    page = soup(client.get("/glossary/"))
    links = page.select(".glossary-letters a")
    assert [a.get_text() for a in links] == ["E"]
    assert page.find(id=links[0]["href"][1:]).get_text() == "E"


def test_terms_starting_with_a_digit_are_listed_under_hash(client, site):
    TermFactory(term="3D printing", slug="3d-printing")
    page = soup(client.get("/glossary/"))
    assert page.select_one(".glossary-letters a").get_text() == "#"
    assert page.find(id="letter-other") is not None


def test_the_index_has_defined_term_set_json_ld(client, site):
    TermFactory(term="EHR", slug="ehr", expansion="Electronic Health Record")
    data = json_ld(soup(client.get("/glossary/")))
    assert data[0]["@type"] == "DefinedTermSet"
    assert [term["name"] for term in data[0]["hasDefinedTerm"]] == ["EHR"]
    assert data[0]["hasDefinedTerm"][0]["@type"] == "DefinedTerm"


def test_the_index_costs_one_query_however_many_terms(client, site):
    for n in range(20):
        TermFactory(term=f"Term {n}", slug=f"term-{n}")
    with CaptureQueriesContext(connection) as queries:
        page = soup(client.get("/glossary/"))
    assert len(page.select(".glossary-list dt")) == 20
    glossary_queries = [q for q in queries if "glossary_term" in q["sql"]]
    assert len(glossary_queries) == 1


def test_the_index_is_not_annotated(client, site):
    TermFactory(term="EHR", definition="Unlike a PHR.")
    TermFactory(term="PHR", definition="Unlike an EHR.")
    assert soup(client.get("/glossary/")).select("a[data-term]") == []


def test_the_index_with_no_terms_says_so(client, site):
    assert "No terms yet." in soup(client.get("/glossary/")).get_text()


def test_a_term_page_shows_term_expansion_explanation_and_related_terms(client, site):
    phr = TermFactory(term="PHR", slug="phr", expansion="Personal Health Record")
    ehr = TermFactory(
        term="EHR",
        slug="ehr",
        expansion="Electronic Health Record",
        definition="The hospital's record.",
        explanation="<p>Kept by the <b>hospital</b>.</p>",
        related=[phr],
    )
    page = soup(client.get(ehr.get_absolute_url()))
    assert page.h1.get_text() == "EHR"
    assert page.select_one(".glossary-entry__expansion").get_text() == "Electronic Health Record"
    assert page.select_one(".glossary-entry__explanation b").get_text() == "hospital"
    assert [a["href"] for a in page.select(".glossary-related a")] == ["/glossary/phr/"]
    assert json_ld(page)[0]["@type"] == "DefinedTerm"


def test_a_term_page_lists_the_posts_that_use_it(client, site):
    ehr = TermFactory(term="EHR", slug="ehr", case_sensitive=True)
    post = BlogPageFactory(
        parent=site["index"], body=json.dumps([{"type": "paragraph", "value": "<p>Our EHR.</p>"}])
    )
    BlogPageFactory(parent=site["index"], title="Other post")
    titles = [a.get_text() for a in soup(client.get(ehr.get_absolute_url())).select(".post-card__title a")]
    assert titles == [post.title]


def test_an_unknown_term_is_a_404(client, site):
    assert client.get("/glossary/no-such-term/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/glossary/%3Cscript%3E/", "/glossary/a%00b/", "/glossary/" + "x" * 500 + "/"]
)
def test_a_hostile_slug_is_a_404(client, site, path):
    assert client.get(path).status_code == 404


def test_a_hostile_term_is_escaped_on_its_pages(client, site):
    term = TermFactory(
        term="<script>alert(1)</script>",
        slug="evil",
        expansion='"><img src=x onerror=alert(1)>',
        definition="</script><script>alert(2)</script>",
    )
    for url in ("/glossary/", term.get_absolute_url()):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert soup(client.get(url)).find("img", src="x") is None


def test_site_search_finds_terms(client, site):
    TermFactory(term="EHR", slug="ehr", expansion="Electronic Health Record", variants="EHRs")
    TermFactory(term="triage", slug="triage")
    for query in ("ehr", "electronic health", "EHRs"):
        page = soup(client.get("/search/", {"q": query}))
        assert [a["href"] for a in page.select(".glossary-search dt a")] == ["/glossary/ehr/"]


def test_site_search_without_a_matching_term_shows_no_glossary_section(client, site):
    TermFactory(term="EHR")
    assert soup(client.get("/search/", {"q": "voicemail"})).select(".glossary-search") == []


def test_the_header_links_to_the_glossary(client, site):
    assert soup(client.get("/glossary/")).select_one('header nav a[href="/glossary/"]') is not None
