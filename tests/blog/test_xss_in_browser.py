"""The XSS corpus in Chromium: no dialog, no `window.__xss`, nothing live left in the DOM.

The pages are loaded with the Content-Security-Policy bypassed, so these tests prove the output
itself is inert; the policy is a second wall, tested on its own in test_csp_in_browser.py.
"""

from urllib.parse import urlencode

import pytest

from tests.blog.test_xss import as_stored, body_json, editor_rich_text
from tests.factories import AuthorFactory, BlogPageFactory, make_site
from tests.xss_checks import assert_no_xss_in_browser
from tests.xss_payloads import HOSTILE_URLS, PAYLOADS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def blog(live_site):
    home, index = make_site()
    return live_site, index


def test_browser_check_catches_a_live_payload(raw_tab):
    """Guards the guard: a page that runs a payload must fail the check."""
    raw_tab.route(
        "http://xss.test/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body="<!DOCTYPE html><html><body><img src=x onerror='alert(1);window.__xss=1'></body></html>",
        ),
    )
    with pytest.raises(AssertionError, match="dialog"):
        assert_no_xss_in_browser(raw_tab, "http://xss.test/")


def test_search_echo_of_every_payload_is_inert(raw_tab, blog):
    base, _ = blog
    for payload in PAYLOADS:
        assert_no_xss_in_browser(raw_tab, f"{base}/search/?{urlencode({'q': payload.text})}")


def test_editor_content_carrying_every_payload_is_inert(raw_tab, blog):
    base, index = blog
    posts = []
    for number, payload in enumerate(PAYLOADS):
        text = as_stored(payload.text)
        author = AuthorFactory(name=text[:120], bio=text, slug=f"hostile-{number}")
        posts.append(
            BlogPageFactory(
                parent=index,
                title=text[:255],
                intro=text[:300],
                authors=[author],
                body=body_json(editor_rich_text(text)),
            )
        )
    pages = -(-len(posts) // 10)
    urls = [f"/blog/?page={n}" for n in range(1, pages + 1)]
    urls += [post.url for post in posts]
    urls += [f"/blog/author/hostile-{number}/" for number in range(len(PAYLOADS))]
    for url in urls:
        assert_no_xss_in_browser(raw_tab, base + url)


def test_editor_links_to_hostile_urls_never_run(raw_tab, blog):
    base, index = blog
    links = [editor_rich_text(f"link {number}", url) for number, url in enumerate(HOSTILE_URLS)]
    post = BlogPageFactory(parent=index, body=body_json(*links))
    assert_no_xss_in_browser(raw_tab, base + post.url)
    # Wagtail keeps hrefs such as "java\u200bscript:..."; Chromium must read them as relative paths.
    protocols = raw_tab.eval_on_selector_all(
        ".post__body a[href]", "links => links.map(a => new URL(a.href).protocol)"
    )
    assert protocols, "the invisible-character links should have survived, as relative links"
    assert set(protocols) <= {"http:", "https:"}
