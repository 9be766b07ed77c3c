"""The moderation queue in the Wagtail admin: who may use it, what each decision does, the log."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from comments import moderation
from comments.models import Comment, CommentRevision, Status
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
DECIDE = "/admin/comments/decide/"


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_editor_without_the_moderation_permission_is_refused(client, editor, post):
    comment = make_comment(post, status=Status.WAITING)
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 302  # Wagtail turns PermissionDenied into a redirect home
    assert response["Location"] == "/admin/"
    client.post(DECIDE, {"do": f"approve:{comment.pk}"})
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_the_comment_moderators_group_can_use_the_queue_but_not_edit_pages(client, moderator, post):
    client.force_login(moderator)
    assert client.get(QUEUE).status_code == 200
    response = client.get(f"/admin/pages/{post.pk}/edit/")
    assert response.status_code == 302  # Wagtail turns PermissionDenied into a redirect home
    assert response["Location"] == "/admin/"


def test_queue_lists_waiting_comments_with_reasons_and_thread_context(client, moderator, post, discussion):
    parent = make_comment(post, comment="The parent comment")
    make_comment(
        post,
        parent=parent,
        status=Status.WAITING,
        comment="call 555-0134",
        user_name="Pat Doe",
        user_email="pat@example.org",
        reasons=[{"code": "phi", "detail": "phone number"}],
    )
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "call 555-0134" in html
    assert "Possible private health information (phone number)" in html
    assert "The parent comment" in html
    assert "pat@example.org" in html
    assert "Pat Doe" in html
    assert post.title in html


def test_queue_shows_how_many_comments_the_email_had_approved(client, moderator, post, discussion):
    make_comment(post, user_email="regular@example.org")
    make_comment(post, user_email="regular@example.org")
    make_comment(post, status=Status.WAITING, user_email="regular@example.org")
    client.force_login(moderator)
    assert "2 comments approved before" in client.get(QUEUE).content.decode()


def test_queue_query_count_does_not_grow_with_rows(
    client, moderator, post, discussion, django_assert_max_num_queries
):
    for _ in range(3):
        make_comment(post, parent=make_comment(post), status=Status.WAITING, user_email="a@example.org")
    client.force_login(moderator)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as three:
        client.get(QUEUE)
    for _ in range(20):
        make_comment(post, parent=make_comment(post), status=Status.WAITING, user_email="b@example.org")
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(many) == len(three)


@pytest.mark.parametrize(
    ("tab", "status"),
    [
        ("waiting", Status.WAITING),
        ("published", Status.PUBLISHED),
        ("rejected", Status.REJECTED),
        ("spam", Status.SPAM),
    ],
)
def test_each_tab_shows_its_own_comments(client, moderator, post, discussion, tab, status):
    for each in Status.values:
        make_comment(post, status=each, comment=f"text-of-{each}")
    client.force_login(moderator)
    html = client.get(QUEUE, {"status": tab}).content.decode()
    assert f"text-of-{status}" in html
    assert sum(f"text-of-{each}" in html for each in Status.values) == 1


def test_reported_tab_shows_reported_comments(client, moderator, post, discussion):
    comment = make_comment(post, comment="reported text")
    moderation.report(comment.moderation, "10.0.0.1", 5)
    make_comment(post, comment="quiet text")
    client.force_login(moderator)
    html = client.get(QUEUE, {"status": "reported"}).content.decode()
    assert "reported text" in html
    assert "quiet text" not in html


def test_search_finds_text_name_and_email(client, moderator, post, discussion):
    make_comment(post, status=Status.WAITING, comment="about parking", user_name="Lee")
    make_comment(post, status=Status.WAITING, comment="about food", user_email="sam@example.org")
    client.force_login(moderator)
    for query, expected, other in [
        ("parking", "about parking", "about food"),
        ("sam@", "about food", "about parking"),
        ("Lee", "about parking", "about food"),
    ]:
        html = client.get(QUEUE, {"q": query}).content.decode()
        assert expected in html
        assert other not in html


def test_filter_by_post_and_bad_filter_values_are_ignored(client, moderator, site, post, discussion):
    other = BlogPageFactory(parent=site["index"])
    make_comment(post, status=Status.WAITING, comment="on the first post")
    make_comment(other, status=Status.WAITING, comment="on the other post")
    client.force_login(moderator)
    html = client.get(QUEUE, {"post": other.pk}).content.decode()
    assert "on the other post" in html
    assert "on the first post" not in html
    assert (
        client.get(QUEUE, {"post": "x", "since": "not-a-date", "status": "bogus", "p": "999"}).status_code
        == 200
    )


def test_approve_publishes_and_is_audit_logged(client, moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING, comment="Call me on 555-0134")
    client.force_login(moderator)
    client.post(DECIDE, {"do": f"approve:{comment.pk}"})
    comment.refresh_from_db()
    assert (comment.is_public, comment.is_removed) == (True, False)
    assert comment.moderation.status == Status.PUBLISHED
    assert comment.moderation.decided_by == moderator
    entry = ModelLogEntry.objects.get(action="comments.approve")
    assert (entry.user_id, entry.object_id) == (moderator.pk, str(comment.pk))
    assert "555" not in entry.label


def test_reject_records_the_reason(client, moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    client.force_login(moderator)
    client.post(DECIDE, {"do": f"reject:{comment.pk}", f"reason_{comment.pk}": "phi"})
    comment.refresh_from_db()
    assert (comment.is_public, comment.is_removed) == (False, True)
    assert (comment.moderation.status, comment.moderation.reject_reason) == (Status.REJECTED, "phi")
    assert ModelLogEntry.objects.filter(action="comments.reject").count() == 1


def test_spam_hides_the_comment(client, moderator, post, discussion):
    comment = make_comment(post)
    client.force_login(moderator)
    client.post(DECIDE, {"do": f"spam:{comment.pk}"})
    comment.refresh_from_db()
    assert comment.moderation.status == Status.SPAM
    assert comment.is_removed is True


def test_bulk_approve(client, moderator, post, discussion):
    comments = [make_comment(post, status=Status.WAITING) for _ in range(3)]
    client.force_login(moderator)
    client.post(DECIDE, {"action": "approve", "ids": [c.pk for c in comments]})
    assert Comment.objects.published().count() == 3
    assert ModelLogEntry.objects.filter(action="comments.approve").count() == 3


def test_unknown_action_and_bad_ids_change_nothing(client, moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    client.force_login(moderator)
    for data in (
        {"action": "delete", "ids": [comment.pk]},
        {"action": "approve", "ids": ["x"]},
        {"do": "approve:"},
    ):
        assert client.post(DECIDE, data).status_code == 302
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_redact_before_approving_keeps_the_original_in_history(client, moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING, comment="My MRN is 00482913, thanks")
    client.force_login(moderator)
    client.post(
        f"/admin/comments/{comment.pk}/edit/",
        {"comment": "My MRN is [redacted], thanks", "redacted": "on", "approve": "on"},
    )
    comment.refresh_from_db()
    assert comment.comment == "My MRN is [redacted], thanks"
    assert comment.is_public is True
    revision = CommentRevision.objects.get(comment_id=comment.pk)
    assert (revision.text, revision.redacted, revision.replaced_by) == (
        "My MRN is 00482913, thanks",
        True,
        moderator,
    )
    assert ModelLogEntry.objects.filter(action="comments.redact").count() == 1
    edit_page = client.get(f"/admin/comments/{comment.pk}/edit/").content.decode()
    assert "00482913" in edit_page
    assert comment.user_name in edit_page
    assert "00482913" not in client.get(post.url).content.decode()


def test_staff_reply_is_published_nested_and_badged(client, moderator, post, discussion):
    parent = make_comment(post)
    client.force_login(moderator)
    page = client.get(f"/admin/comments/{parent.pk}/reply/").content.decode()
    assert "Never confirm that someone is a patient" in page
    client.post(
        f"/admin/comments/{parent.pk}/reply/", {"comment": "Thank you, please contact Patient Relations."}
    )
    reply = Comment.objects.get(parent_id=parent.pk, level=1)
    assert reply.is_public is True
    assert reply.moderation.role == "staff"


def test_a_staff_reply_is_checked_by_the_staff_form_without_a_security_hash(
    client, moderator, post, discussion
):
    parent = make_comment(post)
    moderator.first_name, moderator.last_name = "M" * 40, "N" * 40  # longer than the name column
    moderator.save()
    client.force_login(moderator)
    response = client.post(f"/admin/comments/{parent.pk}/reply/", {"comment": "We hear you."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent_id=parent.pk, level=1)
    assert len(reply.user_name) == 50 and reply.user_email == moderator.email.lower()


def test_a_staff_reply_to_a_removed_comment_is_a_form_error(client, moderator, post, discussion):
    parent = make_comment(post, status=Status.REJECTED)
    client.force_login(moderator)
    response = client.post(f"/admin/comments/{parent.pk}/reply/", {"comment": "Too late."})
    assert response.status_code == 200
    assert "not available" in response.content.decode()
    assert not Comment.objects.filter(parent_id=parent.pk, level=1).exists()


def test_route_to_patient_relations_sends_a_link_not_the_text(
    client, moderator, post, discussion, django_capture_on_commit_callbacks
):
    comment = make_comment(post, status=Status.WAITING, comment="My MRN is 00482913")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DECIDE, {"do": f"route:{comment.pk}"})
    comment.moderation.refresh_from_db()
    assert comment.moderation.routed_at is not None
    assert [m.to for m in mail.outbox] == [["relations@example-hospital.org"]]
    assert "00482913" not in mail.outbox[0].body
    assert f"/admin/comments/{comment.pk}/edit/" in mail.outbox[0].body
    assert ModelLogEntry.objects.filter(action="comments.route").count() == 1


def test_menu_item_shows_the_waiting_count(client, moderator, post, discussion):
    make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.WAITING)
    client.force_login(moderator)
    assert "Comments (2 waiting)" in client.get("/admin/").content.decode()


def test_menu_item_is_hidden_from_editors(client, editor):
    client.force_login(editor)
    assert "/admin/comments/" not in client.get("/admin/").content.decode()


def test_a_moderator_cannot_reach_the_discussion_settings(client, moderator):
    client.force_login(moderator)
    response = client.get("/admin/settings/comments/discussion/")
    assert response.status_code == 302  # Wagtail turns PermissionDenied into a redirect home
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("action", ["reject", "edit", "reply"])
def test_an_id_too_long_for_the_database_is_a_404_not_a_server_error(client, moderator, action):
    client.force_login(moderator)
    assert client.get(f"/admin/comments/{'9' * 30}/{action}/").status_code == 404
