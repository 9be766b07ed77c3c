"""What readers see: the post's "What changed" section, /changes/ (newest first, by topic), its
feed and JSON-LD, with the page cache on as in production."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from changes import views
from changes.models import Feedback, FeedbackStatus
from tests.changes.factories import make_change, make_topic
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_a_post_shows_the_changes_it_prompted_above_the_discussion(client, post):
    make_change(posts=[post], title="The phone menu offers a way to move a visit")
    html = client.get(post.url).text
    assert '<section class="wrap what-changed" id="what-changed"' in html
    assert html.index('id="what-changed"') < html.index('id="comments"')
    assert "The phone menu offers a way to move a visit" in html


def test_a_post_that_prompted_nothing_has_no_section(client, post):
    make_change()
    assert 'id="what-changed"' not in client.get(post.url).text


def test_a_cited_comment_shows_an_excerpt_linking_through_its_url(client, post):
    text = "The cancellation mailbox was full every afternoon."
    comment = make_comment(post, comment=text, user_name="Ana")
    make_change(comments=[comment])
    html = client.get(post.url).text
    section = html[html.index('id="what-changed"') : html.index('id="comments"')]
    assert "The cancellation mailbox was full every afternoon." in section
    assert f'href="{comment.get_absolute_url()}"' in section
    assert f'data-cites-comment="{comment.pk}"' in section


def test_a_change_citing_a_comment_on_another_post_shows_on_both_posts(client, site, post):
    other = BlogPageFactory(parent=site["index"])
    make_change(posts=[other], comments=[make_comment(post)], title="Seen from two posts")
    assert "Seen from two posts" in client.get(post.url).text
    assert "Seen from two posts" in client.get(other.url).text


def test_the_excerpt_is_short_and_escaped(client, post):
    text = "<script>window.__xss=1</script> " + "word " * 200
    make_change(comments=[make_comment(post, comment=text, user_name="<b>Bold</b>")])
    html = client.get("/changes/").text
    assert "<script>window.__xss" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html
    assert "word " * 40 not in html


def test_feedback_that_is_not_changing_shows_its_public_reason_on_the_post(client, post):
    comment = make_comment(post)
    Feedback.objects.create(
        comment_id=comment.pk,
        topic=make_topic("Parking"),
        status=FeedbackStatus.NOT_CHANGING,
        reason="The garage belongs to the city; we have asked them.",
    )
    html = client.get(post.url).text
    assert "Not changing" in html
    assert "The garage belongs to the city; we have asked them." in html


def test_the_changes_page_lists_every_change_newest_first(client, db):
    make_change(title="Older change", date=datetime.date(2026, 3, 1))
    make_change(title="Newer change", date=datetime.date(2026, 5, 1))
    html = client.get("/changes/").text
    assert html.index("Newer change") < html.index("Older change")


def test_a_topic_page_lists_only_that_topics_changes(client, db):
    billing = make_topic("Billing")
    make_change(topic=billing, title="Itemised bills by default")
    make_change(topic=make_topic("Phone lines"), title="Shorter phone menu")
    html = client.get("/changes/topic/billing/").text
    assert "Itemised bills by default" in html
    assert "Shorter phone menu" not in html


def test_an_unknown_topic_is_a_404(client, db):
    assert client.get("/changes/topic/no-such-topic/").status_code == 404


@pytest.mark.parametrize("query", ["?page=junk", "?page=999", "?topic=%00", "?page=-1"])
def test_hostile_query_strings_on_the_changes_page_are_never_a_500(client, db, query):
    make_change()
    assert client.get("/changes/" + query).status_code == 200


def test_a_change_links_through_its_lasting_address(db):
    change = make_change()
    assert change.get_absolute_url() == f"/changes/{change.pk}/"


def test_a_change_on_the_first_page_leads_to_its_anchor_there(client, db):
    change = make_change()
    response = client.get(change.get_absolute_url())
    assert (response.status_code, response["Location"]) == (302, f"/changes/#change-{change.pk}")


def test_a_change_on_page_two_leads_to_that_page(client, db):
    first = make_change(title="Listed after every newer change of the same day")
    for _ in range(views.PER_PAGE):
        make_change()
    assert client.get(first.get_absolute_url())["Location"] == f"/changes/?page=2#change-{first.pk}"
    assert f'id="change-{first.pk}"' in client.get("/changes/?page=2").text


def test_the_changes_pages_speak_of_changes_not_posts(client, db):
    for _ in range(2 * views.PER_PAGE + 1):
        make_change()
    html = client.get("/changes/?page=2").text
    nav = BeautifulSoup(html, "html.parser").select_one("nav.pagination")
    assert nav["aria-label"] == "Pages of changes"
    assert nav.select_one('a[rel="prev"]').contents[0] == "Newer changes"
    assert nav.select_one('a[rel="next"]').contents[0] == "Earlier changes"
    assert "posts" not in nav.get_text().lower()
    assert "Newer posts" not in html and "Older posts" not in html


def test_a_change_dated_earlier_is_found_after_newer_ones_whatever_its_id(client, db):
    for _ in range(views.PER_PAGE):
        make_change(date=datetime.date(2026, 10, 1))
    backdated = make_change(date=datetime.date(2026, 1, 1))
    newest = make_change(date=datetime.date(2026, 11, 1))
    assert client.get(backdated.get_absolute_url())["Location"] == f"/changes/?page=2#change-{backdated.pk}"
    assert client.get(newest.get_absolute_url())["Location"] == f"/changes/#change-{newest.pk}"


def test_finding_a_changes_page_costs_two_queries(db, django_assert_num_queries):
    change = make_change()
    with django_assert_num_queries(2):
        views.permalink(RequestFactory().get(change.get_absolute_url()), pk=change.pk)


@pytest.mark.parametrize("path", ["987654", "9" * 30, "0"])
def test_an_unknown_change_is_404(client, db, path):
    assert client.get(f"/changes/{path}/").status_code == 404


def test_the_changes_page_carries_schema_org_json_ld(client, post):
    comment = make_comment(post)
    make_change(title="Hourly checks of the mailbox", comments=[comment])
    data = json_ld(client.get("/changes/").text)
    item = data["itemListElement"][0]["item"]
    assert (data["@type"], item["@type"]) == ("ItemList", "UpdateAction")
    assert item["name"] == "Hourly checks of the mailbox"
    assert item["object"][0]["url"].endswith(comment.get_absolute_url())


def test_the_feed_lists_changes_with_their_citations(client, post):
    make_change(title="A feed item", comments=[make_comment(post, comment="Quoted in the feed.")])
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>A feed item</title>" in response.text
    assert "Quoted in the feed." in response.text


def test_the_changes_pages_are_cached_in_their_own_group(client, db):
    make_change()
    for path in ("/changes/", "/changes/feed/"):
        client.get(path)
        response = client.get(path)
        assert (response["X-Page-Cache"], response["X-Cache-Group"]) == ("hit", "changes")


@pytest.mark.no_page_cache
def test_the_changes_page_costs_the_same_queries_for_one_change_or_many(client, site):
    """Page cache off: the render itself is counted."""
    posts = [BlogPageFactory(parent=site["index"]) for _ in range(3)]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/changes/").status_code == 200
        return len(queries)

    make_change(posts=[posts[0]], comments=[make_comment(posts[0])])
    count()  # warm what every page reads once per process (the site's root paths)
    one = count()
    for post in posts:
        make_change(topic=make_topic(), posts=[post], comments=[make_comment(post), make_comment(post)])
    assert count() == one


def test_an_email_is_never_shown(client, post):
    comment = make_comment(post, user_email="private@example.org", user_name="Sam")
    make_change(comments=[comment])
    for path in (post.url, "/changes/", "/changes/feed/"):
        assert "private@example.org" not in client.get(path).text


@pytest.mark.no_page_cache
def test_a_post_costs_the_same_queries_for_one_change_or_many(client, site, post):
    """Page cache off: the post's render itself is counted."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(post.url).status_code == 200
        return len(queries)

    make_change(posts=[post], comments=[make_comment(post)])
    count()  # warm what every page reads once per process
    one = count()
    others = [BlogPageFactory(parent=site["index"]) for _ in range(3)]
    for other in others:
        make_change(
            topic=make_topic(), posts=[post, other], comments=[make_comment(post), make_comment(post)]
        )
    assert count() == one


def test_a_post_shows_its_five_newest_changes_and_links_to_the_rest(client, post):
    for day in range(1, 8):
        make_change(posts=[post], title=f"Change of day {day}", date=datetime.date(2026, 6, day))
    html = client.get(post.url).text
    assert "Change of day 7" in html and "Change of day 3" in html
    assert "Change of day 2" not in html
    assert "2 more changes on the changes page" in html


@pytest.mark.parametrize("path", ["post", "/changes/", "/changes/feed/"])
def test_a_cited_excerpt_drops_direction_overrides_as_the_discussion_does(client, post, path):
    """Reader text is cleaned the same way wherever it is shown (comments.sanitize)."""
    comment = make_comment(post, comment="Refund \u202ednuf\u202c desk", user_name="Ro\u202ese")
    make_change(posts=[post], comments=[comment])
    text = client.get(post.url if path == "post" else path).content.decode()
    assert "Refund dnuf desk" in text
    assert "\u202e" not in text and "\u202c" not in text
