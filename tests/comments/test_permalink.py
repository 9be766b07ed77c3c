"""/comments/<pk>/: a comment's lasting address, which finds the page of its post that shows it;
emails, feeds and other pages link to comments through it."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import PageViewRestriction

from comments import moderation
from comments.listing import page_of
from comments.models import Comment, Status, Subscriber
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_per_page(settings):
    settings.COMMENTS_PER_PAGE = 2


def test_a_comment_on_the_first_page_redirects_to_the_post_and_its_anchor(client, post, discussion):
    comment = make_comment(post)
    response = client.get(f"/comments/{comment.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{post.url}#c{comment.pk}"


def test_a_reply_in_a_later_thread_leads_to_the_page_that_shows_it(client, post, discussion, two_per_page):
    for _ in range(2):
        make_comment(post)
    third = make_comment(post)
    reply = make_comment(post, parent=third)
    response = client.get(f"/comments/{reply.pk}/")
    assert response["Location"] == f"{post.url}?page=2#c{reply.pk}"
    assert f'id="c{reply.pk}"' in client.get(f"{post.url}?page=2").content.decode()


def test_hidden_threads_before_it_do_not_move_it_to_a_later_page(client, post, discussion, two_per_page):
    for status in (Status.WAITING, Status.REJECTED, Status.SPAM):
        make_comment(post, status=status)
    comment = make_comment(post)
    assert client.get(f"/comments/{comment.pk}/")["Location"] == f"{post.url}#c{comment.pk}"


def test_page_of_asks_the_visibility_rule_then_counts_earlier_threads_in_two_queries(
    post, discussion, two_per_page, django_assert_num_queries
):
    for _ in range(2):
        make_comment(post)
    reply = make_comment(post, parent=make_comment(post))
    comment = Comment.objects.get(pk=reply.pk)  # as the permalink view has it: its post not loaded
    with django_assert_num_queries(2):
        assert page_of(comment) == 2


def test_page_of_a_reply_under_a_hidden_comment_is_none_in_one_query(
    post, discussion, django_assert_num_queries
):
    reply = make_comment(post, parent=make_comment(post, status=Status.REJECTED))
    comment = Comment.objects.get(pk=reply.pk)
    with django_assert_num_queries(1):
        assert page_of(comment) is None


@pytest.mark.parametrize("status", [Status.WAITING, Status.REJECTED, Status.SPAM])
def test_a_comment_readers_cannot_see_is_404(client, post, discussion, status):
    comment = make_comment(post, status=status)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404


def test_a_reply_under_a_hidden_comment_is_404(client, post, discussion):
    parent = make_comment(post, status=Status.REJECTED)
    reply = make_comment(post, parent=parent)
    assert client.get(f"/comments/{reply.pk}/").status_code == 404


def test_a_comment_on_an_unpublished_post_is_404(client, post, discussion):
    comment = make_comment(post)
    post.unpublish()
    assert client.get(f"/comments/{comment.pk}/").status_code == 404


def test_a_comment_on_a_post_restricted_to_a_group_is_404_for_others(client, post, discussion):
    comment = make_comment(post)
    restriction = PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Board"))
    assert client.get(f"/comments/{comment.pk}/").status_code == 404


def test_a_post_for_logged_in_readers_leads_only_them_to_a_comment(client, post, discussion, admin_user):
    comment = make_comment(post)
    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    client.force_login(admin_user)
    assert client.get(f"/comments/{comment.pk}/").status_code == 302


@pytest.mark.parametrize("path", ["999999", "0", "9" * 30, "-1", "1.0", "%C2%B3"])
def test_an_unknown_comment_is_404(client, db, path):
    assert client.get(f"/comments/{path}/").status_code == 404


@pytest.mark.parametrize("view", ["reply", "report"])
def test_a_comment_id_too_long_for_the_database_is_404_on_its_pages(client, db, view):
    assert client.get(f"/comments/{view}/{'9' * 30}/").status_code == 404


def test_the_permalink_of_a_comment_is_its_lasting_address(post):
    comment = make_comment(post)
    assert comment.permalink == comment.get_absolute_url() == f"/comments/{comment.pk}/"


def test_a_reply_email_links_through_the_lasting_address(
    post, discussion, settings, admin_user, django_capture_on_commit_callbacks
):
    Subscriber.confirm("first@example.org")
    first = make_comment(post, user_email="first@example.org", followup=True)
    reply = make_comment(post, parent=first, status=Status.WAITING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply.moderation, admin_user)
    [message] = [m for m in mail.outbox if m.to == ["first@example.org"]]
    assert f"{settings.BASE_URL}/comments/{reply.pk}/" in message.body


def test_a_post_feed_links_each_comment_through_the_lasting_address(client, post, discussion):
    comment = make_comment(post)
    assert f"/comments/{comment.pk}/</link>" in client.get(f"/comments/feed/{post.pk}/").content.decode()


def test_the_report_page_leads_back_through_the_lasting_address(client, post, discussion):
    comment = make_comment(post)
    page = client.get(f"/comments/report/{comment.pk}/").content.decode()
    assert f'href="/comments/{comment.pk}/"' in page
