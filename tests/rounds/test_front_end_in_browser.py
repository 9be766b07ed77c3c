"""What Lighthouse checks on the eight pages of issue 24 that does not depend on timing, in Chromium:
a clean console (no errors, no CSP violation), no failed request, the head a search engine and a
phone read (description, language, viewport, an icon that loads). bench/lighthouse.py gives the
scores themselves."""

import pytest

from blog.demo import CUSTOMER_SERVICE_SLUG
from tests.xss_checks import CSP_LISTENER, csp_violations

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "/": "en",
    f"/blog/{CUSTOMER_SERVICE_SLUG}/": "en",
    "/glossary/": "en",
    "/changes/": "en",
    "/es/": "es",
    "/es/blog/tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita/": "es",
    "/es/glossary/": "es",
    "/es/changes/": "es",
}


@pytest.fixture
def loaded(tab, demo):
    """Open a page with its console errors and failed requests recorded; returns them."""
    problems = {"console": [], "requests": []}
    tab.on("console", lambda message: message.type == "error" and problems["console"].append(message.text))
    tab.on("requestfailed", lambda request: problems["requests"].append(f"failed {request.url}"))

    def answered(response) -> None:
        if response.status >= 400:
            problems["requests"].append(f"{response.status} {response.url}")

    tab.on("response", answered)
    tab.add_init_script(CSP_LISTENER)

    def load(path: str) -> dict:
        assert tab.goto(demo + path).status == 200
        tab.wait_for_load_state("load")
        return problems

    return load


@pytest.mark.parametrize("path", list(PAGES))
def test_the_page_loads_with_a_clean_console_and_no_failed_request(tab, loaded, path):
    problems = loaded(path)
    assert problems["console"] == []
    assert problems["requests"] == []
    assert csp_violations(tab) == []


@pytest.mark.parametrize("path", list(PAGES))
def test_the_head_has_language_description_viewport_and_an_icon(tab, loaded, path):
    loaded(path)
    assert tab.evaluate("document.documentElement.lang") == PAGES[path]
    assert tab.locator("title").inner_text().strip()
    description = tab.locator("meta[name=description]").get_attribute("content")
    assert description and len(description.strip()) > 20
    assert "width=device-width" in tab.locator("meta[name=viewport]").get_attribute("content")
    assert tab.locator("meta[name=robots][content*=noindex]").count() == 0
    # Headless Chromium asks for no icon, but a reader's browser (and Lighthouse) does: a page that
    # named none would get /favicon.ico, a 404 logged in its console.
    icon = tab.evaluate("document.querySelector('link[rel=icon]').href")
    assert tab.request.get(icon).status == 200
