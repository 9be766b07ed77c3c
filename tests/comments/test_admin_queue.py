"""The moderation queue on Wagtail's own listing: its rows (thread, history, wait), tabs and filters,
rejecting with the reason asked then, the JSON answers the queue's script reads, Wagtail's bulk
actions, the keyboard shortcuts in Wagtail's dialog, and other apps' row buttons."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import ModelLogEntry

from comments import moderation, sanitize
from comments.actions import Action, table
from comments.models import Comment, Moderation, Status
from comments.sanitize import POLICY
from comments.wagtail_hooks import register_bulk_actions
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"
DECIDE = "/admin/comments/decide/"
JSON = {"HTTP_ACCEPT": "application/json"}


def bulk_url(action: str, *pks: int) -> str:
    ids = "&".join(f"id={pk}" for pk in pks)
    return f"/admin/bulk/comments/moderation/{action}/?next=/admin/comments/&{ids}"


def queue(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, comment) -> str:
    """The queue row of `comment`."""
    start = html.index(f'id="row-{comment.pk}"')
    return html[start : html.index("</tr>", start)]


def post_link(html: str, comment) -> str | None:
    """Where the row's "On <post>" line links, if anywhere."""
    found = re.search(r'On <a href="([^"]+)">', row(html, comment))
    return found.group(1) if found else None


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_queue_is_wagtails_listing_with_filters_search_and_bulk_actions(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING)
    html = queue(mod_client)
    assert "data-search-form" in html  # Wagtail's header search, results swapped in place
    assert 'id="listing-results"' in html
    assert "data-bulk-action-footer" in html
    assert "/admin/bulk/comments/moderation/approve/" in html
    for name in ("status", "post", "submitted_from", "email"):
        assert f'name="{name}"' in html, name


def test_results_fragment_serves_wagtails_in_place_filtering(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING, comment="fragment text")
    response = mod_client.get("/admin/comments/results/", {"q": "fragment"})
    assert response.status_code == 200
    assert "fragment text" in response.text
    assert "<html" not in response.text


def test_a_rows_buttons_post_with_a_valid_csrf_token(moderator, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    html = strict.get(QUEUE).content.decode()
    row = html[html.index(f'id="row-{comment.pk}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)
    response = strict.post(DECIDE, {"csrfmiddlewaretoken": token, "do": f"approve:{comment.pk}"})
    assert response.status_code == 302
    comment.moderation.refresh_from_db()
    assert comment.moderation.status == Status.PUBLISHED


def test_rejecting_has_no_reason_chosen_beforehand(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING)
    html = queue(mod_client)
    assert "<select" not in html.split('id="listing-results"')[1].split("data-bulk-action-footer")[0]
    assert not re.search(r'name="reason"[^>]*checked', html)


def test_row_shows_how_long_the_comment_has_waited(mod_client, post, discussion):
    make_comment(
        post, status=Status.WAITING, submit_date=timezone.now() - datetime.timedelta(hours=5, minutes=3)
    )
    assert "waiting 5 hours" in queue(mod_client)


def test_row_shows_the_commenters_history_with_a_link_to_it(mod_client, post, discussion):
    for status in (Status.PUBLISHED, Status.PUBLISHED, Status.REJECTED, Status.SPAM):
        make_comment(post, status=status, user_email="Kim@Example.org")
    reported = make_comment(post, user_email="kim@example.org")
    moderation.report(reported.moderation, "10.0.0.9", 5)
    make_comment(post, status=Status.WAITING, user_email="kim@example.org", comment="newest from Kim")
    html = queue(mod_client)
    assert "3 comments approved before, 1 rejected, 1 spam, 1 reported." in html
    assert "/admin/comments/?status=all&amp;email=kim%40example.org" in html


def test_the_history_link_lists_every_comment_of_that_commenter(mod_client, post, discussion):
    make_comment(post, status=Status.REJECTED, user_email="kim@example.org", comment="kim rejected")
    make_comment(post, status=Status.PUBLISHED, user_email="KIM@example.org", comment="kim published")
    make_comment(post, status=Status.PUBLISHED, user_email="lee@example.org", comment="lee published")
    html = queue(mod_client, status="all", email="kim@example.org")
    assert "kim rejected" in html
    assert "kim published" in html
    assert "lee published" not in html


def test_a_comment_without_email_has_no_history(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING, user_email="")
    assert "No email given, so no history." in queue(mod_client)


def test_waiting_comments_are_listed_oldest_first(mod_client, post, discussion):
    now = timezone.now()
    make_comment(post, status=Status.WAITING, comment="the newer one", submit_date=now)
    make_comment(
        post, status=Status.WAITING, comment="the older one", submit_date=now - datetime.timedelta(days=1)
    )
    html = queue(mod_client)
    assert html.index("the older one") < html.index("the newer one")


def test_tabs_show_how_many_comments_each_holds(mod_client, post, discussion):
    make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.SPAM)
    html = queue(mod_client)
    assert re.search(r'aria-current="page" data-queue-tab="waiting">Waiting <span[^>]*>2</span>', html)
    assert re.search(r'data-queue-tab="spam">Spam <span[^>]*>1</span>', html)


def test_filter_by_submission_dates(mod_client, post, discussion):
    now = timezone.now()
    make_comment(
        post, status=Status.WAITING, comment="from last month", submit_date=now - datetime.timedelta(days=30)
    )
    make_comment(post, status=Status.WAITING, comment="from today", submit_date=now)
    html = queue(mod_client, submitted_from=(now - datetime.timedelta(days=7)).date().isoformat())
    assert "from today" in html
    assert "from last month" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"post": "x", "submitted_from": "not-a-date", "status": "bogus", "p": "999"},
        {"post": "99999999999999999999", "email": "x" * 5000},
        {"q": "\x00" * 10, "submitted_to": "2026-13-45"},
        {"status": ["spam", "waiting"], "ordering": "comment__user_email"},
    ],
)
def test_bad_filter_values_keep_the_waiting_tab_and_never_fail(mod_client, post, discussion, params):
    make_comment(post, status=Status.WAITING, comment="still waiting")
    make_comment(post, status=Status.SPAM, comment="spam stays out")
    response = mod_client.get(QUEUE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "spam stays out" not in html


def test_queue_query_count_is_fixed_with_many_commenters_and_tabs(
    mod_client, post, discussion, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            parent = make_comment(post, user_email=f"parent{i}-{n}@example.org")
            make_comment(post, parent=parent, status=Status.WAITING, user_email=f"reader{i}-{n}@example.org")

    add(2)
    queue(mod_client, status="all")
    with CaptureQueriesContext(connection) as few:
        queue(mod_client, status="all")
    add(20)
    with CaptureQueriesContext(connection) as many:
        queue(mod_client, status="all")
    assert len(many) == len(few)


def test_queue_query_count_stays_flat_when_every_row_is_cooked_again(mod_client, post, discussion):
    def queries_with_stale_rows() -> int:
        Moderation.objects.update(html_policy=POLICY - 1)
        with CaptureQueriesContext(connection) as queries:
            queue(mod_client)
        return len(queries)

    make_comment(post, status=Status.WAITING)
    queue(mod_client)
    one = queries_with_stale_rows()
    for _ in range(19):
        make_comment(post, status=Status.WAITING)
    assert queries_with_stale_rows() == one


def test_a_row_shows_the_stored_html_and_sanitises_nothing(mod_client, post, discussion, monkeypatch):
    comment = make_comment(post, status=Status.WAITING, comment="The text as typed.")
    Moderation.objects.filter(pk=comment.pk).update(html="<p>As cooked when written.</p>")
    monkeypatch.setattr(sanitize, "_render", lambda text: pytest.fail("sanitised on render"))
    assert "<p>As cooked when written.</p>" in row(queue(mod_client), comment)


def test_a_row_cooked_under_older_rules_is_cooked_again_and_saved(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING, comment="Cooked long ago.")
    Moderation.objects.filter(pk=comment.pk).update(html="<p>old rules</p>", html_policy=POLICY - 1)
    shown = row(queue(mod_client), comment)
    assert "Cooked long ago." in shown
    assert "old rules" not in shown
    assert Moderation.objects.get(pk=comment.pk).html_policy == POLICY


@pytest.mark.parametrize("page", ["reject", "reply"])
def test_the_reject_and_staff_reply_pages_show_the_stored_html(mod_client, post, discussion, page):
    comment = make_comment(post, comment="The text as typed.")
    Moderation.objects.filter(pk=comment.pk).update(html="<p>As cooked when written.</p>")
    assert "<p>As cooked when written.</p>" in mod_client.get(f"/admin/comments/{comment.pk}/{page}/").text


def test_a_comment_readers_see_links_through_its_lasting_address(mod_client, post, discussion):
    comment = make_comment(post)
    link = post_link(queue(mod_client, status="published"), comment)
    assert link == f"/comments/{comment.pk}/"
    assert mod_client.get(link).status_code == 302


@pytest.mark.parametrize("hidden", ["waiting", "rejected", "under a rejected comment"])
def test_a_comment_readers_cannot_see_links_to_its_post_never_to_a_404(mod_client, post, discussion, hidden):
    if hidden == "under a rejected comment":
        comment = make_comment(post, parent=make_comment(post, status=Status.REJECTED))
    else:
        comment = make_comment(post, status=hidden)
    link = post_link(queue(mod_client, status="all"), comment)
    assert link == post.url
    assert mod_client.get(link).status_code == 200


def test_a_comment_on_an_unpublished_post_names_the_post_without_a_link(mod_client, post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    post.unpublish()
    html = queue(mod_client)
    assert post_link(html, comment) is None
    assert f"On {post.title} (not published)" in row(html, comment)


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
