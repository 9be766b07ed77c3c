import pytest

from tests.factories import BlogPageFactory, make_site


@pytest.fixture
def site(db):
    home, index = make_site()
    return {"home": home, "index": index}


@pytest.fixture
def post(site):
    return BlogPageFactory(parent=site["index"], tags=["scheduling"])
