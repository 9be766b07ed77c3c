"""Public pages run under their enforced Content-Security-Policy without a single violation."""

import pytest

from blog.demo import CUSTOMER_SERVICE_SLUG
from tests.chromium import assert_accessible
from tests.xss_checks import CSP_LISTENER, csp_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PUBLIC_PAGES = ["/", "/blog/", f"/blog/{CUSTOMER_SERVICE_SLUG}/", "/search/?q=appointment", "/no-such-page/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_loads_without_csp_violations(tab, demo, path):
    console_errors = []
    tab.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    tab.add_init_script(CSP_LISTENER)
    response = tab.goto(demo + path)
    assert response.status == (404 if path == "/no-such-page/" else 200)
    assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers
    tab.wait_for_load_state("load")
    assert csp_violations(tab) == []
    assert [text for text in console_errors if "Content Security Policy" in text] == []


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_under_csp_has_no_wcag_violations(tab, demo, path):
    tab.goto(demo + path)
    assert_accessible(tab)


def test_violation_listener_catches_an_inline_script(tab):
    """Guards the guard: an inline script under a self-only policy must be reported."""
    tab.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'"},
            body="<!DOCTYPE html><html lang='en'><body><script>window.ran = 1</script></body></html>",
        ),
    )
    tab.add_init_script(CSP_LISTENER)
    tab.goto("http://csp.test/")
    assert tab.evaluate("window.ran") is None
    assert [v["directive"] for v in csp_violations(tab)] == ["script-src-elem"]
