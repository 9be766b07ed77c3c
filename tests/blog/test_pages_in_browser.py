import pytest

from blog.demo import CUSTOMER_SERVICE_SLUG
from tests.chromium import assert_accessible, axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/", "/blog/", f"/blog/{CUSTOMER_SERVICE_SLUG}/", "/search/?q=appointment"])
def test_page_has_no_wcag_violations(tab, demo, path):
    response = tab.goto(demo + path)
    assert response.status == 200
    assert_accessible(tab)


def test_skip_link_moves_focus_to_main_content(tab, demo):
    tab.goto(demo + "/")
    tab.keyboard.press("Tab")
    skip = tab.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    assert skip.is_visible()  # it appears when focused
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_post_is_readable_on_a_phone(tab, demo):
    tab.set_viewport_size({"width": 360, "height": 740})
    tab.goto(f"{demo}/blog/{CUSTOMER_SERVICE_SLUG}/")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_axe_check_catches_a_real_violation(tab):
    """Guards the guard: the helper must fail on a page with a known WCAG failure."""
    tab.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')

    assert "image-alt" in {v["id"] for v in axe_violations(tab)}
