"""The moderation state machine (comments/moderation.py): each decision calls its effects by name
(audit log, mail, one purge) and tells the apps above with `discussion_changed`."""

import pytest
from django.core import mail
from django.db import transaction
from wagtail.models import ModelLogEntry

from comments import moderation
from comments.forms import CommentForm
from comments.models import Status, Subscriber
from comments.signals import discussion_changed
from pagecache.purging import pages_purged
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment, post_as_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def purges_sent():
    """Each purge the page cache applies (pagecache.purging.pages_purged), as (paths, groups)."""
    sent = []

    def receiver(sender, paths, groups, **kwargs):
        sent.append((list(paths), sorted(str(group) for group in groups)))

    pages_purged.connect(receiver, weak=False, dispatch_uid="test-purges-sent")
    yield sent
    pages_purged.disconnect(dispatch_uid="test-purges-sent")


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


def test_approving_a_comment_applies_exactly_one_purge(
    post, discussion, admin_user, purges_sent, django_capture_on_commit_callbacks
):
    comment = make_comment(post, status=Status.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(comment.moderation, admin_user)
    assert len(purges_sent) == 1
    assert purges_sent[0][0] == [post.url]


def test_a_comment_published_as_it_is_posted_applies_exactly_one_purge(
    post, discussion, admin_user, purges_sent, django_capture_on_commit_callbacks
):
    # Staff are published at once; the comment is saved twice by xtd and still purged once.
    form = CommentForm(post, data=form_data(post))
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        stored = post_as_reader(
            form.get_comment_object(site_id=1), page=post, discussion=discussion, user=admin_user
        )
    assert stored.is_public is True
    assert len(purges_sent) == 1
    assert purges_sent[0][0] == [post.url]


def test_a_comment_saved_from_a_shell_still_purges_its_post(
    post, purges_sent, django_capture_on_commit_callbacks
):
    comment = make_comment(post, status=Status.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        comment.is_public = True
        comment.save()
    assert purges_sent and all(paths == [post.url] for paths, _groups in purges_sent)


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


def test_reply_mail_goes_out_only_the_first_time_a_comment_is_shown(
    post, admin_user, django_capture_on_commit_callbacks
):
    reply = followed_reply(post)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply.moderation, admin_user)
        moderation.reject(reply.moderation, admin_user, "off_topic")
        moderation.approve(reply.moderation, admin_user)
    actions = (
        ModelLogEntry.objects.filter(object_id=str(reply.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert list(actions) == ["comments.approve", "comments.reject", "comments.approve"]
    assert [m.to for m in mail.outbox] == [["pat@example.org"]]


def test_posting_stores_the_comment_in_the_state_the_rules_give_and_mails_moderators(
    post, discussion, django_capture_on_commit_callbacks
):
    form = CommentForm(post, data=form_data(post))
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        stored = post_as_reader(form.get_comment_object(site_id=1), page=post, discussion=discussion)
    assert stored.moderation.status == Status.WAITING
    assert mail.outbox, "the moderators are told a comment waits"


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
