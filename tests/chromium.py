"""Real Chromium (Debian's) driven by Playwright, with axe-core injected from node_modules.

A pytest plugin, registered by tests/conftest.py, so that the browser tests live beside the other
tests of their app and every folder shares one Chromium per worker: a second sync_playwright() in
the same process fails inside the first one's event loop. Every test that drives the browser (the
`browser` fixture, directly or through `tab` or `raw_tab`) carries the `browser` marker.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from tests.factories import ensure_migrated_rows

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def axe_violations(page) -> list[dict]:
    """Run axe-core's WCAG 2.2 A/AA rules on the page; injected by evaluate, so CSP does not block it."""
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.html)}));
        }""",
        WCAG_TAGS,
    )


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes'][:3]}" for v in violations)


@pytest.fixture(scope="session")
def browser():
    missing = [str(path) for path in (CHROMIUM, AXE_JS) if not path.exists()]
    if missing:
        message = f"browser tests need {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)  # never a silent skip in CI
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def raw_tab(browser):
    """A tab that ignores CSP, so only the page's own escaping stands between payload and script."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def live_site(transactional_db, live_server) -> str:
    """A live server over a database holding what migrations create.

    Browser tests need committed data, so they are transactional; each ends with a flush that
    also wipes the rows migrations made (the root page, the default locale). Django's
    serialized_rollback cannot bring them back here (its snapshot hangs on a connection object
    that Playwright's event loop replaces), so the few rows the site needs are made again.
    """
    ensure_migrated_rows()
    return live_server.url


@pytest.fixture
def demo(live_site) -> str:
    """The live server's address, serving the demo content (seed_demo)."""
    call_command("seed_demo")
    return live_site
