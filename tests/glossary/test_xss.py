"""The XSS corpus in the glossary, checked in the server's HTML: terms carry payloads in their name,
expansion, definition and variants, rendered where they are read: a post's annotations, the A-Z
index and the term's page."""

import json

import pytest

from tests.factories import BlogPageFactory
from tests.glossary.factories import TermFactory
from tests.xss_checks import assert_html_safe, html_problems
from tests.xss_payloads import MARKER, PAYLOADS, readable

pytestmark = pytest.mark.django_db
EXPANSION_MARKER = "xpn4k"


def hostile_terms() -> list:
    terms = []
    for number, payload in enumerate(PAYLOADS):
        text = readable(payload.text)
        terms.append(
            TermFactory(
                term=f"Hazard{number}",
                slug=f"hazard-{number}",
                # The expansion lives, escaped, in the annotation's own data-expansion attribute:
                # its own marker keeps that by-design attribute apart from a forged one.
                expansion=text.replace(MARKER, EXPANSION_MARKER)[:200],
                definition=text[:300],
                variants=f"{text[:100]}\nhazard variant {number}",
            )
        )
        terms.append(TermFactory(term=text[:100], slug=f"hostile-name-{number}", definition=text[:300]))
    return terms


def test_glossary_payloads_are_inert_in_a_post_s_annotations(client, site):
    hostile_terms()
    words = " ".join(f"Hazard{n} and hazard variant {n}." for n in range(len(PAYLOADS)))
    body = json.dumps([{"type": "paragraph", "value": f"<p>{words}</p>"}])
    post = BlogPageFactory(parent=site["index"], body=body, glossary_enabled=True)
    html = client.get(post.url).content.decode()
    assert 'data-term="hazard-0"' in html  # annotated, so the check looked at the annotations
    assert_html_safe(html)
    # The expansion's own marker may sit in data-expansion (by design) and nowhere else.
    problems = [line for line in html_problems(html, EXPANSION_MARKER) if "data-expansion=" not in line]
    assert problems == [], "\n".join(problems)


def test_glossary_payloads_are_inert_on_the_index_and_term_pages(client, site):
    terms = hostile_terms()
    response = client.get("/glossary/")
    assert response.status_code == 200
    assert_html_safe(response.content.decode())
    for term in terms:
        response = client.get(term.get_absolute_url())
        assert response.status_code == 200, term.slug
        assert_html_safe(response.content.decode())
