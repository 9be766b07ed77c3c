"""Pages of a long discussion in Chromium: the page links and a later page pass axe, and reading on
needs no JavaScript."""

import pytest

from tests.chromium import assert_accessible
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paged_post(live_site, site, settings):
    """A post whose five threads fill three pages of two."""
    settings.COMMENTS_PER_PAGE = 2
    post = BlogPageFactory(parent=site["index"])
    for number in range(5):
        root = make_comment(post, comment=f"Thread {number} begins here.")
        make_comment(post, parent=root, comment=f"A reply in thread {number}.")
    return live_site + post.url


def test_a_middle_page_of_comments_has_no_wcag_violations(tab, paged_post):
    assert tab.goto(paged_post + "?page=2").status == 200
    assert tab.locator("a[rel=prev]").count() == tab.locator("a[rel=next]").count() == 1
    assert_accessible(tab)


def test_later_comments_are_reached_without_javascript(browser, paged_post):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        tab.goto(paged_post)
        tab.click("a[rel=next]")
        tab.click("a[rel=next]")
        assert "Thread 4 begins here." in tab.locator("#comments").inner_text()
        assert tab.locator("a[rel=next]").count() == 0
    finally:
        context.close()


def test_an_inline_reply_opens_on_a_later_page(tab, paged_post):
    tab.goto(paged_post + "?page=3")
    link = tab.locator("[data-comment-reply]").first
    pk = link.get_attribute("data-comment-reply")
    link.click()
    textarea = tab.locator(f'[data-reply-slot="{pk}"] form textarea')
    assert textarea.evaluate("el => el === document.activeElement")
