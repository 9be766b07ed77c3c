"""Pages of a long discussion: at most COMMENTS_PER_PAGE threads a page, oldest first, never a
thread split, linked by rel=prev/next without JavaScript, cached per page."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, Status
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(settings):
    settings.COMMENTS_PER_PAGE = 2


def threads(post, count: int, replies: int = 1) -> list:
    """`count` threads, each a first comment with `replies` replies; the first comments."""
    roots = []
    for number in range(count):
        root = make_comment(post, comment=f"Thread {number}")
        for reply in range(replies):
            make_comment(post, parent=root, comment=f"Reply {reply} in thread {number}")
        roots.append(root)
    return roots


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def shown_ids(soup: BeautifulSoup) -> list[int]:
    return [int(article["id"][1:]) for article in soup.select("article.comment")]


def test_a_post_shows_at_most_comments_per_page_threads_oldest_first(client, post, discussion, two_per_page):
    roots = threads(post, 3)
    soup = soup_of(client, post.url)
    firsts = [int(a["id"][1:]) for a in soup.select(".discussion > ol > li > article")]
    assert firsts == [roots[0].pk, roots[1].pk]


def test_a_thread_is_never_split_across_pages(client, post, discussion, two_per_page):
    threads(post, 3, replies=5)
    soup = soup_of(client, post.url)
    assert len(shown_ids(soup)) == 12


def test_the_next_page_shows_the_later_threads(client, post, discussion, two_per_page):
    roots = threads(post, 3)
    assert shown_ids(soup_of(client, f"{post.url}?page=2"))[0] == roots[2].pk


def test_pages_link_each_other_with_rel_prev_and_next(client, post, discussion, settings):
    settings.COMMENTS_PER_PAGE = 1
    threads(post, 3, replies=0)
    first, middle = soup_of(client, post.url), soup_of(client, f"{post.url}?page=2")
    assert first.select_one('a[rel="prev"]') is None
    assert first.select_one('a[rel="next"]')["href"] == f"{post.url}?page=2#comments"
    assert middle.select_one('a[rel="prev"]')["href"] == f"{post.url}#comments"
    assert middle.select_one('a[rel="next"]')["href"] == f"{post.url}?page=3#comments"


def test_page_links_have_names_that_say_where_they_go(client, post, discussion, two_per_page):
    threads(post, 3)
    link = soup_of(client, post.url).select_one('a[rel="next"]')
    assert " ".join(link.get_text().split()) == "Later comments (page 2)"
    assert link.find_parent("nav")["aria-label"] == "Pages of comments"


def test_a_short_discussion_has_no_page_links(client, post, discussion, two_per_page):
    threads(post, 2)
    soup = soup_of(client, post.url)
    assert soup.select(".comment-pages") == []


def test_every_comment_is_reached_following_next_from_the_first_page(client, post, discussion, two_per_page):
    threads(post, 7, replies=2)
    expected = Comment.objects.for_page(post).published().values_list("pk", flat=True)
    seen, url = [], post.url
    while url:
        soup = soup_of(client, url)
        seen.extend(shown_ids(soup))
        following = soup.select_one('a[rel="next"]')
        url = following["href"].split("#")[0] if following else None
    assert sorted(seen) == sorted(expected)


@pytest.mark.parametrize("junk", ["abc", "-1", "0", "1.5", "02", "9" * 40, "%00", "1e3", "٣"])
def test_a_junk_page_value_shows_the_first_page(client, post, discussion, two_per_page, junk):
    roots = threads(post, 3)
    response = client.get(post.url, {"page": junk})
    assert response.status_code == 200
    assert shown_ids(BeautifulSoup(response.content, "html.parser"))[0] == roots[0].pk


def test_a_page_past_the_end_shows_the_last_page(client, post, discussion, two_per_page):
    roots = threads(post, 3)
    assert shown_ids(soup_of(client, f"{post.url}?page=99"))[0] == roots[2].pk


def test_a_page_past_the_end_is_not_stored_under_its_own_number(client, post, discussion, two_per_page):
    threads(post, 3)
    client.get(f"{post.url}?page=99")
    assert client.get(f"{post.url}?page=99").get("X-Page-Cache") != "hit"


def test_each_page_is_cached_under_its_own_number(client, post, discussion, two_per_page):
    roots = threads(post, 3)
    client.get(post.url)
    second = client.get(f"{post.url}?page=2")
    again = client.get(f"{post.url}?page=2")
    assert (second["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert shown_ids(BeautifulSoup(again.content, "html.parser"))[0] == roots[2].pk


@pytest.mark.no_page_cache
def test_the_comment_list_cache_keeps_each_page_apart(client, post, discussion, two_per_page, settings):
    """Page cache off, list cache on: page 2's list must never be served for page 1."""
    settings.COMMENT_LIST_CACHE_SECONDS = 300
    roots = threads(post, 3)
    client.get(f"{post.url}?page=2")
    assert shown_ids(soup_of(client, post.url))[0] == roots[0].pk
    assert shown_ids(soup_of(client, f"{post.url}?page=2"))[0] == roots[2].pk


def test_the_count_is_the_whole_posts_on_every_page(client, post, discussion, two_per_page):
    threads(post, 3)
    make_comment(post, status=Status.WAITING)
    soup = soup_of(client, f"{post.url}?page=2")
    assert soup.select_one("#comments-title").get_text() == "6 comments"
    assert soup.select_one(".byline__comments").get_text() == "6 comments"


def test_a_hidden_thread_takes_no_place_on_a_page(client, post, discussion, two_per_page):
    hidden = make_comment(post, status=Status.REJECTED)
    make_comment(post, parent=hidden)
    roots = threads(post, 2)
    soup = soup_of(client, post.url)
    assert shown_ids(soup) == [roots[0].pk, roots[0].pk + 1, roots[1].pk, roots[1].pk + 1]
    assert soup.select(".comment-pages") == []


@pytest.mark.no_page_cache
def test_a_page_of_many_threads_costs_the_queries_of_one(client, site, discussion, settings):
    """Caches off: this counts the queries of a render (a later page, of a paged discussion)."""
    settings.COMMENTS_PER_PAGE = 10
    small, large = BlogPageFactory(parent=site["index"]), BlogPageFactory(parent=site["index"])
    threads(small, 1)
    threads(large, 25, replies=3)
    client.get(small.url)  # warm per-process caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(small.url).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{large.url}?page=2")
    assert response.content.decode().count('<article class="comment"') == 40
    assert len(many) == len(one)
