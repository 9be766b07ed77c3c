"""Hiding, rejecting or erasing a cited comment removes its excerpt and link everywhere at once
(cached pages purged); the change itself stays. Run with production's page cache on."""

import pytest

from blog.models import BlogPage
from comments import moderation
from comments.models import Comment
from comments.personal_data import erase_commenter
from tests.changes.factories import make_change
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

EXCERPT = "The cancellation voicemail box was full for a week."


@pytest.fixture
def cited(site, post):
    """A change citing another post and a comment on `post`, every page showing it cached."""
    other = BlogPageFactory(parent=site["index"])
    comment = make_comment(post, comment=EXCERPT, user_email="ana@example.org")
    change = make_change(posts=[other], comments=[comment], title="Hourly mailbox checks")
    pages = [post.url, other.url, "/changes/", f"/changes/topic/{change.topic.slug}/", "/changes/feed/"]
    return {"comment": comment, "change": change, "pages": pages}


def assert_cached_then_gone(client, cited, hide) -> None:
    for path in cited["pages"]:
        assert EXCERPT in client.get(path).text
        assert client.get(path)["X-Page-Cache"] == "hit"
    hide()
    for path in cited["pages"]:
        html = client.get(path).text
        assert EXCERPT not in html, path
        above_discussion = html.split('id="comments"')[0]
        assert cited["comment"].get_absolute_url() not in above_discussion, path
        assert f'data-cites-comment="{cited["comment"].pk}"' not in above_discussion, path
        assert "Hourly mailbox checks" in html, path  # the change stays


def test_rejecting_a_cited_comment_removes_it_everywhere(client, cited, admin_user, commit):
    def hide():
        with commit():
            moderation.reject(cited["comment"].moderation, admin_user, "other")

    assert_cached_then_gone(client, cited, hide)


def test_reports_that_return_a_cited_comment_to_the_queue_remove_it_everywhere(client, cited, commit):
    def hide():
        with commit():
            for address in ("192.0.2.1", "192.0.2.2"):
                moderation.report(cited["comment"].moderation, address, threshold=2)

    assert_cached_then_gone(client, cited, hide)


def test_erasing_the_commenter_removes_the_excerpt_everywhere(client, cited, commit):
    def hide():
        with commit():
            erase_commenter("ana@example.org")

    assert_cached_then_gone(client, cited, hide)


def test_a_cited_comment_hidden_from_a_shell_is_removed_everywhere(client, cited, commit):
    def hide():
        with commit():
            comment = Comment.objects.get(pk=cited["comment"].pk)
            comment.is_public = False
            comment.save()

    assert_cached_then_gone(client, cited, hide)


def test_unpublishing_the_commented_post_removes_its_excerpt_from_the_changes_page(
    client, cited, post, commit
):
    assert EXCERPT in client.get("/changes/").text
    with commit():
        BlogPage.objects.get(pk=post.pk).unpublish()
    assert EXCERPT not in client.get("/changes/").text


def test_editing_a_change_purges_every_page_that_shows_it(client, cited, commit):
    for path in cited["pages"]:
        client.get(path)
    with commit():
        change = cited["change"]
        change.title = "Mailbox checked every hour"
        change.save()
    for path in cited["pages"]:
        assert "Mailbox checked every hour" in client.get(path).text, path


def test_removing_a_citation_purges_the_post_that_showed_it(client, cited, post, commit):
    client.get(post.url)
    with commit():
        change = cited["change"]
        change.cited_comments.clear()
        change.save()
    assert 'id="what-changed"' not in client.get(post.url).text


def test_a_comment_cited_before_it_was_held_is_not_published_by_the_change(client, cited, admin_user, commit):
    with commit():
        moderation.reject(cited["comment"].moderation, admin_user, "other")
        cited["change"].save()  # saving the change again must not bring the excerpt back
    assert EXCERPT not in client.get("/changes/").text
