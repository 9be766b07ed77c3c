"""Private and password-protected posts brought in by an import stay private: neither they nor
their comments appear in a feed, a search result or the sitemap."""

import pytest

from .conftest import fixture, run_import

PRIVATE_WORDS = ("budget", "parking")


@pytest.fixture
def private_import(site):
    run_import(fixture("wordpress-1.0-https.xml"))


@pytest.mark.parametrize("path", ["/blog/feed/", "/sitemap.xml", "/blog/", "/"])
def test_private_posts_are_in_no_listing_feed_or_sitemap(client, private_import, path):
    response = client.get(path)
    assert response.status_code == 200
    text = response.content.decode()
    assert "long-conversation" in text or "A long conversation" in text  # the public one is there
    for slug in ("board-only", "staff-memo"):
        assert slug not in text


@pytest.mark.parametrize("word", PRIVATE_WORDS)
def test_private_posts_are_in_no_search_result(client, private_import, word):
    response = client.get("/search/", {"q": word})
    assert response.status_code == 200
    assert "board-only" not in response.content.decode()
    assert "staff-memo" not in response.content.decode()


def test_search_still_finds_public_imported_posts(client, private_import):
    response = client.get("/search/", {"q": "threads"})
    assert "long-conversation" in response.content.decode()


def test_comments_on_private_posts_are_in_no_comment_feed(client, private_import):
    text = client.get("/comments/feed/").content.decode()
    assert "Level 0 reply." in text  # comments on the public post are there
    assert "Private remark about the budget." not in text
    assert "Memo comment about parking." not in text


def test_a_password_protected_post_asks_for_its_password(client, private_import):
    response = client.get("/blog/staff-memo/")
    assert "parking" not in response.content.decode()
    assert 'name="password"' in response.content.decode()
