"""The discussion panel on the Wagtail dashboard: its figures, their links into the queue, who sees
it, and its fixed cost in queries."""

import datetime

import pytest
from django.utils import timezone

from comments import dashboard, moderation
from comments.models import Moderation, Status
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def decided(comment, after: datetime.timedelta, user) -> None:
    """Record a moderator's decision made `after` the comment was posted."""
    Moderation.objects.filter(pk=comment.pk).update(decided_at=comment.submit_date + after, decided_by=user)


def test_counts_waiting_reported_and_published_this_week(post, discussion, admin_user):
    now = timezone.now()
    make_comment(post, status=Status.WAITING, submit_date=now - datetime.timedelta(hours=30))
    make_comment(post, status=Status.WAITING, submit_date=now - datetime.timedelta(hours=2))
    reported = make_comment(post)
    moderation.report(reported.moderation, "10.0.0.1", 5)
    make_comment(post, submit_date=now - datetime.timedelta(days=20))  # published long ago
    stats = dashboard.stats(now)
    assert stats.waiting == 2
    assert stats.oldest_waiting == datetime.timedelta(hours=30)
    assert stats.reported == 1
    assert stats.published_this_week == 1


def test_a_comment_approved_this_week_counts_as_published_this_week(post, discussion, admin_user):
    comment = make_comment(
        post, status=Status.WAITING, submit_date=timezone.now() - datetime.timedelta(days=10)
    )
    moderation.approve(comment.moderation, admin_user)
    assert dashboard.stats().published_this_week == 1


def test_median_time_to_a_decision_over_the_last_30_days(post, discussion, admin_user):
    now = timezone.now()
    for hours in (1, 2, 10):
        decided(
            make_comment(post, submit_date=now - datetime.timedelta(days=1)),
            datetime.timedelta(hours=hours),
            admin_user,
        )
    old = make_comment(post, submit_date=now - datetime.timedelta(days=90))
    decided(old, datetime.timedelta(days=5), admin_user)  # decided 85 days ago: outside the window
    make_comment(post, submit_date=now - datetime.timedelta(days=1))  # published without review
    stats = dashboard.stats(now)
    assert stats.median_decision == datetime.timedelta(hours=2)
    assert stats.decisions == 3


def test_no_decisions_means_no_median(post, discussion):
    assert dashboard.stats().median_decision is None


def test_busiest_posts_this_week_link_into_the_queue_filtered_to_them(site, post, discussion):
    quiet = BlogPageFactory(parent=site["index"], title="A quiet post")
    for _ in range(3):
        make_comment(post)
    make_comment(quiet)
    make_comment(quiet, submit_date=timezone.now() - datetime.timedelta(days=9))
    busiest = dashboard.stats().busiest
    assert [(p.title, p.comments) for p in busiest] == [(post.title, 3), ("A quiet post", 1)]
    assert f"post={post.pk}" in busiest[0].url
    assert "status=all" in busiest[0].url


def test_every_figure_links_into_the_queue_with_its_filter(client, moderator, post, discussion):
    make_comment(post, status=Status.WAITING, comment="waits for a moderator")
    make_comment(post, comment="published today")
    make_comment(
        post, comment="published last month", submit_date=timezone.now() - datetime.timedelta(days=30)
    )
    links = dashboard.stats().links
    client.force_login(moderator)
    waiting = client.get(links["waiting"]).text
    assert "waits for a moderator" in waiting
    assert "published today" not in waiting
    published = client.get(links["published"]).text
    assert "published today" in published
    assert "published last month" not in published
    assert "status=reported" in links["reported"]


def test_the_panel_is_on_the_dashboard_for_moderators(client, moderator, post, discussion):
    make_comment(post, status=Status.WAITING)
    client.force_login(moderator)
    html = client.get("/admin/").text
    assert 'id="comments-dashboard-section"' in html
    assert '<span class="comments-dashboard__figure" data-figure="waiting">1</span>' in html


def test_the_panel_is_not_shown_to_editors(client, editor, db):
    client.force_login(editor)
    assert "comments-dashboard" not in client.get("/admin/").text


def test_the_panel_costs_the_same_queries_whatever_the_volume(
    site, post, discussion, admin_user, django_assert_num_queries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):  # counts, unreviewed this week, decision and answer times, busiest
        dashboard.stats()  # nothing to name: the titles are not asked for
    for i in range(30):
        other = BlogPageFactory(parent=site["index"]) if i % 5 == 0 else post
        comment = make_comment(other, status=Status.WAITING if i % 3 else Status.PUBLISHED)
        if i % 3 == 0:
            decided(comment, datetime.timedelta(minutes=i), admin_user)
    with django_assert_num_queries(6):  # and the busiest posts' titles
        stats = dashboard.stats()
    assert stats.waiting == 20
    assert len(stats.busiest) == dashboard.BUSIEST
