"""Purge on visibility, not only on saves: view restrictions (blog/purges.py), and a restricted page
(or one below a restricted ancestor) is never stored (blog.models). Unpublishing a post and the
discussion policy purge the comment pages: tests/comments/test_visibility.py and test_purges.py."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def _restrict(page, **fields) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="staff-only", **fields
    )


@pytest.fixture
def let_in(monkeypatch):
    """Every restriction accepts the request: as a reader let in some other way than a session
    cookie would be, the case where only CachedPageMixin stands between the page and the cache."""
    monkeypatch.setattr(PageViewRestriction, "accept_request", lambda self, request: True)


def test_restricting_a_cached_post_purges_it(client, post, commit):
    assert client.get(post.url)["X-Page-Cache"] == "miss"
    with commit():
        _restrict(post)
    response = client.get(post.url)
    assert "X-Page-Cache" not in response
    assert post.intro not in response.text
    assert "password" in response.text.lower()


def test_restricting_a_post_purges_listings_and_feeds(client, post, commit):
    for url in ("/", "/blog/", "/blog/feed/", "/comments/feed/"):
        client.get(url)
    with commit():
        _restrict(post)
    for url in ("/", "/blog/", "/blog/feed/", "/comments/feed/"):
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_restricting_the_blog_index_purges_every_post_below_it(client, site, post, commit):
    client.get(post.url)
    with commit():
        _restrict(site["index"])
    response = client.get(post.url)
    assert "X-Page-Cache" not in response
    assert post.intro not in response.text


def test_a_restricted_post_is_never_stored_even_for_a_reader_let_in(client, post, let_in):
    _restrict(post)
    first, second = client.get(post.url), client.get(post.url)
    assert first.status_code == second.status_code == 200
    assert post.title in second.text
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in second


def test_a_post_under_a_restricted_ancestor_is_never_stored(client, site, post, let_in):
    _restrict(site["index"])
    client.get(post.url)
    assert "X-Page-Cache" not in client.get(post.url)


def test_changing_a_restriction_purges_the_page(client, post, commit, let_in):
    restriction = _restrict(post)
    client.get(post.url)
    client.get("/")
    with commit():
        restriction.password = "another-one"
        restriction.save()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_lifting_a_restriction_purges_the_password_page(client, post, commit):
    restriction = _restrict(post)
    assert post.intro not in client.get(post.url).text
    with commit():
        restriction.delete()
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert post.title in response.text
