import pytest


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the purges a change schedules for after its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
