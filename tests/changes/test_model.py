"""Topics, feedback and changes: what may be cited, and what citing does."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django_comments_xtd.models import XtdComment

from changes.models import Change, ChangeComment, Feedback, FeedbackStatus, Topic
from comments.models import Status
from tests.changes.factories import make_change, make_topic
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_a_topic_gets_a_slug_from_its_name(db):
    assert make_topic("Phone lines").slug == "phone-lines"


@pytest.mark.parametrize("status", [Status.WAITING, Status.REJECTED, Status.SPAM])
def test_citing_a_comment_readers_cannot_see_is_a_validation_error(post, status):
    comment = make_comment(post, status=status)
    change = make_change(posts=[post])
    row = ChangeComment(change=change, comment_id=comment.pk)
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "comment" in error.value.message_dict


def test_citing_a_reply_under_a_rejected_comment_is_a_validation_error(post):
    parent = make_comment(post, status=Status.REJECTED)
    reply = make_comment(post, parent=parent)
    row = ChangeComment(change=make_change(), comment_id=reply.pk)
    with pytest.raises(ValidationError):
        row.full_clean()


def test_citing_a_comment_on_an_unpublished_post_is_a_validation_error(post):
    comment = make_comment(post)
    post.unpublish()
    with pytest.raises(ValidationError):
        ChangeComment(change=make_change(), comment_id=comment.pk).full_clean()


def test_a_published_comment_may_be_cited(post):
    comment = make_comment(post)
    ChangeComment(change=make_change(), comment_id=comment.pk).full_clean(exclude=["change"])


def test_citing_a_comment_moves_its_feedback_to_changed(post):
    topic = make_topic("Scheduling")
    comment = make_comment(post)
    Feedback.objects.create(comment_id=comment.pk, topic=topic, status=FeedbackStatus.IN_PROGRESS)
    make_change(topic=topic, comments=[comment])
    assert Feedback.objects.get(pk=comment.pk).status == FeedbackStatus.CHANGED


def test_citing_a_comment_without_feedback_records_it_as_changed_on_the_change_topic(post):
    topic = make_topic("Billing")
    comment = make_comment(post)
    make_change(topic=topic, comments=[comment])
    feedback = Feedback.objects.get(pk=comment.pk)
    assert (feedback.status, feedback.topic) == (FeedbackStatus.CHANGED, topic)


def test_not_changing_needs_a_public_reason(post):
    comment = make_comment(post)
    feedback = Feedback(comment_id=comment.pk, topic=make_topic(), status=FeedbackStatus.NOT_CHANGING)
    with pytest.raises(ValidationError) as error:
        feedback.full_clean()
    assert "reason" in error.value.message_dict


def test_a_change_for_a_post_includes_changes_citing_its_comments(site, post):
    other = BlogPageFactory(parent=site["index"])
    by_comment = make_change(comments=[make_comment(post)])
    by_post = make_change(posts=[post])
    make_change(posts=[other])
    assert set(Change.objects.for_post(post)) == {by_comment, by_post}


def test_a_comment_on_something_other_than_a_post_cannot_be_cited(post):
    comment = make_comment(post)
    XtdComment.norel_objects.filter(pk=comment.pk).update(
        content_type=ContentType.objects.get_for_model(Topic)
    )
    with pytest.raises(ValidationError):
        ChangeComment(change=make_change(), comment_id=comment.pk).full_clean()


def test_resaving_a_change_gives_no_feedback_to_a_cited_comment_hidden_since(post):
    comment = make_comment(post)
    change = make_change(comments=[comment])
    Feedback.objects.all().delete()
    XtdComment.norel_objects.filter(pk=comment.pk).update(is_public=False)
    change.save()
    assert not Feedback.objects.exists()
