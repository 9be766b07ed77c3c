"""The moderation queue on Wagtail's own listing: its rows (thread, history, wait), tabs and
filters, how rows show stored HTML and link to posts (decisions and bulk actions:
test_admin_decisions.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import moderation, sanitize
from comments.models import Moderation, Status
from comments.sanitize import POLICY
from tests.comments.factories import make_comment
from tests.comments.queue_helpers import DECIDE, QUEUE, post_link, queue, row

pytestmark = pytest.mark.django_db


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
