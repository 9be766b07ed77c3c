import pytest
from django.core.cache import cache

from tests.factories import BlogPageFactory, make_site


@pytest.fixture(autouse=True)
def _empty_cache():
    """The local-memory cache outlives each test's database rollback; start every test empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    home, index = make_site()
    return {"home": home, "index": index}


@pytest.fixture
def post(site):
    return BlogPageFactory(parent=site["index"], tags=["scheduling"])
