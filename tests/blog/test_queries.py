"""Listings run a fixed number of queries whatever they show.

These count what a render costs, so the page cache is off: with it on, the second request is a hit
that runs no query at all, whatever the listing.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AuthorFactory, BlogPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.no_page_cache]


def _queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_posts(index, count: int) -> None:
    for n in range(count):
        BlogPageFactory(
            parent=index,
            date=datetime.date(2025, 12, 15),
            authors=[AuthorFactory(), AuthorFactory()],
            tags=[f"t{n}", f"u{n}", "shared"],
        )


@pytest.mark.parametrize(
    "url",
    ["/", "/blog/", "/blog/tag/shared/", "/blog/2025/12/", "/blog/feed/", "/sitemap.xml", "/search/?q=post"],
)
def test_listing_query_count_does_not_grow_with_posts(client, site, url):
    _add_posts(site["index"], 1)
    few = _queries(client, url)
    _add_posts(site["index"], 9)
    assert _queries(client, url) == few


def test_post_query_count_does_not_grow_with_tags_or_authors(client, site):
    small = BlogPageFactory(parent=site["index"], tags=["a"])
    large = BlogPageFactory(
        parent=site["index"], authors=[AuthorFactory() for _ in range(5)], tags=[f"tag{n}" for n in range(12)]
    )
    assert _queries(client, large.url) == _queries(client, small.url)
