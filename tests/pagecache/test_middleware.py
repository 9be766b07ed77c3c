"""Whole-page cache for anonymous readers: what is cached, what never is, and exact purging."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BlogPage
from comments import listing, purges
from comments.models import Status
from glossary.models import Term
from pagecache import keys, purging, tiers
from tests.comments.factories import make_comment
from tests.factories import AuthorFactory, BlogPageFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_cache_with_one_stamp_query(client, post, stamp_queries):
    """Without Redis the stamps are rows every process shares: a hit reads them in one query (and
    with Redis in none)."""
    assert client.get("/")["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert post.title in response.text
    assert [q["sql"] for q in queries.captured_queries if "rounds_pagecachestamp" not in q["sql"]] == []
    assert len(queries) == stamp_queries


def test_cached_page_keeps_its_security_headers(client, post):
    first = client.get(post.url)
    hit = client.get(post.url)
    assert hit["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Content-Type"):
        assert hit[header] == first[header]


def test_reader_with_a_session_is_never_served_or_stored(client, post, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", is_superuser=True))
    first = client.get(post.url)
    assert "X-Page-Cache" not in first
    assert "wagtail-userbar" in first.text
    client.logout()
    anonymous = client.get(post.url)
    assert anonymous["X-Page-Cache"] == "miss"
    assert "wagtail-userbar" not in anonymous.text


def test_response_that_sets_a_cookie_is_not_stored(client, post, monkeypatch):
    original = BlogPage.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.set_cookie("csrftoken", "tied-to-this-reader")
        return response

    monkeypatch.setattr(BlogPage, "serve", serve_with_cookie)
    client.get(post.url)
    second = client.get(post.url)
    assert "X-Page-Cache" not in second
    assert "csrftoken" in second.cookies


def test_not_found_pages_and_search_are_not_cached(client, post):
    client.get("/blog/no-such-post/")
    assert "X-Page-Cache" not in client.get("/blog/no-such-post/")
    client.get("/search/?q=post")
    assert "X-Page-Cache" not in client.get("/search/?q=post")


def test_page_number_varies_the_cache_but_tracking_parameters_do_not(client, site):
    for _ in range(12):
        BlogPageFactory(parent=site["index"])
    client.get("/blog/")
    assert client.get("/blog/?utm_source=newsletter")["X-Page-Cache"] == "hit"
    second_page = client.get("/blog/?page=2")
    assert second_page["X-Page-Cache"] == "miss"
    assert "Page 2 of 2" in second_page.text


@pytest.mark.parametrize("junk", ["abc", "0", "02", "999", "-1", "2.0", "%00"])
def test_junk_page_numbers_add_no_cache_entry(client, site, junk):
    for _ in range(12):
        BlogPageFactory(parent=site["index"])
    before = set(_page_entries())
    client.get(f"/blog/?page={junk}")
    client.get("/glossary/?page=2")  # a page that does not paginate
    added = set(_page_entries()) - before
    assert len(added) <= 1  # at most the first page's entry, which every junk value shares
    assert client.get("/blog/?page=2")["X-Page-Cache"] == "miss"
    assert client.get("/blog/?page=2")["X-Page-Cache"] == "hit"


def _page_entries() -> list[str]:
    return list(tiers.local_tier().entries)


def test_matching_etag_gets_304_from_a_cached_page(client, post, stamp_queries):
    etag = client.get(post.url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert len(queries) == stamp_queries


def test_if_modified_since_gets_304(client, post):
    last_modified = client.get(post.url)["Last-Modified"]
    assert client.get(post.url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_publishing_a_post_purges_listings_and_feed(client, site, commit):
    BlogPageFactory(parent=site["index"])
    for url in ("/", "/blog/", "/blog/feed/"):
        client.get(url)
    with commit():
        new = BlogPageFactory(parent=site["index"], title="Fresh news", date=datetime.date(2030, 1, 1))
    for url in ("/", "/blog/", "/blog/feed/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert new.title in response.text, url


def test_editing_a_post_in_a_shell_purges_its_page(client, post, commit):
    client.get(post.url)
    with commit():
        post.title = "Corrected title"
        post.save()
    assert "Corrected title" in client.get(post.url).text


def test_unpublishing_a_post_removes_it_at_once(client, post, commit):
    client.get(post.url)
    with commit():
        post.unpublish()
    assert client.get(post.url).status_code == 404


def test_changing_a_slug_purges_the_old_address(client, post, commit):
    old_url = post.url
    client.get(old_url)
    with commit():
        post.slug = "new-address"
        post.save_revision().publish()
    response = client.get(old_url)
    assert response.status_code == 301  # Wagtail's automatic redirect, not the cached old page
    assert response["Location"].endswith("/blog/new-address/")


def test_editing_an_author_purges_bylines(client, site, commit):
    author = AuthorFactory(name="Dr Old Name")
    post = BlogPageFactory(parent=site["index"], authors=[author])
    client.get(post.url)
    with commit():
        author.name = "Dr New Name"
        author.save()
    assert "Dr New Name" in client.get(post.url).text


def test_purge_waits_for_the_commit(client, post, django_capture_on_commit_callbacks):
    client.get(post.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post.title = "Not yet committed"
        post.save()
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert callbacks, "the purge is scheduled for after the commit"


def test_page_rendered_before_a_purge_is_never_served_after_it(client, post, monkeypatch):
    """A purge that lands while the page renders: the page is stored with the stamp read before,
    so it is never served after the purge."""
    original = BlogPage.serve

    def serve_then_purge(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        purging._purge_now([post.url], [])  # a commit elsewhere, mid-render
        return response

    monkeypatch.setattr(BlogPage, "serve", serve_then_purge)
    assert client.get(post.url)["X-Page-Cache"] == "miss"
    monkeypatch.setattr(BlogPage, "serve", original)
    assert client.get(post.url)["X-Page-Cache"] == "miss"
    assert client.get(post.url)["X-Page-Cache"] == "hit"


def test_purging_an_unknown_group_is_an_error():
    with pytest.raises(ValueError, match="posst"):
        purging.purge(groups=["posst"])


def test_group_purge_leaves_other_groups_cached(client, site, commit):
    post = BlogPageFactory(parent=site["index"])
    client.get(post.url)
    client.get("/")
    with commit():
        purging.purge(groups=[keys.Group.LISTINGS])
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get(post.url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize(
    ("path", "cached"),
    [
        ("/", True),
        ("/blog/", True),
        ("/blog/tag/scheduling/", True),
        ("/blog/2026/01/", True),
        ("/blog/feed/", True),
        ("/sitemap.xml", True),
        ("/glossary/", True),
        ("/search/?q=post", False),
        ("/robots.txt", False),
    ],
)
def test_pages_declare_whether_they_are_cached(client, post, path, cached):
    client.get(path)
    assert (client.get(path).get("X-Page-Cache") == "hit") is cached


def test_listings_follow_the_blog_index_when_its_slug_changes(client, site, commit):
    post = BlogPageFactory(parent=site["index"], title="Moved with the index")
    index = site["index"]
    with commit():
        index.slug = "notes"
        index.save_revision().publish()
    assert "/notes/" in client.get(post.url.replace("/blog/", "/notes/")).text
    response = client.get("/notes/")
    assert response.status_code == 200
    assert 'href="/notes/feed/"' in response.text
    assert client.get("/notes/")["X-Page-Cache"] == "hit"
    assert client.get("/notes/feed/").status_code == 200


def test_publishing_a_comment_in_a_shell_purges_its_post_and_listings(client, post, commit):
    client.get(post.url)
    client.get("/")
    with commit():
        make_comment(post, comment="Published straight from an import script.")
    assert "Published straight from an import script." in client.get(post.url).text
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_held_comment_purges_nothing(client, post, commit):

    client.get(post.url)
    with commit():
        make_comment(post, status=Status.WAITING)
    assert client.get(post.url)["X-Page-Cache"] == "hit"


def test_hiding_a_published_comment_from_a_shell_purges_its_post(client, post, commit):
    with commit():
        comment = make_comment(post, comment="Soon to be hidden.")
    client.get(post.url)
    with commit():
        comment.is_public = False
        comment.save()
    assert "Soon to be hidden." not in client.get(post.url).text


def test_approving_in_the_queue_purges_through_discussion_changed(client, post, commit):
    client.get(post.url)
    with commit():
        purges.discussion_changed(post)
    assert client.get(post.url)["X-Page-Cache"] == "miss"


def test_comment_in_a_post_is_annotated_by_the_glossary(client, post, commit):

    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    make_comment(post, comment="Is my PHR the same thing?")
    html = client.get(post.url).text
    assert 'data-term="phr"' in html.split('class="comment__text"', 1)[1]


def test_comment_list_is_built_once_until_the_discussion_changes(client, post, commit, settings, monkeypatch):

    settings.PAGE_CACHE_SECONDS = 0  # the list cache works on its own
    settings.COMMENT_LIST_CACHE_SECONDS = 300
    with commit():
        for _ in range(3):
            make_comment(post)
    built = []
    tree = listing.tree
    monkeypatch.setattr(listing, "tree", lambda comments: built.append(1) or tree(comments))
    first, second = client.get(post.url).text, client.get(post.url).text
    assert len(built) == 1
    assert first.count('class="comment-list__item"') == second.count('class="comment-list__item"') == 3
    with commit():
        make_comment(post, comment="A new voice in the thread.")
    assert "A new voice in the thread." in client.get(post.url).text
    assert len(built) == 2


def test_cached_comment_list_still_leaves_terms_for_the_comments_alone(client, site, commit, settings):
    """First-occurrence annotation: a term annotated in a cached list is not annotated again below."""
    settings.COMMENT_LIST_CACHE_SECONDS = 300
    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    post = BlogPageFactory(parent=site["index"])
    with commit():
        make_comment(post, comment="My PHR says one thing.")
        make_comment(post, comment="My PHR says another.")
    for _ in range(2):  # rendered, then from the cache
        html = client.get(post.url).text
        assert html.count('data-term="phr"') == 1


@pytest.fixture
def heard():
    """The purges applied (pages_purged), as (paths, groups) pairs."""
    purges: list[tuple[set, set]] = []

    def receiver(sender, paths, groups, **kwargs):
        purges.append((set(paths), {str(group) for group in groups}))

    purging.pages_purged.connect(receiver, dispatch_uid="test-held-purges")
    yield purges
    purging.pages_purged.disconnect(dispatch_uid="test-held-purges")


def test_purges_held_for_a_bulk_job_are_applied_once_when_it_ends(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), purging.held():
        purging.purge(["/blog/one/"], [keys.Group.POSTS])
        purging.purge(["/blog/two/", "/blog/one/"])
        assert heard == []
    assert heard == [({"/blog/one/", "/blog/two/"}, {"posts", "posts.es"})]  # each language's part


def test_a_held_job_past_the_path_limit_purges_every_group_and_keeps_no_paths(
    db, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), purging.held():
        for number in range(purging.HELD_PATHS + 1):
            purging.purge([f"/blog/post-{number}/"])
        batch = purging._held.get()
        assert batch[0] == set()  # memory stays bounded however many pages the job touches
    assert heard == [(set(), set(keys.group_names(list(keys.Group))))]


def test_a_cached_page_is_refused_to_a_host_outside_allowed_hosts(client, post, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get(post.url).status_code == 200
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    assert client.get(post.url, HTTP_HOST="evil.example").status_code == 400
