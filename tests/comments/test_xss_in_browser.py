"""The XSS corpus on the real comment pages, in Chromium: no dialog, no `window.__xss`, nothing
live left in the DOM. CSP is bypassed, so the output itself is proved
inert (the policy is a second wall, tested in tests/core/test_csp_in_browser.py)."""

import pytest
from django.test import Client

from comments import moderation
from comments.models import Comment
from glossary import registry
from tests.comments.conftest import form_data
from tests.comments.test_xss import NAME_MAX, URL
from tests.factories import BlogPageFactory, make_site
from tests.xss_checks import assert_no_xss_in_browser
from tests.xss_payloads import PAYLOADS, readable

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
