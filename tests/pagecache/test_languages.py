"""Each language's pages are cached, purged and sent to Varnish on their own (README "Languages").

The suite runs without Redis (stamps in the database) and, in CI's third run, with Redis (stamps
and shared bodies there): these tests hold in both.
"""

from types import SimpleNamespace

import pytest

from pagecache import frontend, keys, purging
from tests.factories import AuthorFactory, BlogPageFactory, make_spanish_site, translate

pytestmark = pytest.mark.django_db

HTTP_BACKEND = "wagtail.contrib.frontend_cache.backends.HTTPBackend"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def spanish_site(site):
    home_es, index_es = make_spanish_site(site["home"], site["index"])
    return {**site, "home_es": home_es, "index_es": index_es}


def author():
    return AuthorFactory()


@pytest.fixture
def heard():
    """The purges applied (pages_purged), as (paths, groups) pairs."""
    applied = []

    def receiver(sender, paths, groups, **kwargs):
        applied.append((sorted(paths), sorted(groups)))

    purging.pages_purged.connect(receiver, dispatch_uid="test-language-purges")
    yield applied
    purging.pages_purged.disconnect(dispatch_uid="test-language-purges")


def test_group_names_keep_the_default_language_as_before():
    assert keys.group_name(keys.Group.POSTS, "en") == "posts"
    assert keys.group_name(keys.Group.POSTS, "es") == "posts.es"
    assert keys.language_of("/es/blog/x/") == "es"
    assert keys.language_of("/blog/x/") == "en"
    assert keys.language_of("/esperanza/") == "en"


def test_a_spanish_page_is_cached_in_the_spanish_part_of_its_group(client, spanish_site):
    assert client.get("/es/")["X-Page-Cache"] == "miss"
    hit = client.get("/es/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["X-Cache-Group"] == "listings.es"
    assert client.get("/")["X-Cache-Group"] == "listings"


def test_publishing_a_spanish_post_purges_only_what_shows_it(client, spanish_site, commit, heard):
    english = BlogPageFactory(parent=spanish_site["index"], slug="visiting-hours", authors=[author()])
    for path in ["/", "/blog/", english.url, "/es/", "/es/blog/", "/glossary/"]:
        client.get(path)
    heard.clear()
    with commit():
        spanish = translate(english, title="Horario de visitas", slug="horario-de-visitas")
    groups = {group for _paths, names in heard for group in names}
    assert groups and all(group.endswith(".es") for group in groups), groups
    # The English listings and glossary stay cached; the Spanish ones show the new post.
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert client.get("/blog/")["X-Page-Cache"] == "hit"
    assert client.get("/glossary/")["X-Page-Cache"] == "hit"
    fresh = client.get("/es/")
    assert fresh["X-Page-Cache"] == "miss" and spanish.title in fresh.text
    assert client.get("/es/blog/")["X-Page-Cache"] == "miss"
    # The English post's switcher now leads to the Spanish post: its page was purged by path.
    again = client.get(english.url)
    assert again["X-Page-Cache"] == "miss" and spanish.url in again.text


def test_publishing_an_english_post_leaves_spanish_pages_cached(client, spanish_site, commit):
    """An author already known: a new author's byline would purge every language's posts."""
    known = author()
    client.get("/es/")
    client.get("/es/blog/")
    with commit():
        BlogPageFactory(parent=spanish_site["index"], slug="new-english-post", authors=[known])
    assert client.get("/es/")["X-Page-Cache"] == "hit"
    assert client.get("/es/blog/")["X-Page-Cache"] == "hit"
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_purging_a_group_without_languages_purges_every_language(heard, commit):
    with commit():
        purging.purge(groups=[keys.Group.GLOSSARY])
    assert heard == [([], ["glossary", "glossary.es"])]


def test_held_purges_of_one_language_stay_in_that_language(heard, commit):
    with commit(), purging.held():
        purging.purge(paths=["/es/a/"], groups=[keys.Group.POSTS], languages=["es"])
        purging.purge(paths=["/es/b/"], groups=[keys.Group.LISTINGS], languages=["es"])
    assert heard == [(["/es/a/", "/es/b/"], ["listings.es", "posts.es"])]


def test_varnish_is_sent_the_spanish_group_only(settings, monkeypatch, commit):
    settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": HTTP_BACKEND, "LOCATION": "http://127.0.0.1:1"}}
    banned = []
    monkeypatch.setattr(frontend, "ban_groups", SimpleNamespace(enqueue=banned.append))
    monkeypatch.setattr(frontend.PurgeBatch, "purge", lambda batch: None)
    with commit():
        purging.purge(paths=["/es/x/"], groups=[keys.Group.LISTINGS], languages=["es"])
    assert banned == [["listings.es"]]
