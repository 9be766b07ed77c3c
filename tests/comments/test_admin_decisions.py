"""Deciding in the moderation queue: rejecting with the reason asked then, the JSON answers the
queue's script reads, Wagtail's bulk actions, the keyboard shortcuts in Wagtail's dialog, and other
apps' row buttons."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail import hooks
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import ModelLogEntry

from comments.actions import Action, table
from comments.models import Comment, Moderation, Status
from comments.wagtail_hooks import register_bulk_actions
from tests.comments.factories import make_comment
from tests.comments.queue_helpers import DECIDE, JSON, QUEUE, bulk_url, queue, row
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_reject_page_asks_for_the_reason_then_rejects(mod_client, moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING, comment="rude words")
    page = mod_client.get(f"/admin/comments/{comment.pk}/reject/").content.decode()
    assert "Why is it rejected?" in page
    assert "rude words" in page
    response = mod_client.post(f"/admin/comments/{comment.pk}/reject/", {"reason": "abusive", "next": QUEUE})
    assert response.status_code == 302
    comment.moderation.refresh_from_db()
    assert (comment.moderation.status, comment.moderation.reject_reason) == (Status.REJECTED, "abusive")
    assert ModelLogEntry.objects.get(action="comments.reject").user == moderator


def test_without_javascript_reject_returns_to_the_tab_it_came_from(mod_client, post, discussion):
    comment = make_comment(post, status=Status.PUBLISHED)
    html = queue(mod_client, status="published")
    link = re.search(rf'href="(/admin/comments/{comment.pk}/reject/\?next=[^"]+)"', html).group(1)
    page = mod_client.get(link.replace("&amp;", "&")).content.decode()
    assert 'name="next" value="/admin/comments/?status=published"' in page
    response = mod_client.post(
        f"/admin/comments/{comment.pk}/reject/",
        {"reason": "off_topic", "next": "/admin/comments/?status=published"},
    )
    assert response["Location"] == "/admin/comments/?status=published"


@pytest.mark.parametrize("reason", ["", "delete-everything", "phi\x00"])
def test_rejecting_without_a_valid_reason_is_a_form_error(mod_client, post, discussion, reason):
    comment = make_comment(post, status=Status.WAITING)
    response = mod_client.post(f"/admin/comments/{comment.pk}/reject/", {"reason": reason})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_reject_from_the_dialog_answers_json(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    response = mod_client.post(f"/admin/comments/{comment.pk}/reject/", {"reason": "off_topic"}, **JSON)
    assert response.json() == {
        "ok": True,
        "message": f"Comment #{comment.pk} rejected.",
        "waiting": 0,
        "pk": comment.pk,
        "status": "rejected",
        "highlighted": False,
    }
    bad = mod_client.post(f"/admin/comments/{comment.pk}/reject/", {}, **JSON)
    assert bad.status_code == 400
    assert bad.json()["ok"] is False


def test_reject_of_an_unknown_comment_is_404(mod_client, db):
    assert mod_client.get("/admin/comments/999999/reject/").status_code == 404


def test_approve_from_the_queue_script_answers_json_with_the_waiting_count(mod_client, post, discussion):
    first = make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.WAITING)
    response = mod_client.post(DECIDE, {"do": f"approve:{first.pk}"}, **JSON)
    data = response.json()
    assert (data["ok"], data["status"], data["waiting"]) == (True, "published", 1)
    assert data["message"] == f"Comment #{first.pk} approved."


def test_a_bad_decision_answers_json_400_and_changes_nothing(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    for data in ({"do": f"explode:{comment.pk}"}, {"do": "approve:x"}, {"do": "approve:"}):
        response = mod_client.post(DECIDE, data, **JSON)
        assert response.status_code == 400
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_after_a_decision_the_queue_is_where_it_goes_back_never_elsewhere(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    for next_url, expected in [
        ("/admin/comments/?status=reported", "/admin/comments/?status=reported"),
        ("https://evil.example/admin/comments/", QUEUE),
        ("//evil.example/", QUEUE),
        ("/admin/pages/", QUEUE),
    ]:
        response = mod_client.post(DECIDE, {"do": f"spam:{comment.pk}", "next": next_url})
        assert response["Location"] == expected


def test_bulk_approve_through_wagtails_bulk_actions(mod_client, post, discussion):
    comments = [make_comment(post, status=Status.WAITING, comment=f"bulk {i}") for i in range(3)]
    pks = [c.pk for c in comments]
    confirm = mod_client.get(bulk_url("approve", *pks)).content.decode()
    assert "Approve and publish these comments?" in confirm
    assert all(f"bulk {i}" in confirm for i in range(3))
    response = mod_client.post(bulk_url("approve", *pks))
    assert response.status_code == 302
    assert Comment.objects.published().filter(pk__in=pks).count() == 3
    assert ModelLogEntry.objects.filter(action="comments.approve").count() == 3


def test_bulk_reject_asks_for_the_reason_on_its_confirmation_page(mod_client, post, discussion):
    comments = [make_comment(post, status=Status.WAITING) for _ in range(2)]
    pks = [c.pk for c in comments]
    assert "Why are they rejected?" in mod_client.get(bulk_url("reject", *pks)).content.decode()
    assert mod_client.post(bulk_url("reject", *pks), {}).status_code == 200  # the form again, no reason
    assert Moderation.objects.filter(status=Status.REJECTED).count() == 0
    mod_client.post(bulk_url("reject", *pks), {"reason": "duplicate"})
    assert list(Moderation.objects.filter(pk__in=pks).values_list("reject_reason", flat=True)) == [
        "duplicate",
        "duplicate",
    ]


def test_select_all_in_listing_acts_on_the_tab_and_filters_only(mod_client, site, post, discussion):
    other = BlogPageFactory(parent=site["index"])
    on_post = [make_comment(post, status=Status.WAITING) for _ in range(2)]
    elsewhere = make_comment(other, status=Status.WAITING)
    spam = make_comment(post, status=Status.SPAM)
    url = (
        f"/admin/bulk/comments/moderation/approve/?status=waiting&post={post.pk}&id=all&next=/admin/comments/"
    )
    mod_client.post(url)
    statuses = dict(Moderation.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in on_post] == [Status.PUBLISHED, Status.PUBLISHED]
    assert (statuses[elsewhere.pk], statuses[spam.pk]) == (Status.WAITING, Status.SPAM)


def test_bulk_actions_are_refused_to_editors(client, editor, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    client.force_login(editor)
    client.post(bulk_url("approve", comment.pk))
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_bulk_action_with_bad_ids_changes_nothing(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    response = mod_client.post("/admin/bulk/comments/moderation/approve/?id=x&id=99999999999&id=")
    assert response.status_code in (200, 302)
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.WAITING


def test_every_shortcut_has_a_button_in_the_row(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.PUBLISHED)
    html = queue(mod_client, status="all")
    for key in "arsep":
        assert f'data-queue-key="{key}"' in html, key
    assert 'data-queue-key="h"' in html  # on the published one
    assert 'data-queue-move="1"' in html and 'data-queue-move="-1"' in html  # j and k


def test_wagtails_shortcuts_dialog_lists_the_queue_keys_on_the_queue_only(mod_client, post, discussion):
    html = queue(mod_client)
    dialog = html.split('id="keyboard-shortcuts-dialog"')[1]
    assert "data-queue-shortcuts" in dialog
    assert "Reject (asks why)" in dialog
    assert "Show keyboard shortcuts" in dialog  # Wagtail's own list is still there
    home = mod_client.get("/admin/").content.decode()
    assert "data-queue-shortcuts" not in home


def test_other_apps_add_row_buttons_through_the_hook(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)

    def feedback():
        return [Action("feedback", "Mark as feedback", key="f", url=lambda row: f"/admin/feedback/{row.pk}/")]

    with hooks.register_temporarily("comment_queue_row_actions", feedback):
        html = queue(mod_client)
    assert f'formaction="/admin/feedback/{comment.pk}/"' in html
    assert 'data-queue-key="f"' in html
    assert re.search(r"<th scope=\"row\">Mark as feedback</th>\s*<td><kbd>f</kbd>", html)


@pytest.fixture
def bulk_registry():
    """Wagtail's bulk actions read again from the hooks in the test, and as they were after it."""
    registered = list(hooks._hooks.get("register_bulk_action", []))
    bulk_action_registry.actions, bulk_action_registry.has_scanned_for_bulk_actions = {}, False
    yield
    hooks._hooks["register_bulk_action"] = registered
    bulk_action_registry.actions, bulk_action_registry.has_scanned_for_bulk_actions = {}, False


def test_an_action_added_through_the_hook_is_a_row_button_a_bulk_action_and_a_shortcut(
    mod_client, post, discussion, bulk_registry
):
    waiting = make_comment(post, status=Status.WAITING)
    published = make_comment(post)
    flagged = []

    def flag(request, row, reason):
        flagged.append(row.pk)
        return True

    action = Action(
        "second_look",
        "Second look",
        key="l",
        statuses=frozenset({Status.WAITING}),
        run=flag,
        done="Comment #%(pk)s set aside for a second look.",
        question="Set these comments aside for a second look?",
        done_many="%(count)d set aside.",
    )
    with hooks.register_temporarily("comment_queue_row_actions", lambda: [action]):
        register_bulk_actions(table())
        html = queue(mod_client, status="all")
        assert f'value="second_look:{waiting.pk}"' in row(html, waiting)  # a row button ...
        assert "second_look" not in row(html, published)  # ... where its statuses say
        assert 'data-queue-key="l"' in row(html, waiting)
        assert re.search(r"<th scope=\"row\">Second look</th>\s*<td><kbd>l</kbd>", html)  # a shortcut
        assert "/admin/bulk/comments/moderation/second_look/" in html  # a bulk action
        assert (
            "Set these comments aside" in mod_client.get(bulk_url("second_look", waiting.pk)).content.decode()
        )
        mod_client.post(bulk_url("second_look", waiting.pk, published.pk))
        assert flagged == [waiting.pk]  # the precondition holds in bulk too
        answer = mod_client.post(DECIDE, {"do": f"second_look:{waiting.pk}"}, HTTP_ACCEPT="application/json")
        assert answer.json()["message"] == f"Comment #{waiting.pk} set aside for a second look."
        refused = mod_client.post(
            DECIDE, {"do": f"second_look:{published.pk}"}, HTTP_ACCEPT="application/json"
        )
        assert refused.status_code == 400 and flagged == [waiting.pk, waiting.pk]


def test_the_row_template_names_no_status_and_no_action():
    template = Path(settings.BASE_DIR, "comments/templates/comments/admin/cells/actions.html").read_text()
    for word in [*Status.values, *(action.name for action in table())]:
        assert f'"{word}' not in template and f"'{word}" not in template
