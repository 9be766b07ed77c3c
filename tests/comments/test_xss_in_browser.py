"""The XSS corpus on the real comment and glossary pages, in Chromium: no dialog, no
`window.__xss`, nothing live left in the DOM. CSP is bypassed, so the output itself is proved
inert (the policy is a second wall, tested in tests/core/test_csp_in_browser.py)."""

import json

import pytest
from django.test import Client

from comments import moderation
from comments.models import Comment
from glossary import registry
from tests.comments.conftest import form_data
from tests.comments.test_xss import EXPANSION_MARKER, NAME_MAX, URL, hostile_terms, readable
from tests.factories import BlogPageFactory, make_site
from tests.xss_checks import assert_no_xss_in_browser
from tests.xss_payloads import PAYLOADS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def blog(live_site):
    registry.forget()
    _home, index = make_site()
    yield live_site, index
    registry.forget()


@pytest.mark.no_rate_limits  # posts the whole corpus from one address
def test_every_payload_posted_through_the_form_is_inert_in_the_browser(
    raw_tab, blog, django_user_model, settings
):
    base, index = blog
    settings.COMMENTS_PER_PAGE = len(PAYLOADS)  # the whole corpus on one page of comments
    post = BlogPageFactory(parent=index)
    reader = Client()
    for payload in PAYLOADS:
        data = form_data(post, comment=readable(payload.text), name=readable(payload.text)[:NAME_MAX])
        assert reader.post(URL, data).status_code == 302, payload.name
    moderator = django_user_model.objects.create_superuser("moderator", "m@example.org", "pw")
    for comment in Comment.objects.select_related("moderation"):
        moderation.approve(comment.moderation, moderator)
    distinct = len({readable(p.text) for p in PAYLOADS})  # a payload sent twice is stored once
    assert Comment.objects.published().count() == distinct
    assert_no_xss_in_browser(raw_tab, base + post.url)
    assert raw_tab.locator("article.comment").count() == distinct


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
