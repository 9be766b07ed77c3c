"""Who may see a comment (comments/visibility.py): a live, public post, the comment published and
every comment above it published; the same answer in the feeds, the standalone pages, the counts,
the discussion and the reply form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from blog.models import prepare_cards
from comments import moderation, visibility
from comments.counts import comment_count
from comments.models import Comment, Status
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db
FEEDS = ("/comments/feed/", "/comments/feed/{pk}/")


def restrict(page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.fixture
def rejected_thread(post):
    """A thread whose second comment was rejected: its reply must not show, the later one must."""
    root = make_comment(post, comment="The root of the thread.")
    rejected = make_comment(post, parent=root, status=Status.REJECTED, comment="Rejected words.")
    under = make_comment(post, parent=rejected, comment="A reply under the rejected one.")
    deeper = make_comment(post, parent=under, comment="Deeper under the rejected one.")
    sibling = make_comment(post, parent=root, comment="A later reply to the root.")
    return {"root": root, "rejected": rejected, "under": under, "deeper": deeper, "sibling": sibling}


# The rule itself


def test_a_reply_under_a_rejected_comment_is_not_in_the_discussion(rejected_thread):
    shown = set(visibility.in_discussion().values_list("pk", flat=True))
    assert shown == {rejected_thread["root"].pk, rejected_thread["sibling"].pk}


def test_a_reply_under_a_held_comment_in_another_thread_does_not_hide_this_thread(post, rejected_thread):
    other_root = make_comment(post, status=Status.WAITING)
    make_comment(post, parent=other_root)
    assert visibility.in_discussion().filter(pk=rejected_thread["sibling"].pk).exists()


def test_a_reply_posted_after_the_rejection_in_a_deep_thread_keeps_its_place(post, rejected_thread):
    """xtd renumbers the thread when a reply lands in the middle: the rule follows the new order."""
    late = make_comment(post, parent=rejected_thread["root"], comment="Later still.")
    under_late = make_comment(post, parent=late)
    shown = set(visibility.in_discussion().values_list("pk", flat=True))
    assert {late.pk, under_late.pk} <= shown
    assert rejected_thread["under"].pk not in shown


def test_a_comment_on_a_login_only_post_is_not_visible(post):
    comment = make_comment(post)
    restrict(post)
    assert not visibility.visible().filter(pk=comment.pk).exists()


def test_a_comment_under_a_restricted_section_is_not_visible(site, post):
    comment = make_comment(post)
    restrict(site["index"])
    assert not visibility.visible().filter(pk=comment.pk).exists()


def test_a_comment_on_an_unpublished_post_is_not_visible(post):
    comment = make_comment(post)
    post.unpublish()
    assert not visibility.visible().filter(pk=comment.pk).exists()


def test_a_published_comment_on_a_live_public_post_is_visible(post):
    comment = make_comment(post)
    assert visibility.visible_comment_or_404(comment.pk) == comment


# The feeds


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_leave_out_a_reply_under_a_rejected_comment(client, post, rejected_thread, feed):
    text = client.get(feed.format(pk=post.pk)).text
    assert "A later reply to the root." in text
    assert "A reply under the rejected one." not in text
    assert "Deeper under the rejected one." not in text


def test_site_feed_leaves_out_comments_and_titles_of_a_login_only_post(client, site, post):
    private = BlogPageFactory(parent=site["index"], title="Board minutes, private")
    make_comment(private, comment="Said on the private post.")
    make_comment(post, comment="Said on the public post.")
    restrict(private)
    text = client.get("/comments/feed/").text
    assert "Said on the public post." in text
    assert "Said on the private post." not in text
    assert "Board minutes" not in text


def test_site_feed_leaves_out_comments_of_an_unpublished_post(client, site, post):
    gone = BlogPageFactory(parent=site["index"], title="Withdrawn announcement")
    make_comment(gone, comment="Said on the withdrawn post.")
    gone.unpublish()
    text = client.get("/comments/feed/").text
    assert "Said on the withdrawn post." not in text
    assert "Withdrawn announcement" not in text


def test_post_feed_of_a_post_under_a_restricted_section_is_404(client, site, post):
    make_comment(post)
    restrict(site["index"])
    assert client.get(f"/comments/feed/{post.pk}/").status_code == 404


@pytest.mark.no_page_cache
def test_site_feed_runs_the_same_number_of_queries_for_3_comments_as_for_30(client, site):
    """Checking the post and every ancestor is SQL, not a query per comment."""
    posts = [BlogPageFactory(parent=site["index"]) for _ in range(3)]
    root = make_comment(posts[0])
    make_comment(posts[0], parent=root)
    make_comment(posts[1])

    def feed_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/comments/feed/").status_code == 200
        return len(queries)

    feed_queries()  # warm: site root paths and content types are read once per process
    few = feed_queries()
    for post in posts:
        parent = make_comment(post)
        for _ in range(8):
            parent = make_comment(post, parent=parent if parent.level < 3 else None)
    assert Comment.objects.count() >= 30
    assert feed_queries() == few


def test_unpublishing_a_post_purges_the_comment_feeds(client, post, commit):
    make_comment(post, comment="Seen until the post is withdrawn.")
    for feed in FEEDS:
        client.get(feed.format(pk=post.pk))
    assert client.get("/comments/feed/")["X-Page-Cache"] == "hit"
    with commit():
        post.unpublish()
    assert "Seen until the post is withdrawn." not in client.get("/comments/feed/").text
    assert client.get(f"/comments/feed/{post.pk}/").status_code == 404


def test_restricting_a_post_purges_the_comment_feeds(client, post, commit):
    make_comment(post, comment="Seen until the post is restricted.")
    client.get("/comments/feed/")
    assert client.get("/comments/feed/")["X-Page-Cache"] == "hit"
    with commit():
        restrict(post)
    assert "Seen until the post is restricted." not in client.get("/comments/feed/").text


def test_lifting_a_restriction_purges_the_comment_feeds(client, post, commit):
    make_comment(post, comment="Seen once the restriction is lifted.")
    restriction = restrict(post)
    client.get("/comments/feed/")
    with commit():
        restriction.delete()
    assert "Seen once the restriction is lifted." in client.get("/comments/feed/").text


def test_rejecting_a_comment_purges_the_replies_beneath_it_from_the_feeds(client, post, admin_user, commit):
    parent = make_comment(post, comment="About to be rejected.")
    make_comment(post, parent=parent, comment="An answer to it.")
    assert "An answer to it." in client.get("/comments/feed/").text
    with commit():
        moderation.reject(parent.moderation, admin_user, "off_topic")
    assert "An answer to it." not in client.get("/comments/feed/").text


# The standalone pages


@pytest.mark.parametrize("page", ["reply", "report"])
def test_standalone_pages_of_a_comment_on_a_login_only_post_are_404(client, post, page):
    comment = make_comment(post)
    restrict(post)
    assert client.get(f"/comments/{page}/{comment.pk}/").status_code == 404


@pytest.mark.parametrize("page", ["reply", "report"])
def test_standalone_pages_of_a_comment_on_an_unpublished_post_are_404(client, post, page):
    comment = make_comment(post)
    post.unpublish()
    assert client.get(f"/comments/{page}/{comment.pk}/").status_code == 404


@pytest.mark.parametrize("page", ["reply", "report", "report/{pk}/token"])
def test_standalone_pages_of_a_reply_under_a_rejected_comment_are_404(client, rejected_thread, page):
    pk = rejected_thread["under"].pk
    url = f"/comments/{page.format(pk=pk)}/" if "{pk}" in page else f"/comments/{page}/{pk}/"
    assert client.get(url).status_code == 404


def test_report_post_of_a_comment_on_a_login_only_post_is_404(client, post):
    comment = make_comment(post)
    restrict(post)
    assert client.post(f"/comments/report/{comment.pk}/", {"token": "x"}).status_code == 404


@pytest.mark.parametrize("pk", ["0", "999999999", "12345678901234567890"])
def test_standalone_pages_of_a_missing_comment_are_404(client, db, pk):
    assert client.get(f"/comments/reply/{pk}/").status_code == 404


# Counts and replies


def test_counts_leave_out_a_reply_under_a_rejected_comment(post, rejected_thread):
    assert comment_count(post) == 2
    assert prepare_cards([post])[0].comment_count == 2


def test_a_reply_to_a_comment_under_a_rejected_one_is_a_form_error(client, post, discussion, rejected_thread):
    data = form_data(post, comment="Answering the hidden reply.", reply_to=str(rejected_thread["under"].pk))
    response = client.post("/comments/post/", data)
    assert response.status_code == 400
    assert "not available" in response.content.decode()
    assert not Comment.objects.filter(comment="Answering the hidden reply.").exists()


@pytest.mark.no_page_cache
def test_the_post_page_leaves_out_a_reply_under_a_rejected_comment(client, post, discussion, rejected_thread):
    html = client.get(post.url).content.decode()
    assert "A later reply to the root." in html
    assert "A reply under the rejected one." not in html
    assert "Deeper under the rejected one." not in html
