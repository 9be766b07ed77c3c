"""A commenter who left an email, asked for reply emails and confirmed their address is told when a
change cites their comment: through the task queue, once, with the one-click unsubscribe."""

import re

import pytest
from django.core import mail

from changes.models import ChangeComment
from changes.tasks import notify_cited_commenters
from comments.models import Comment, Status, Subscriber
from tests.changes.factories import make_change
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db


def following(post, email="pat@example.org", **fields) -> Comment:
    Subscriber.confirm(email)
    return make_comment(post, user_email=email, followup=True, **fields)


def test_a_confirmed_follower_is_emailed_when_a_change_cites_their_comment(post, commit):
    comment = following(post)
    with commit():
        make_change(comments=[comment], title="Hourly mailbox checks")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert "Hourly mailbox checks" in message.body
    assert comment.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_in_the_email_stops_emails_about_that_conversation(client, post, commit):
    comment = following(post)
    with commit():
        make_change(comments=[comment])
    url = re.search(r"<(http[^>]+)>", mail.outbox[0].extra_headers["List-Unsubscribe"]).group(1)
    assert client.post(url.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert not Comment.objects.get(pk=comment.pk).followup
    mail.outbox.clear()
    with commit():
        make_change(comments=[comment])
    assert mail.outbox == []


@pytest.mark.parametrize(
    "fields",
    [
        {"user_email": "pat@example.org", "followup": False},  # did not ask
        {"user_email": "", "followup": True},  # no email
        {"user_email": "unconfirmed@example.org", "followup": True},  # never confirmed
    ],
)
def test_nobody_else_is_emailed(post, commit, fields):
    Subscriber.confirm("pat@example.org")
    with commit():
        make_change(comments=[make_comment(post, **fields)])
    assert mail.outbox == []


def test_saving_the_change_again_sends_nothing_more(post, commit):
    comment = following(post)
    with commit():
        change = make_change(comments=[comment])
    with commit():
        change.title = "Reworded"
        change.save()
    notify_cited_commenters.enqueue(change.pk)
    assert len(mail.outbox) == 1
    assert ChangeComment.objects.get().notified_at is not None


def test_a_comment_hidden_before_the_task_runs_is_not_emailed_about(post, commit):
    comment = following(post)
    change = make_change(comments=[comment])  # no commit: the task has not run yet
    Comment.objects.filter(pk=comment.pk).update(is_public=False)
    comment.moderation.status = Status.WAITING
    comment.moderation.save()
    notify_cited_commenters.enqueue(change.pk)
    assert mail.outbox == []


def test_the_task_for_a_deleted_change_does_nothing(db):
    assert notify_cited_commenters.enqueue(987654).return_value == 0
