"""Hostile records: a comment id used in two posts, a date out of range, a comment far longer than
a reader may write, and files built to stall expat or nh3. Each is refused or contained, fast."""

import time

import pytest
from django.core.management.base import CommandError

from blog.models import BlogPage
from comments.models import Comment
from comments.visibility import in_discussion
from importer.parsers.limits import MAX_DEPTH

from .conftest import run_import
from .exports import HEAD, comment, export, post

pytestmark = pytest.mark.django_db


def shown(slug: str) -> list[str]:
    page = BlogPage.objects.get(slug=slug)
    return list(in_discussion(Comment.objects.for_page(page)).values_list("comment", flat=True))


def test_a_comment_id_used_in_two_posts_keeps_both_comments(site, tmp_path):
    path = export(
        tmp_path,
        post("1", comments=(comment("7", "On the first post."),)),
        post("2", comments=(comment("7", "On the second post."),)),
    )
    run_import(path)
    assert shown("post-1") == ["On the first post."]
    assert shown("post-2") == ["On the second post."]
    assert "Comments: 0 created, 0 updated, 2 unchanged" in run_import(path)  # a re-run: the same


def test_a_reply_is_never_threaded_under_a_comment_on_another_post(site, tmp_path):
    run_import(
        export(
            tmp_path,
            post("1", comments=(comment("7", "The first post's comment."),)),
            post("2", comments=(comment("7", "Same id, second post."), comment("8", "A reply.", parent="7"))),
        )
    )
    reply = Comment.objects.get(comment="A reply.")
    assert Comment.objects.get(pk=reply.parent_id).comment == "Same id, second post."
    assert shown("post-2") == ["Same id, second post.", "A reply."]
    assert shown("post-1") == ["The first post's comment."]


@pytest.mark.parametrize("date", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "1200-01-01"])
def test_a_date_out_of_range_stops_the_import_before_anything_is_written(site, tmp_path, date):
    path = export(tmp_path, post("1"), post("2", date=date))
    with pytest.raises(CommandError, match="date out of range"):
        run_import(path)
    assert not BlogPage.objects.filter(slug__startswith="post-").exists()


def test_a_comment_longer_than_the_form_allows_is_cut_and_counted(site, tmp_path):
    summary = run_import(export(tmp_path, post("1", comments=(comment("7", "word " * 40_000),))))
    (text,) = shown("post-1")
    assert len(text) <= 3000
    assert "Comments cut to 3000 characters (the comment form's limit): 1" in summary


def test_a_huge_attribute_is_refused_in_seconds(site, tmp_path):
    path = tmp_path / "attribute.xml"
    path.write_bytes(HEAD.encode() + b'<item a="' + b"x" * (30 * 1024 * 1024) + b'"></item></channel></rss>')
    started = time.monotonic()
    with pytest.raises(CommandError, match="markup"):
        run_import(path)
    assert time.monotonic() - started < 10


def test_deeply_nested_html_is_refused_in_seconds(site, tmp_path):
    body = "<div>" * 100_000 + "deep" + "</div>" * 100_000
    started = time.monotonic()
    with pytest.raises(CommandError, match=f"more than {MAX_DEPTH} deep"):
        run_import(export(tmp_path, post("1", body=body)))
    assert time.monotonic() - started < 10
    assert not BlogPage.objects.filter(slug="post-1").exists()


def test_nesting_a_real_post_uses_is_accepted(site, tmp_path):
    body = "<div>" * 20 + "<p>Fine <em>text</em><br></p>" + "</div>" * 20
    run_import(export(tmp_path, post("1", body=body)))
    assert BlogPage.objects.filter(slug="post-1").exists()
