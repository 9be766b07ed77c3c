"""No stampede: after a purge one process renders the page; the others serve the previous version
for a moment, then wait for the new one."""

import pytest

from blog.models import BlogPage
from pagecache import keys, middleware, stamps

pytestmark = pytest.mark.django_db


def _base(post) -> str:
    return f"{keys.path_key(post.url)}|1"


@pytest.fixture
def renders(monkeypatch):
    counted = []
    original = BlogPage.serve

    def serve(self, request, *args, **kwargs):
        counted.append(self.pk)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(BlogPage, "serve", serve)
    return counted


def _retitle(post, commit, title: str) -> None:
    with commit():
        post.title = title
        post.save_revision().publish()


def test_while_another_process_renders_readers_get_the_previous_version(client, post, commit, renders):
    client.get(post.url)
    _retitle(post, commit, "The new version")
    token = stamps.stamp_store().lock(_base(post))  # another process is rendering it
    assert token is not None
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "stale"
    assert "The new version" not in response.text
    assert len(renders) == 1  # only the first render, before the purge


def test_the_previous_version_is_served_only_for_a_moment(client, post, commit, settings, monkeypatch):
    settings.PAGE_CACHE_STALE_SECONDS = 0
    monkeypatch.setattr(middleware, "WAIT_SECONDS", 0.1)
    client.get(post.url)
    _retitle(post, commit, "Shown after the wait")
    stamps.stamp_store().lock(_base(post))  # a renderer that never finishes
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Shown after the wait" in response.text


def test_the_reader_that_takes_the_lock_renders_and_frees_it(client, post, commit, renders):
    client.get(post.url)
    _retitle(post, commit, "Rendered by the lock holder")
    response = client.get(post.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Rendered by the lock holder" in response.text
    assert not stamps.stamp_store().locked(_base(post))
    assert len(renders) == 2


def test_a_held_lock_is_taken_by_one_caller_only(db):
    store = stamps.stamp_store()
    first, second = store.lock("p:x|1"), store.lock("p:x|1")
    assert first is not None
    assert second is None
    store.unlock("p:x|1", first)
    assert store.lock("p:x|1") is not None


def test_an_abandoned_lock_frees_itself(db, monkeypatch):
    store = stamps.stamp_store()
    monkeypatch.setattr(stamps, "LOCK_SECONDS", -1)  # already expired when taken
    assert store.lock("p:y|1") is not None
    monkeypatch.setattr(stamps, "LOCK_SECONDS", 10)
    assert store.lock("p:y|1") is not None


def test_a_failed_render_frees_the_lock(client, post, commit, monkeypatch):
    client.get(post.url)
    _retitle(post, commit, "Never rendered")

    def broken(self, request, *args, **kwargs):
        raise RuntimeError("template bug")

    monkeypatch.setattr(BlogPage, "serve", broken)
    client.raise_request_exception = False
    assert client.get(post.url).status_code == 500
    assert not stamps.stamp_store().locked(_base(post))
