import pytest


@pytest.fixture(autouse=True)
def _cache_on(settings):
    """The page cache's own tests pin its lifetime instead of taking PAGE_CACHE_SECONDS from the
    environment the suite runs in (where 0 would turn the cache off under them)."""
    settings.PAGE_CACHE_SECONDS = 300
