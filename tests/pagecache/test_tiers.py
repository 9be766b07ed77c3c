"""Two tiers and one compression: page bodies gzipped once, in a bytes-bounded LRU per process."""

import gzip
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache import purging, tiers
from pagecache.tiers import Entry, LocalTier

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def _entry(base: str, size: int, stamp: int = 1) -> Entry:
    return Entry(
        base=base,
        group="posts",
        path_stamp=stamp,
        group_stamp=stamp,
        status=200,
        headers={},
        etag='"x"',
        body=b"z" * size,
        expires=time.time() + 60,
    )


def test_a_client_that_accepts_gzip_gets_the_stored_gzip_body(client, post):
    plain = client.get(post.url).content
    response = client.get(post.url, **GZIP)
    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert response["Content-Length"] == str(len(response.content))


def test_a_client_without_gzip_gets_the_page_decompressed(client, post):
    client.get(post.url, **GZIP)
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "hit"
    assert not response.has_header("Content-Encoding")
    assert post.title in response.text


def test_the_first_answer_is_compressed_too_when_the_client_accepts_it(client, post):
    response = client.get(post.url, **GZIP)
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "gzip"
    assert post.title in gzip.decompress(response.content).decode()


@pytest.mark.parametrize("headers", [{}, GZIP])
def test_cached_pages_vary_on_accept_encoding(client, post, headers):
    client.get(post.url, **headers)
    assert "Accept-Encoding" in client.get(post.url, **headers)["Vary"]


def test_a_client_that_refuses_gzip_gets_plain_text(client, post):
    client.get(post.url, **GZIP)
    response = client.get(post.url, HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")


def test_each_representation_has_its_own_etag_and_both_get_304(client, post):
    plain_etag = client.get(post.url)["ETag"]
    gzip_etag = client.get(post.url, **GZIP)["ETag"]
    assert plain_etag != gzip_etag
    assert client.get(post.url, HTTP_IF_NONE_MATCH=plain_etag).status_code == 304
    assert client.get(post.url, HTTP_IF_NONE_MATCH=gzip_etag, **GZIP).status_code == 304


def test_a_hit_reads_the_stamps_once_and_nothing_else(client, post, stamp_queries):
    client.get(post.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(post.url, **GZIP)["X-Page-Cache"] == "hit"
    assert len(queries) == stamp_queries
    assert all("rounds_pagecachestamp" in query["sql"] for query in queries)


def test_a_purge_changes_the_key_of_a_page(client, post, commit):
    client.get(post.url)
    before = set(tiers.local_tier().entries)
    with commit():
        purging.purge(paths=[post.url])
    assert client.get(post.url)["X-Page-Cache"] == "miss"
    after = set(tiers.local_tier().entries)
    assert len(before) == len(after) == 1
    assert before != after


def test_the_local_tier_stays_within_its_bytes():
    tier = LocalTier(max_bytes=10_000)
    for n in range(50):
        tier.put(_entry(f"p:{n}|1", 1_000))
    assert tier.bytes <= 10_000
    assert 0 < len(tier) < 50


def test_the_local_tier_evicts_the_least_recently_used_page():
    tier = LocalTier(max_bytes=4_000)  # two pages of 1,000 bytes (and their overhead), not three
    for n in range(2):
        tier.put(_entry(f"p:{n}|1", 1_000))
    tier.get("p:0|1")  # used again: p:1 is now the oldest
    tier.put(_entry("p:2|1", 1_000))
    assert tier.get("p:0|1") is not None
    assert tier.get("p:1|1") is None


def test_a_new_version_replaces_the_old_one_in_the_local_tier():
    tier = LocalTier(max_bytes=100_000)
    tier.put(_entry("p:0|1", 1_000, stamp=1))
    tier.put(_entry("p:0|1", 1_000, stamp=2))
    assert len(tier) == 1
    assert tier.get("p:0|1").path_stamp == 2


def test_a_page_larger_than_the_tier_is_not_kept():
    tier = LocalTier(max_bytes=1_000)
    tier.put(_entry("p:0|1", 5_000))
    assert len(tier) == 0
    assert tier.bytes == 0


def test_decompressing_for_a_plain_client_is_counted_in_the_tier():
    tier = LocalTier(max_bytes=1_000_000)
    entry = _entry("p:0|1", 0)
    entry.body = gzip.compress(b"a" * 50_000)
    tier.put(entry)
    before = tier.bytes
    assert tier.plain(entry) == b"a" * 50_000
    assert tier.bytes == before + 50_000


def test_the_local_tier_defaults_to_64_megabytes(settings):
    assert settings.PAGE_CACHE_LOCAL_BYTES == 64 * 1024 * 1024
