""" "This helped": once per reader per comment (reader key and signed cookie), a token made for that
reader, no count for your own comment, a burst refused, counts apart from the page, the "Most
helpful" order with pages and /comments/<pk>/, and moderators seeing the counts."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import helpful, tokens
from comments.listing import HELPFUL, page_of
from comments.models import HelpfulMark, Moderation, Status
from pagecache.keys import Group
from pagecache.stamps import version
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def url(comment) -> str:
    return f"/comments/helpful/{comment.pk}/"


def token_for(client, comment, **extra) -> str:
    return client.get(url(comment) + "token/", **extra).json()["token"]


def count(comment) -> int:
    return Moderation.objects.get(pk=comment.pk).helpful


def test_the_button_without_script_asks_once_then_marks_and_redirects_back(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    first = client.post(url(comment))  # the cached page's form carries no token
    assert first.status_code == 200
    token = BeautifulSoup(first.content, "html.parser").find("input", attrs={"name": "token"})["value"]
    second = client.post(url(comment), {"token": token})
    assert second.status_code == 303
    assert second["Location"] == f"/comments/{comment.pk}/"
    assert count(comment) == 1
    assert helpful.COOKIE in second.cookies


def test_the_script_gets_json_with_the_new_count(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    response = client.post(url(comment), {"token": token_for(client, comment)}, **JSON)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_replayed_token_is_a_400_and_counts_once(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    token = token_for(client, comment)
    client.post(url(comment), {"token": token}, **JSON)
    client.cookies.pop(helpful.COOKIE)  # the reader key alone still knows
    replay = client.post(url(comment), {"token": token}, **JSON)
    assert replay.status_code == 400
    assert count(comment) == 1


@pytest.mark.parametrize("forged", ["", "nonsense", "eyJjIjoxfQ:1abc:def"])
def test_a_forged_token_is_a_400(client, post, forged):
    comment = make_comment(post, reader="198.51.100.1")
    response = client.post(url(comment), {"token": forged}, **JSON)
    assert response.status_code == 400
    assert count(comment) == 0


def test_a_token_for_another_comment_is_a_400(client, post):
    comment, other = make_comment(post, reader="198.51.100.1"), make_comment(post, reader="198.51.100.2")
    response = client.post(url(comment), {"token": token_for(client, other)}, **JSON)
    assert response.status_code == 400
    assert count(comment) == count(other) == 0


def test_a_token_for_another_reader_is_a_400(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    token = tokens.helpful_token(comment.pk, "203.0.113.9")
    assert client.post(url(comment), {"token": token}, **JSON).status_code == 400


def test_the_signed_cookie_knows_the_browser_on_another_address(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    client.post(url(comment), {"token": token_for(client, comment)}, **JSON)
    other_address = {"REMOTE_ADDR": "203.0.113.50"}
    token = token_for(client, comment, **other_address)
    again = client.post(url(comment), {"token": token}, **JSON, **other_address)
    assert again.status_code == 400
    assert count(comment) == 1


def test_marking_your_own_comment_does_nothing(client, post):
    comment = make_comment(post, reader="127.0.0.1")  # the test client's address
    response = client.post(url(comment), {"token": token_for(client, comment)}, **JSON)
    assert response.status_code == 200
    assert response.json()["outcome"] == "own"
    assert count(comment) == 0 and not HelpfulMark.objects.exists()


def test_a_burst_from_one_address_is_rate_limited(client, post, settings):
    settings.HELPFUL_RATE_LIMITS = [(2, 60)]
    comments = [make_comment(post, reader=f"198.51.100.{n}") for n in range(3)]
    statuses = [client.post(url(c), {"token": token_for(client, c)}, **JSON).status_code for c in comments]
    assert statuses == [200, 200, 429]
    assert count(comments[2]) == 0


def test_a_post_from_another_site_is_refused(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    response = client.post(
        url(comment), {"token": token_for(client, comment)}, HTTP_SEC_FETCH_SITE="cross-site", **JSON
    )
    assert response.status_code == 400
    assert count(comment) == 0


@pytest.mark.parametrize("status", [Status.WAITING, Status.REJECTED, Status.SPAM])
def test_a_comment_readers_cannot_see_cannot_be_marked(client, post, status):
    comment = make_comment(post, status=status)
    assert client.post(url(comment)).status_code == 404
    token = client.get(url(comment) + "token/").json()["token"]  # the token asks nothing...
    assert client.post(url(comment), {"token": token}, **JSON).status_code == 404  # ...the POST does
    assert count(comment) == 0


def test_the_count_shows_on_the_comment(client, post):
    comment = make_comment(post, reader="198.51.100.1")
    Moderation.objects.filter(pk=comment.pk).update(helpful=3)
    html = client.get(post.url).content.decode()
    assert f'<span data-helpful-count="{comment.pk}">3</span>' in html
    assert f'action="/comments/helpful/{comment.pk}/"' in html


def test_counts_are_fetched_apart_cached_briefly_and_only_for_shown_comments(client, post):
    shown = make_comment(post, reader="198.51.100.1")
    held = make_comment(post, status=Status.WAITING)
    Moderation.objects.filter(pk__in=[shown.pk, held.pk]).update(helpful=2)
    response = client.get(f"/comments/helpful/counts/{post.pk}/")
    assert response.json() == {"counts": {str(shown.pk): 2}}
    assert "public" in response["Cache-Control"] and "max-age=5" in response["Cache-Control"]


def test_counts_for_a_post_that_is_not_live_are_a_404(client, post):
    post.unpublish()
    assert client.get(f"/comments/helpful/counts/{post.pk}/").status_code == 404


def test_clicks_purge_the_post_at_most_once_in_a_window(client, post, commit):
    comments = [make_comment(post, reader=f"198.51.100.{n}") for n in range(3)]
    before = version(post.url, Group.POSTS)
    versions = []
    for comment in comments:
        token = token_for(client, comment)
        with commit():
            client.post(url(comment), {"token": token}, **JSON)
        versions.append(version(post.url, Group.POSTS))
    assert versions[0] != before  # the first click in the window purges
    assert versions[1] == versions[2] == versions[0]  # the others wait: no re-render per click


def test_most_helpful_order_puts_the_most_marked_threads_first(client, post):
    first, second, third = (make_comment(post) for _ in range(3))
    Moderation.objects.filter(pk=third.pk).update(helpful=5)
    Moderation.objects.filter(pk=second.pk).update(helpful=2)
    html = client.get(post.url + "?order=helpful").content.decode()
    order = [int(pk) for pk in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', html)]
    assert order == [third.pk, second.pk, first.pk]
    oldest = client.get(post.url).content.decode()
    assert [int(pk) for pk in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', oldest)] == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_most_helpful_pages_and_permalinks_follow_the_order(client, post, settings):
    settings.COMMENTS_PER_PAGE = 2
    comments = [make_comment(post) for _ in range(4)]
    Moderation.objects.filter(pk=comments[3].pk).update(helpful=9)
    assert page_of(comments[3]) == 2
    assert page_of(comments[3], HELPFUL) == 1
    assert page_of(comments[0], HELPFUL) == 1 and page_of(comments[1], HELPFUL) == 2
    response = client.get(f"/comments/{comments[1].pk}/?order=helpful")
    assert response["Location"] == f"{post.url}?order=helpful&page=2#c{comments[1].pk}"
    second = client.get(post.url + "?order=helpful&page=2").content.decode()
    assert f'id="c{comments[1].pk}"' in second
    assert "order=helpful&amp;page=1" not in second  # page 1 is linked without ?page=


def test_most_helpful_costs_the_same_queries_as_oldest_first(client, post, settings):
    settings.COMMENT_LIST_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(6):
        make_comment(post)
    client.get(post.url)  # warm what is not about comments (site, glossary)
    with CaptureQueriesContext(connection) as oldest:
        client.get(post.url)
    with CaptureQueriesContext(connection) as most_helpful:
        client.get(post.url + "?order=helpful")
    assert len(most_helpful) == len(oldest)


def test_the_page_cache_keeps_most_helpful_apart_and_junk_orders_with_the_default(client, post):
    first, second = make_comment(post), make_comment(post)
    Moderation.objects.filter(pk=second.pk).update(helpful=4)
    client.get(post.url)
    client.get(post.url + "?order=helpful")
    helpful_html = client.get(post.url + "?order=helpful").content.decode()
    assert helpful_html.index(f'id="c{second.pk}"') < helpful_html.index(f'id="c{first.pk}"')
    junk = client.get(post.url + "?order=<script>")
    assert junk.headers.get("X-Page-Cache") == "hit"
    html = junk.content.decode()
    assert html.index(f'id="c{first.pk}"') < html.index(f'id="c{second.pk}"')


def test_moderators_see_the_counts_in_the_queue(client, moderator, post):
    comment = make_comment(post)
    Moderation.objects.filter(pk=comment.pk).update(helpful=7)
    client.force_login(moderator)
    html = client.get("/admin/comments/?status=published").content.decode()
    assert "7 readers found it helpful" in html
