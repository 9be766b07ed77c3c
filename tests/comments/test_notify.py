"""Email about comments: after commit, never with held text, never losing a comment."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from wagtail.models import PageViewRestriction

from comments import moderation, notify, tasks, tokens
from comments.models import Comment, Discussion, Status, Subscriber
from comments.signals import discussion_changed
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
URL = "/comments/post/"


def post_comment(client, post, callbacks, **fields):
    with callbacks(execute=True):
        return client.post(URL, form_data(post, **fields))


def test_no_email_is_sent_before_the_transaction_commits(
    client, post, discussion, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(URL, form_data(post))
    assert mail.outbox == []
    assert callbacks  # queued for after commit


def test_moderators_get_an_email_per_held_comment_without_its_text(
    client, post, discussion, django_capture_on_commit_callbacks
):
    post_comment(
        client, post, django_capture_on_commit_callbacks, comment="My MRN is 00482913", post_anyway="1"
    )
    assert [m.to for m in mail.outbox] == [["moderators@example-hospital.org"]]
    body = mail.outbox[0].body
    assert "00482913" not in body
    assert "Possible private health information" in body
    assert "/admin/comments/" in body


@pytest.mark.no_rate_limits
def test_hourly_digest_mode_sends_nothing_at_once_and_one_digest_later(
    client, post, discussion, django_capture_on_commit_callbacks
):
    """Rate limits off: one test client posts two comments within a second."""
    discussion.notify = Discussion.Notify.HOURLY
    discussion.save()
    post_comment(client, post, django_capture_on_commit_callbacks, comment="alpha words")
    post_comment(client, post, django_capture_on_commit_callbacks, comment="beta words")
    assert mail.outbox == []
    assert notify.send_digest() == 2
    assert len(mail.outbox) == 1
    assert "2 comments waiting" in mail.outbox[0].body
    assert "alpha words" not in mail.outbox[0].body
    assert "beta words" not in mail.outbox[0].body
    assert notify.send_digest() == 0  # each comment is in one digest only


def test_digest_command_sends_the_digest(client, post, discussion, django_capture_on_commit_callbacks):
    discussion.notify = Discussion.Notify.HOURLY
    discussion.save()
    post_comment(client, post, django_capture_on_commit_callbacks)
    call_command("send_comment_digest")
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_never_loses_or_blocks_a_comment(
    client, post, discussion, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"
    response = post_comment(
        client, post, django_capture_on_commit_callbacks, comment="Kept", email="a@example.org", followup="on"
    )
    assert response.status_code == 302
    assert Comment.objects.get().comment == "Kept"


def confirm_link(message) -> str:
    return re.search(r"http://[^\s]+/comments/confirm/[^\s]+/", message.body).group(0)


@pytest.mark.no_rate_limits
def test_full_reply_notification_flow_confirm_notify_unsubscribe(
    client, post, discussion, admin_user, django_capture_on_commit_callbacks
):
    """Rate limits off: one test client plays every reader of the thread, within a second."""
    # A reader asks to follow replies: a confirmation email, nothing else until confirmed.
    post_comment(
        client,
        post,
        django_capture_on_commit_callbacks,
        comment="First!",
        email="Pat@Example.org",
        followup="on",
    )
    first = Comment.objects.get()
    confirmation = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert len(confirmation) == 1
    link = confirm_link(confirmation[0]).removeprefix("http://127.0.0.1:8000")
    assert client.get(link).status_code == 200
    assert not Subscriber.is_confirmed("pat@example.org")  # a link scanner's GET confirms nothing
    client.post(link)
    assert Subscriber.is_confirmed("pat@example.org")
    # A moderator approves it; someone replies; the reply is approved; Pat is told.
    moderation.approve(first.moderation, admin_user)
    post_comment(client, post, django_capture_on_commit_callbacks, comment="A reply", reply_to=str(first.pk))
    reply = Comment.objects.get(comment="A reply")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply.moderation, admin_user)
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    message = mail.outbox[0]
    assert "A reply" in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # One click (a POST, as mail clients send it) and no more emails about this thread.
    assert (
        Client(enforce_csrf_checks=True).post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code
        == 200
    )
    first.refresh_from_db()
    assert first.followup is False
    post_comment(
        client, post, django_capture_on_commit_callbacks, comment="Another reply", reply_to=str(first.pk)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(Comment.objects.get(comment="Another reply").moderation, admin_user)
    assert mail.outbox == []


def test_an_unconfirmed_address_is_never_emailed_about_replies(post, discussion, admin_user):
    parent = make_comment(post, user_email="quiet@example.org", followup=True)
    reply = make_comment(post, parent=parent, status=Status.WAITING)
    moderation.approve(reply.moderation, admin_user)
    assert notify.published(reply.pk) == []
    tasks.comment_published.enqueue(reply.pk)
    assert mail.outbox == []


def test_an_expired_or_forged_confirmation_link_is_refused(client, db, settings):
    settings.COMMENTS_CONFIRM_MAX_AGE = -1
    expired = tokens.sign("confirm", {"e": "pat@example.org"})
    assert client.post(f"/comments/confirm/{expired}/").status_code == 400
    settings.COMMENTS_CONFIRM_MAX_AGE = 3600
    forged = tokens.sign("unsubscribe", {"e": "pat@example.org", "t": 1})  # another kind of token
    assert client.post(f"/comments/confirm/{forged}/").status_code == 400
    assert not Subscriber.objects.exists()


def test_a_replayed_confirmation_link_never_brings_back_a_deleted_comment(
    client, post, discussion, django_capture_on_commit_callbacks
):
    post_comment(
        client,
        post,
        django_capture_on_commit_callbacks,
        comment="Delete me",
        email="p@example.org",
        followup="on",
    )
    link = confirm_link(mail.outbox[-1]).removeprefix("http://127.0.0.1:8000")
    Comment.objects.all().delete()
    # Refused: no comment of that address is left, so confirming it would store it again.
    assert client.post(link).status_code == 400
    assert client.post(link).status_code == 400
    assert not Comment.objects.exists()


def test_publishing_sends_discussion_changed_after_commit(
    post, discussion, admin_user, django_capture_on_commit_callbacks
):
    pages = []

    def receiver(sender, page, **kwargs):
        pages.append(page.pk)

    discussion_changed.connect(receiver)
    try:
        comment = make_comment(post, status=Status.WAITING)
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve(comment.moderation, admin_user)
    finally:
        discussion_changed.disconnect(receiver)
    assert pages == [post.pk]


def _confirmed_follower(post) -> Comment:
    Subscriber.confirm("follower@example.org")
    return make_comment(post, user_email="follower@example.org", followup=True)


def test_no_reply_email_for_a_reply_under_a_rejected_comment(post, discussion, admin_user):
    root = _confirmed_follower(post)
    rejected = make_comment(post, parent=root, status=Status.REJECTED)
    reply = make_comment(post, parent=rejected, status=Status.WAITING)
    moderation.approve(reply.moderation, admin_user)
    assert notify.published(reply.pk) == []


def test_no_reply_email_for_a_reply_on_a_login_only_post(post, discussion, admin_user):
    root = _confirmed_follower(post)
    reply = make_comment(post, parent=root, status=Status.WAITING)
    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
    moderation.approve(reply.moderation, admin_user)
    assert notify.published(reply.pk) == []


def test_a_visible_reply_is_emailed_to_a_confirmed_follower(post, discussion, admin_user):
    root = _confirmed_follower(post)
    reply = make_comment(post, parent=root, status=Status.WAITING)
    moderation.approve(reply.moderation, admin_user)
    assert [delivery.kind for delivery in notify.published(reply.pk)] == ["reply"]
