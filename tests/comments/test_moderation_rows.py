"""Every comment has its moderation row, whatever made it (comments.creation: add_comment, the
post_save receiver, ensure_moderation; the backfill in migration 0005)."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment

from blog.models import BlogPage
from comments import creation
from comments.models import Comment, CommentReport, Moderation, Role, Status
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
BACKFILL = importlib.import_module("comments.migrations.0005_moderation_rows_and_readers").backfill


def xtd_fields(post, **fields) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(BlogPage),
        "object_pk": str(post.pk),
        "site_id": settings.SITE_ID,
        "comment": "Made outside the form.",
        **fields,
    }


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ({"is_public": True}, Status.PUBLISHED),
        ({"is_public": False}, Status.WAITING),
        ({"is_public": True, "is_removed": True}, Status.REJECTED),
    ],
)
def test_a_comment_made_through_xtd_s_own_api_gets_its_row_from_its_flags(post, flags, status):
    comment = XtdComment.objects.create(**xtd_fields(post, **flags))
    assert Moderation.objects.get(pk=comment.pk).status == status


def test_a_reply_made_through_xtd_s_api_gets_a_row_too(post):
    root = XtdComment.objects.create(**xtd_fields(post, is_public=True))
    reply = XtdComment.objects.create(**xtd_fields(post, is_public=True, parent_id=root.pk))
    assert Moderation.objects.filter(pk__in=[root.pk, reply.pk]).count() == 2


def test_a_comment_saved_on_our_proxy_in_a_shell_gets_a_row(post):
    comment = Comment(**xtd_fields(post, is_public=True, ip_address="2001:db8:5:6::7"))
    comment.save()
    row = Moderation.objects.get(pk=comment.pk)
    assert (row.status, row.role, row.reader) == (Status.PUBLISHED, Role.READER, "2001:db8:5:6::/64")


def test_saving_a_comment_again_makes_no_second_row(post):
    comment = make_comment(post)
    comment.save()
    assert Moderation.objects.filter(pk=comment.pk).count() == 1


def test_add_comment_sets_the_flags_and_the_row_it_is_given(post):
    reasons = [{"code": "phi", "detail": "phone number"}]
    comment = creation.add_comment(
        creation.NewComment(
            Comment(**xtd_fields(post)),
            status=Status.SPAM,
            reasons=reasons,
            role=Role.STAFF,
            reader="unknown",
        )
    )
    row = Moderation.objects.get(pk=comment.pk)
    assert (comment.is_public, comment.is_removed) == (False, True)
    assert (row.status, row.reasons, row.role, row.reader) == (Status.SPAM, reasons, Role.STAFF, "unknown")


def test_reporting_a_comment_made_through_xtd_s_api_is_not_a_500(client, post, discussion):
    comment = XtdComment.objects.create(**xtd_fields(post, is_public=True))
    page = client.get(f"/comments/report/{comment.pk}/")
    token = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "token"})["value"]
    assert client.post(f"/comments/report/{comment.pk}/", {"token": token}).status_code == 200
    assert Moderation.objects.get(pk=comment.pk).report_count == 1


def test_reporting_a_comment_stored_before_the_invariant_makes_its_row(client, post, discussion):
    comment = make_comment(post)
    Moderation.objects.filter(pk=comment.pk).delete()  # as rows made before this change may be
    page = client.get(f"/comments/report/{comment.pk}/")
    token = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "token"})["value"]
    assert client.post(f"/comments/report/{comment.pk}/", {"token": token}).status_code == 200
    assert Moderation.objects.get(pk=comment.pk).report_count == 1


def test_the_migration_backfills_missing_rows_from_the_flags(post):
    published, held = make_comment(post, ip_address="203.0.113.4"), make_comment(post, status=Status.WAITING)
    Moderation.objects.filter(pk__in=[published.pk, held.pk]).delete()
    BACKFILL(apps, None)
    rows = {row.pk: row for row in Moderation.objects.filter(pk__in=[published.pk, held.pk])}
    assert (rows[published.pk].status, rows[published.pk].reader) == (Status.PUBLISHED, "203.0.113.4")
    assert rows[held.pk].status == Status.WAITING


def test_the_migration_keeps_one_reader_per_comment_among_old_duplicate_reports(post):
    comment = make_comment(post)
    for _ in range(2):
        CommentReport.objects.create(comment_id=comment.pk, ip_address="203.0.113.9")
    BACKFILL(apps, None)
    readers = sorted(CommentReport.objects.values_list("reader", flat=True))
    assert readers == ["", "203.0.113.9"]
