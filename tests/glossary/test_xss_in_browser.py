"""The XSS corpus in the glossary's terms, in Chromium: on a post's annotations and their tooltips,
the A-Z index and the term pages, no dialog, no `window.__xss`, nothing live left in the DOM. CSP
is bypassed, so the output itself is proved inert (the policy is a second wall, tested in
tests/core/test_csp_in_browser.py)."""

import json

import pytest

from tests.factories import BlogPageFactory, make_site
from tests.glossary.test_xss import EXPANSION_MARKER, hostile_terms
from tests.xss_checks import assert_no_xss_in_browser
from tests.xss_payloads import PAYLOADS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def blog(live_site):
    _home, index = make_site()
    return live_site, index


def test_glossary_payloads_are_inert_in_the_browser(raw_tab, blog):
    base, index = blog
    terms = hostile_terms()
    words = " ".join(f"Hazard{n} and hazard variant {n}." for n in range(len(PAYLOADS)))
    post = BlogPageFactory(
        parent=index,
        body=json.dumps([{"type": "paragraph", "value": f"<p>{words}</p>"}]),
        glossary_enabled=True,
    )
    assert_no_xss_in_browser(raw_tab, base + post.url)
    assert raw_tab.locator("[data-term]").count() >= len(PAYLOADS)
    # Show every tooltip: the script builds them from the annotation's data attributes.
    for link in raw_tab.locator("[data-term]").all()[:20]:
        link.focus()
    assert raw_tab.evaluate("typeof window.__xss") == "undefined"
    forged = raw_tab.evaluate(
        """(marker) => [...document.querySelectorAll('*')].filter(el =>
            el.localName.includes(marker)
            || [...el.attributes].some(a => a.name !== 'data-expansion' && a.value.includes(marker))
        ).length""",
        EXPANSION_MARKER,
    )
    assert forged == 0
    assert_no_xss_in_browser(raw_tab, base + "/glossary/")
    for term in terms[::10]:
        assert_no_xss_in_browser(raw_tab, base + term.get_absolute_url())
