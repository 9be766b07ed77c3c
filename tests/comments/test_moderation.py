"""The moderation state machine (comments/moderation.py): each step announces itself with a signal,
and the audit log, mail and page-cache purges happen only through the receivers of those signals."""

import pytest
from django.core import mail
from django.db import transaction
from wagtail.models import ModelLogEntry

from comments import moderation
from comments.forms import CommentForm
from comments.models import Status, Subscriber
from comments.signals import (
    comment_decided,
    comment_edited,
    comment_posted,
    comment_requeued,
    comment_routed,
    discussion_changed,
)
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def silenced(monkeypatch):
    """Every receiver of the comments' signals disconnected for the test."""
    for signal in (
        comment_decided,
        comment_edited,
        comment_posted,
        comment_requeued,
        comment_routed,
        discussion_changed,
    ):
        monkeypatch.setattr(signal, "receivers", [])
        signal.sender_receivers_cache.clear()


@pytest.fixture
def record():
    """record(signal, *names): a list of the named arguments of each sending of `signal`."""
    connected = []

    def record(signal, *names):
        calls = []

        def receiver(sender, **kwargs):
            calls.append(tuple(kwargs[name] for name in names))

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))
        return calls

    yield record
    for signal, receiver in connected:
        signal.disconnect(receiver)


def followed_reply(post):
    """A held reply in a thread whose confirmed first commenter asked to hear about replies."""
    parent = make_comment(post, user_email="pat@example.org", followup=True)
    Subscriber.confirm("pat@example.org")
    return make_comment(post, parent=parent, status=Status.WAITING)


def test_an_approval_notifies_logs_and_announces_the_change(
    post, discussion, admin_user, django_capture_on_commit_callbacks
):
    reply = followed_reply(post)
    changed = []
    discussion_changed.connect(
        lambda sender, page, **kw: changed.append(page.pk), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            moderation.approve(reply.moderation, admin_user)
    finally:
        discussion_changed.disconnect(dispatch_uid="t")
    assert ModelLogEntry.objects.filter(action="comments.approve", object_id=str(reply.pk)).count() == 1
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]
    assert changed == [post.pk]


def test_decisions_reach_the_log_and_the_mail_only_through_signals(
    post, discussion, admin_user, silenced, django_capture_on_commit_callbacks
):
    reply = followed_reply(post)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply.moderation, admin_user)
        moderation.edit(reply.moderation, admin_user, "Edited.", redacted=True)
        moderation.route_to_patient_relations(reply.moderation, admin_user, discussion)
    reply.refresh_from_db()
    assert (reply.is_public, reply.comment) == (True, "Edited.")
    assert not ModelLogEntry.objects.exists()
    assert mail.outbox == []


def test_a_decision_rolled_back_takes_its_log_entry_and_its_mail_with_it(
    post, discussion, admin_user, django_capture_on_commit_callbacks
):
    reply = followed_reply(post)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        moderation.approve(reply.moderation, admin_user)
        raise RuntimeError("the request failed after the decision")
    assert not ModelLogEntry.objects.filter(action="comments.approve").exists()
    assert callbacks == []
    assert mail.outbox == []


def test_the_decided_signal_says_when_a_comment_is_first_shown(post, admin_user, record):
    comment = make_comment(post, status=Status.WAITING)
    seen = record(comment_decided, "action", "first_publication")
    moderation.approve(comment.moderation, admin_user)
    moderation.reject(comment.moderation, admin_user, "off_topic")
    moderation.approve(comment.moderation, admin_user)
    assert seen == [("comments.approve", True), ("comments.reject", False), ("comments.approve", False)]


def test_posting_announces_the_new_comment_with_its_status(post, discussion, record):
    form = CommentForm(post, data=form_data(post))
    assert form.is_valid(), form.errors
    posted = record(comment_posted, "comment", "status")
    stored = moderation.post_comment(form.get_comment_object(site_id=1), page=post, discussion=discussion)
    assert posted == [(stored, Status.WAITING)]


def test_reports_past_the_threshold_requeue_and_log_without_a_user(post):
    comment = make_comment(post)
    moderation.report(comment.moderation, "10.0.0.1", 2)
    moderation.report(comment.moderation, "10.0.0.2", 2)
    entry = ModelLogEntry.objects.get(action="comments.requeue")
    assert (entry.user_id, entry.data) == (None, {"reports": 2})


def test_routing_without_a_patient_relations_address_does_nothing(post, discussion, admin_user):
    discussion.patient_relations_email = ""
    comment = make_comment(post, status=Status.WAITING)
    assert moderation.route_to_patient_relations(comment.moderation, admin_user, discussion) is False
    comment.moderation.refresh_from_db()
    assert comment.moderation.routed_at is None
    assert not ModelLogEntry.objects.exists()
