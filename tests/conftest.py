import pytest
from django.conf import settings
from django.core.cache import caches

from pagecache import tiers
from tests.factories import BlogPageFactory, make_site

# Chromium through Playwright: the browser fixtures, the `browser` marker and the axe-core checks.
pytest_plugins = ["tests.chromium"]


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
        settings.HELPFUL_RATE_LIMITS = []


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
