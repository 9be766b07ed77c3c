"""The admin side: marking feedback from the queue (button and key `f`), citing in the change
editor (only published comments), the preview, and the leadership panel."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from changes import stats
from changes.models import Change, Feedback, FeedbackStatus
from comments import actions
from comments.models import Status
from tests.changes.factories import make_change, make_topic
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
ADD_CHANGE = "/admin/snippets/changes/change/add/"


def feedback_url(comment) -> str:
    return f"/admin/changes/feedback/{comment.pk}/"


def row_actions(request, moderation) -> list:
    """The row buttons other apps add to comments' table of moderation actions (the hook)."""
    added = [action for fn in hooks.get_hooks("comment_queue_row_actions") for action in fn()]
    return [
        (button.label, button.formaction, button.action.key)
        for button in actions.row_buttons(request, moderation, added)
    ]


def test_the_queue_row_of_a_published_comment_offers_mark_as_feedback_with_key_f(rf, moderator, post):
    comment = make_comment(post)
    request = rf.get("/admin/comments/")
    request.user = moderator
    assert ("Mark as feedback", feedback_url(comment), "f") in row_actions(request, comment.moderation)


def test_the_queue_row_of_a_held_comment_offers_no_feedback_action(rf, moderator, post):
    comment = make_comment(post, status=Status.WAITING)
    request = rf.get("/admin/comments/")
    request.user = moderator
    assert row_actions(request, comment.moderation) == []


def test_a_moderator_marks_a_published_comment_as_feedback(client, moderator, post):
    comment = make_comment(post)
    topic = make_topic("Scheduling")
    client.force_login(moderator)
    response = client.post(feedback_url(comment), {"topic": topic.pk, "status": "in_progress", "reason": ""})
    assert response.status_code == 302
    feedback = Feedback.objects.get(pk=comment.pk)
    assert (feedback.topic, feedback.status) == (topic, FeedbackStatus.IN_PROGRESS)


def test_not_changing_without_a_reason_is_a_form_error(client, moderator, post):
    comment = make_comment(post)
    client.force_login(moderator)
    response = client.post(
        feedback_url(comment), {"topic": make_topic().pk, "status": "not_changing", "reason": " "}
    )
    assert response.status_code == 200
    assert "Tell readers why this is not changing." in response.text
    assert not Feedback.objects.exists()


def test_a_held_comment_cannot_be_marked_as_feedback(client, moderator, post):
    comment = make_comment(post, status=Status.WAITING, comment="Held text with a phone number.")
    client.force_login(moderator)
    response = client.post(feedback_url(comment), {"topic": make_topic().pk, "status": "heard"})
    assert response.status_code == 302
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("value", ["bogus", "", "99999"])
def test_bad_feedback_input_is_a_form_error_never_a_500(client, moderator, post, value):
    comment = make_comment(post)
    client.force_login(moderator)
    response = client.post(feedback_url(comment), {"topic": value, "status": value})
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_feedback_on_a_comment_that_does_not_exist_is_a_404(client, moderator, db):
    client.force_login(moderator)
    assert client.get("/admin/changes/feedback/987654/").status_code == 404


def test_an_editor_without_the_moderation_permission_cannot_mark_feedback(client, django_user_model, post):
    editor = django_user_model.objects.create_user("ed", "ed@example-hospital.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    comment = make_comment(post)
    response = client.post(feedback_url(comment), {"topic": make_topic().pk, "status": "heard"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")  # Wagtail's PermissionDenied
    assert not Feedback.objects.exists()


def change_form(topic, posts=(), comments=(), **fields) -> dict:
    return nested_form_data(
        {
            "title": fields.get("title", "The phone menu offers a way to change an appointment"),
            "date": "2026-10-05",
            "department": "Patient Access Center",
            "topic": topic.pk,
            "description": "Details.",
            "cited_posts": inline_formset([{"post": p.pk} for p in posts]),
            "cited_comments": inline_formset([{"comment": c.pk} for c in comments]),
        }
    )


def test_the_change_editor_refuses_to_cite_a_held_comment(client, admin_user, post):
    held = make_comment(post, status=Status.WAITING)
    client.force_login(admin_user)
    response = client.post(ADD_CHANGE, change_form(make_topic(), posts=[post], comments=[held]))
    assert response.status_code == 200
    assert "Only a published comment can be cited" in response.text
    assert not Change.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999999", "1e3", "\x00"])
def test_a_bad_comment_number_in_the_change_editor_is_a_form_error(client, admin_user, post, value):
    client.force_login(admin_user)
    data = change_form(make_topic(), posts=[post])
    data.update(
        {"cited_comments-TOTAL_FORMS": "1", "cited_comments-0-comment": value, "cited_comments-0-id": ""}
    )
    data.update({"cited_comments-0-ORDER": "1", "cited_comments-0-DELETE": ""})
    response = client.post(ADD_CHANGE, data)
    assert response.status_code == 200
    assert not Change.objects.exists()


def test_the_change_editor_saves_a_change_with_a_revision_and_its_citations(client, admin_user, post):
    comment = make_comment(post)
    client.force_login(admin_user)
    response = client.post(ADD_CHANGE, change_form(make_topic(), posts=[post], comments=[comment]))
    assert response.status_code == 302
    change = Change.objects.get()
    assert [row.comment_id for row in change.cited_comments.all()] == [comment.pk]
    assert change.revisions.count() == 1
    assert Feedback.objects.get(pk=comment.pk).status == FeedbackStatus.CHANGED


def test_the_preview_shows_the_change_with_its_citation_excerpt(client, admin_user, post):
    comment = make_comment(post, comment="The cancellation voicemail box was full for a week.")
    client.force_login(admin_user)
    preview = "/admin/snippets/changes/change/preview/"
    data = change_form(make_topic(), posts=[post], comments=[comment], title="Previewed wording")
    assert client.post(preview, data).json()["is_valid"]
    page = client.get(preview, {"mode": ""})
    assert "Previewed wording" in page.text
    assert "The cancellation voicemail box was full for a week." in page.text
    assert not Change.objects.exists()


def test_the_dashboard_panel_shows_feedback_by_topic_and_status(client, admin_user, post):
    topic = make_topic("Phone lines")
    Feedback.objects.create(comment_id=make_comment(post).pk, topic=topic, status=FeedbackStatus.HEARD)
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert "You said, we changed" in response.text
    assert "Phone lines" in response.text


def test_the_median_time_runs_from_the_first_comment_on_a_topic_to_each_change(post):
    topic = make_topic("Scheduling")
    early = make_comment(post, submit_date=datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC))
    later = make_comment(post, submit_date=datetime.datetime(2026, 9, 20, 12, tzinfo=datetime.UTC))
    for comment in (early, later):
        Feedback.objects.create(comment_id=comment.pk, topic=topic)
    make_change(topic=topic, date=datetime.date(2026, 9, 11))  # 10 days after the first comment
    make_change(topic=topic, date=datetime.date(2026, 9, 21))  # 20 days after it
    summary = stats.summary()
    assert summary.median_days == 15
    assert summary.rows[0].median_days == 15


def test_the_leadership_summary_costs_the_same_queries_whatever_the_volume(post):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            stats.summary()
        return len(queries)

    topic = make_topic()
    Feedback.objects.create(comment_id=make_comment(post).pk, topic=topic)
    make_change(topic=topic, date=datetime.date(2030, 1, 1))
    few = count()
    for n in range(12):
        other = make_topic()
        Feedback.objects.create(comment_id=make_comment(post).pk, topic=other, status=FeedbackStatus.HEARD)
        make_change(topic=other, date=datetime.date(2030, 1, 1 + n))
    assert count() == few == 2


def test_the_change_editor_opens_a_saved_change_with_its_citations(client, admin_user, post):
    comment = make_comment(post)
    change = make_change(posts=[post], comments=[comment])
    client.force_login(admin_user)
    response = client.get(f"/admin/snippets/changes/change/edit/{change.pk}/")
    assert response.status_code == 200
    assert f'value="{comment.pk}"' in response.text


def test_the_dashboard_panel_is_not_shown_to_an_editor_without_access(client, django_user_model, post):
    editor = django_user_model.objects.create_user("ed", "ed@example-hospital.org", "pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "You said, we changed" not in response.text
