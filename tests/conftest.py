import os

import pytest
from django.conf import settings
from django.core.cache import caches

from pagecache import tiers
from tests.browser.conftest import AXE_JS, CHROMIUM, CHROMIUM_ARGS
from tests.factories import BlogPageFactory, make_site


@pytest.fixture(autouse=True)
def _empty_caches():
    """Caches outlive each test's database rollback; every test starts with all of them empty."""
    for alias in settings.CACHES:
        caches[alias].clear()
    tiers.local_tier().clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()
    tiers.local_tier().clear()


@pytest.fixture(autouse=True)
def _production_switches(request, settings):
    """The suite runs with production's page cache, comment-list cache and rate limits. A test that
    needs one off says so with a marker, and why in its docstring or module docstring."""
    if request.node.get_closest_marker("no_page_cache"):
        settings.PAGE_CACHE_SECONDS = 0
        settings.COMMENT_LIST_CACHE_SECONDS = 0
    if request.node.get_closest_marker("no_rate_limits"):
        settings.COMMENT_RATE_LIMITS = []


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a change schedules for after its transaction commits (purges, notifications)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def stamp_queries() -> int:
    """The queries a page-cache hit makes to read the purge stamps: one when they are database rows,
    none when they live in Redis (REDIS_URL: CI's third run)."""
    return 1 if settings.PAGE_CACHE_STAMPS == "database" else 0


@pytest.fixture
def site(db):
    home, index = make_site()
    return {"home": home, "index": index}


@pytest.fixture
def post(site):
    return BlogPageFactory(parent=site["index"], tags=["scheduling"])


# Browser fixtures live here, not in tests/browser/, so that every directory shares one Chromium per
# worker: a second sync_playwright() in the same process fails inside the first one's event loop.
@pytest.fixture(scope="session")
def browser():
    missing = [str(path) for path in (CHROMIUM, AXE_JS) if not path.exists()]
    if missing:
        message = f"browser tests need {', '.join(missing)} (make test installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)  # never a silent skip in CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

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
    from tests.factories import ensure_migrated_rows

    ensure_migrated_rows()
    return live_server.url
