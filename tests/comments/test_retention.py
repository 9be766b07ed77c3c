"""Retention: stored addresses are forgotten after N days; a commenter can have everything stored
about their email exported, or erased with the shape of the threads kept."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments import moderation
from comments.models import Comment, CommentReport, CommentRevision, Moderation, Status, Subscriber
from comments.signals import discussion_changed
from ops import schedule
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
PAT = "pat@example.org"


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_purge_clears_addresses_older_than_the_given_days(post):
    old = make_comment(post, ip_address="203.0.113.1", submit_date=days_ago(31))
    run("purge_comment_ips", "--days", "30")
    old.refresh_from_db()
    assert old.ip_address is None


def test_purge_keeps_recent_addresses_for_the_rate_limits(post):
    recent = make_comment(post, ip_address="203.0.113.2", submit_date=days_ago(29))
    run("purge_comment_ips", "--days", "30")
    recent.refresh_from_db()
    assert recent.ip_address == "203.0.113.2"


def test_the_scheduler_forgets_old_addresses_with_no_cron_entry(post):
    old = make_comment(post, ip_address="203.0.113.4", submit_date=days_ago(31))
    recent = make_comment(post, ip_address="203.0.113.5", submit_date=days_ago(1))
    schedule._JOBS["purge_comment_ips"].last = float("-inf")  # due, as in a scheduler's first round
    schedule.tick(keep_days=7)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None and recent.ip_address == "203.0.113.5"


def test_purge_clears_old_report_addresses_too(post):
    comment = make_comment(post)
    report = CommentReport.objects.create(comment=comment, ip_address="203.0.113.3", created_at=days_ago(40))
    run("purge_comment_ips", "--days", "30")
    report.refresh_from_db()
    assert report.ip_address is None


def test_purge_clears_the_reader_keys_beside_old_addresses(post):
    """core.http.reader_key values (an address or an IPv6 /64) are addresses too."""
    old = make_comment(post, ip_address="2001:db8:7:8::9", submit_date=days_ago(31))
    recent = make_comment(post, ip_address="203.0.113.2", submit_date=days_ago(1))
    report = CommentReport.objects.create(comment=recent, reader="203.0.113.3", created_at=days_ago(40))
    run("purge_comment_ips", "--days", "30")
    assert Moderation.objects.get(pk=old.pk).reader == ""
    assert Moderation.objects.get(pk=recent.pk).reader == "203.0.113.2"
    report.refresh_from_db()
    assert report.reader == ""


def test_erasing_a_commenter_clears_their_reader_keys(post):
    comment = make_comment(post, ip_address="203.0.113.4", user_email=PAT)
    run("erase_commenter", PAT)
    assert Moderation.objects.get(pk=comment.pk).reader == ""


def test_purge_says_how_many_it_cleared(post):
    make_comment(post, ip_address="203.0.113.1", submit_date=days_ago(31))
    make_comment(post, ip_address="203.0.113.1", submit_date=days_ago(60))
    assert "Cleared 2 " in run("purge_comment_ips", "--days", "30")


def test_purge_refuses_zero_days():
    with pytest.raises(CommandError):
        run("purge_comment_ips", "--days", "0")


def pats_history(post, admin_user):
    first = make_comment(
        post,
        user_name="Pat",
        user_email=PAT,
        user_url="https://pat.example/",
        ip_address="203.0.113.7",
        comment="My mother waited in room 412.",
    )
    moderation.edit(first.moderation, admin_user, "My mother waited.", redacted=True)
    held = make_comment(
        post,
        parent=first,
        status=Status.WAITING,
        user_name="Pat",
        user_email="PAT@example.org",
        comment="Another thought",
        followup=True,
    )
    Subscriber.confirm(PAT)
    return first, held


def test_export_lists_every_comment_of_the_email_in_any_case(post, admin_user):
    first, held = pats_history(post, admin_user)
    make_comment(post, user_email="someone@example.org")
    data = json.loads(run("export_commenter", "Pat@Example.org"))
    assert [c["id"] for c in data["comments"]] == [first.pk, held.pk]


def test_export_carries_text_name_address_and_moderation(post, admin_user):
    first, _held = pats_history(post, admin_user)
    exported = json.loads(run("export_commenter", PAT))["comments"][0]
    assert exported["text"] == "My mother waited."
    assert (exported["name"], exported["ip_address"], exported["url"]) == (
        "Pat",
        "203.0.113.7",
        "https://pat.example/",
    )
    assert exported["moderation"]["status"] == Status.PUBLISHED
    assert exported["post"]["url"] == post.url


def test_export_carries_revisions_subscription_and_the_moderation_log(post, admin_user):
    pats_history(post, admin_user)
    data = json.loads(run("export_commenter", PAT))
    assert data["revisions"][0]["text"] == "My mother waited in room 412."
    assert data["subscription"]["confirmed_at"]
    assert "comments.redact" in [entry["action"] for entry in data["moderation_log"]]


def test_export_of_an_unknown_email_is_empty_not_an_error():
    data = json.loads(run("export_commenter", "nobody@example.org"))
    assert data["comments"] == [] and data["subscription"] is None


def test_erase_anonymises_name_email_address_and_url(post, admin_user):
    first, held = pats_history(post, admin_user)
    run("erase_commenter", PAT)
    for comment in Comment.objects.filter(pk__in=[first.pk, held.pk]):
        assert (comment.user_name, comment.user_email, comment.user_url, comment.ip_address) == (
            "",
            "",
            "",
            None,
        )


def test_erase_redacts_the_text_and_its_history(post, admin_user):
    first, _held = pats_history(post, admin_user)
    run("erase_commenter", PAT)
    first.refresh_from_db()
    assert "waited" not in first.comment
    assert not CommentRevision.objects.filter(text__contains="room 412").exists()


def test_erase_keeps_the_thread_shape(client, post, admin_user):
    first, held = pats_history(post, admin_user)
    answer = make_comment(post, parent=first, comment="An answer to Pat")
    run("erase_commenter", PAT)
    shape = list(
        Comment.objects.order_by("pk").values_list("pk", "parent_id", "thread_id", "level", "is_public")
    )
    assert shape == [
        (first.pk, first.pk, first.pk, 0, True),
        (held.pk, first.pk, first.pk, 1, False),
        (answer.pk, first.pk, first.pk, 1, True),
    ]
    html = client.get(post.url).content.decode()
    assert "An answer to Pat" in html and "Anonymous" in html and "room 412" not in html


def test_erase_drops_the_subscription_and_leaves_others_alone(post, admin_user):
    pats_history(post, admin_user)
    other = make_comment(post, user_name="Sam", user_email="sam@example.org", comment="Sam's words")
    run("erase_commenter", PAT)
    assert not Subscriber.objects.filter(email=PAT).exists()
    other.refresh_from_db()
    assert (other.user_name, other.comment) == ("Sam", "Sam's words")


def test_erase_leaves_nothing_for_an_export_to_find(post, admin_user):
    pats_history(post, admin_user)
    run("erase_commenter", PAT)
    assert json.loads(run("export_commenter", PAT))["comments"] == []


def test_erase_announces_each_changed_discussion_after_commit(
    post, admin_user, django_capture_on_commit_callbacks
):
    """discussion_changed is what purges cached pages showing the erased comments."""
    pats_history(post, admin_user)
    changed = []

    def receiver(sender, page, **kwargs):
        changed.append(page.pk)

    discussion_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run("erase_commenter", PAT)
    finally:
        discussion_changed.disconnect(receiver)
    assert changed == [post.pk]
