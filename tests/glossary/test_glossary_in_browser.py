"""Glossary tooltips in Chromium: keyboard, Escape, hover, print, and axe-core."""

import json

import pytest

from tests.chromium import assert_accessible
from tests.factories import BlogPageFactory, make_site
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEFINITION = "The hospital's own record of a patient's care, shared between its departments."


@pytest.fixture
def post_url(live_site):
    _, index = make_site()
    TermFactory(
        term="EHR",
        slug="ehr",
        expansion="Electronic Health Record",
        definition=DEFINITION,
        variants="electronic health record",
        case_sensitive=True,
    )
    TermFactory(term="triage", slug="triage", definition="Deciding who is seen first, by urgency.")
    post = BlogPageFactory(
        parent=index,
        body=json.dumps(
            [
                {"type": "paragraph", "value": "<p>Our EHR does not talk to the clinic's calendar.</p>"},
                {"type": "paragraph", "value": "<p>At triage, the nurse reads the EHR first.</p>"},
            ]
        ),
    )
    return live_site + post.url


def tab_to_term(tab, slug: str = "ehr") -> None:
    for _ in range(40):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.dataset.term") == slug:
            return
    raise AssertionError(f"Tab never reached the term {slug!r}")


def tooltip(tab, slug: str = "ehr"):
    return tab.locator(f"#glossary-tip-{slug}")


def test_tab_to_a_term_shows_its_definition(tab, post_url):
    tab.goto(post_url)
    assert not tooltip(tab).is_visible()
    tab_to_term(tab)
    assert tooltip(tab).is_visible()
    assert tooltip(tab).inner_text() == f"Electronic Health Record: {DEFINITION}"


def test_the_term_is_described_by_its_tooltip(tab, post_url):
    tab.goto(post_url)
    link = tab.locator("a[data-term=ehr]")
    assert link.get_attribute("aria-describedby") == "glossary-tip-ehr"
    assert tooltip(tab).get_attribute("role") == "tooltip"


def test_escape_hides_the_tooltip_without_moving_focus(tab, post_url):
    tab.goto(post_url)
    tab_to_term(tab)
    tab.keyboard.press("Escape")
    assert not tooltip(tab).is_visible()
    assert tab.evaluate("document.activeElement.dataset.term") == "ehr"


def test_the_tooltip_hides_when_focus_moves_on(tab, post_url):
    tab.goto(post_url)
    tab_to_term(tab)
    tab.keyboard.press("Tab")
    assert not tooltip(tab).is_visible()


def test_hovering_a_term_shows_its_definition(tab, post_url):
    tab.goto(post_url)
    tab.hover("a[data-term=ehr]")
    assert tooltip(tab).is_visible()


def test_the_pointer_can_move_onto_the_tooltip_without_it_closing(tab, post_url):
    tab.goto(post_url)
    tab.hover("a[data-term=ehr]")
    tooltip(tab).hover()
    tab.wait_for_timeout(500)  # longer than the script's hide delay
    assert tooltip(tab).is_visible()


def test_the_tooltip_stays_while_hovered_and_goes_when_the_pointer_leaves(tab, post_url):
    tab.goto(post_url)
    tab.hover("a[data-term=ehr]")
    tab.wait_for_timeout(800)
    assert tooltip(tab).is_visible()  # persistent: no timeout while hovered
    tab.mouse.move(5, 5)
    tooltip(tab).wait_for(state="hidden")


def test_escape_dismisses_a_hovered_tooltip(tab, post_url):
    tab.goto(post_url)
    tab.hover("a[data-term=ehr]")
    tab.keyboard.press("Escape")
    assert not tooltip(tab).is_visible()


def test_without_javascript_the_term_is_a_link_to_its_page(browser, post_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(post_url)
        page.click("a[data-term=ehr]")
        assert page.url.endswith("/glossary/ehr/")
        assert page.locator("h1").inner_text() == "EHR"
    finally:
        context.close()


def test_a_printed_post_shows_the_expansion_in_brackets(tab, post_url):
    tab.goto(post_url)
    tab.emulate_media(media="print")
    after = tab.evaluate("getComputedStyle(document.querySelector('a[data-term=ehr]'), '::after').content")
    assert after == '" (Electronic Health Record)"'


def test_a_post_with_terms_has_no_wcag_violations(tab, post_url):
    tab.goto(post_url)
    assert_accessible(tab)


def test_a_post_with_a_tooltip_open_has_no_wcag_violations(tab, post_url):
    tab.goto(post_url)
    tab_to_term(tab)
    assert_accessible(tab)


def test_the_glossary_index_has_no_wcag_violations(tab, post_url):
    response = tab.goto(post_url.split("/blog/")[0] + "/glossary/")
    assert response.status == 200
    assert_accessible(tab)


def test_a_term_page_has_no_wcag_violations(tab, post_url):
    response = tab.goto(post_url.split("/blog/")[0] + "/glossary/ehr/")
    assert response.status == 200
    assert_accessible(tab)


def test_an_open_tooltip_stays_on_a_phone_screen(tab, post_url):
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto(post_url)
    # Push every term to the right edge, where a tooltip would overflow if left where it opens.
    tab.evaluate("document.querySelectorAll('.post__body p').forEach(p => { p.style.textAlign = 'right'; })")
    links = tab.locator("a[data-term]").all()
    assert len(links) == 2  # EHR and triage (first occurrences): each is checked, none skipped
    for link in links:
        link.hover()
        box = tab.locator(f"#{link.get_attribute('aria-describedby')}").bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 360
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_search_with_glossary_results_has_no_wcag_violations(tab, post_url):
    response = tab.goto(post_url.split("/blog/")[0] + "/search/?q=EHR")
    assert response.status == 200
    assert tab.locator(".glossary-search a[href='/glossary/ehr/']").is_visible()
    assert_accessible(tab)
