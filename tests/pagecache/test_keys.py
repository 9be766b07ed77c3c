"""Bounded keys: only a listing's real page numbers vary a cached page; junk adds nothing."""

import pytest

from pagecache import tiers
from pagecache.keys import order_value, register_order
from pagecache.models import PageCacheStamp
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

JUNK = [
    "abc", "0", "00", "02", "-1", "2.0", "1e3", "%00", "９", "²", "99999999", "3", "",
    "2 ", "+2", "0x2", "2/", "NaN", "∞", "'", '"><script>', "1" * 500,
]  # fmt: skip


@pytest.fixture
def listing(site):
    for _ in range(12):  # two pages of posts
        BlogPageFactory(parent=site["index"])
    return "/blog/"


def test_many_junk_page_values_share_at_most_the_first_pages_entry(client, listing):
    client.get(listing)
    entries = len(tiers.local_tier())
    for junk in JUNK:
        assert client.get(listing, {"page": junk}).status_code in (200, 404)
    assert len(tiers.local_tier()) == entries


def test_junk_query_strings_add_no_entry(client, listing, post):
    client.get(listing)
    client.get(post.url)
    entries = len(tiers.local_tier())
    for n in range(40):
        client.get(listing, {f"utm_{n}": "x", "c": str(n), "fbclid": "y" * n})
        client.get(post.url, {"page": str(n), "q": "z" * n})
    assert len(tiers.local_tier()) == entries


def test_a_real_page_number_has_its_own_entry(client, listing):
    client.get(listing)
    entries = len(tiers.local_tier())
    assert client.get(listing, {"page": "2"})["X-Page-Cache"] == "miss"
    assert client.get(listing, {"page": "2"})["X-Page-Cache"] == "hit"
    assert len(tiers.local_tier()) == entries + 1


def test_page_numbers_on_a_page_that_does_not_paginate_add_no_entry(client, post):
    client.get(post.url)
    entries = len(tiers.local_tier())
    for n in range(2, 30):
        client.get(post.url, {"page": str(n)})
    assert len(tiers.local_tier()) == entries


def test_unknown_paths_leave_no_stamp_behind(client, site):
    before = PageCacheStamp.objects.count()
    for n in range(30):
        assert client.get(f"/no-such-page-{n}/").status_code == 404
        client.get(f"/blog/no-such-post-{n}/")
    assert PageCacheStamp.objects.count() == before


def test_only_a_registered_order_names_an_order():
    register_order("helpful")
    assert order_value("helpful") == "helpful"
    for junk in ("", None, "newest", "HELPFUL", "helpful ", "<script>"):
        assert order_value(junk) == ""
