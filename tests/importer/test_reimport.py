"""`manage.py import_blog` again: a second run changes nothing, a newer export updates what
changed and leaves alone what editors and moderators decided here, and a dry run writes nothing."""

import pytest
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect

from blog.models import Author, BlogPage
from comments import moderation, personal_data
from comments.models import Comment, Discussion, Status
from importer.models import ImportedItem

from .conftest import comments_of, fixture, run_import


def test_a_second_run_changes_nothing(imported):
    imported("wordpress.xml")
    counts = (
        BlogPage.objects.count(),
        Comment.objects.count(),
        Redirect.objects.count(),
        Author.objects.count(),
    )
    revisions = BlogPage.objects.get(slug="quieter-waiting-room").revisions.count()
    summary = imported("wordpress.xml")
    assert "Posts: 0 created, 0 updated, 2 unchanged" in summary
    assert "Comments: 0 created, 0 updated, 3 unchanged" in summary
    assert (
        BlogPage.objects.count(),
        Comment.objects.count(),
        Redirect.objects.count(),
        Author.objects.count(),
    ) == counts
    assert BlogPage.objects.get(slug="quieter-waiting-room").revisions.count() == revisions


def _newer_export(tmp_path):
    text = fixture("wordpress.xml").read_text()
    text = text.replace("Why the waiting room got quieter", "Why the waiting room went quiet")
    # Comment 103 was approved on the old blog since, and a new reply came in.
    text = text.replace(
        "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
        "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
    )
    text = text.replace(
        "</item>",
        """<wp:comment><wp:comment_id>106</wp:comment_id><wp:comment_author>Lee</wp:comment_author>
        <wp:comment_date_gmt>2019-04-01 10:00:00</wp:comment_date_gmt>
        <wp:comment_content>Late to this, but thank you.</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>101</wp:comment_parent></wp:comment></item>""",
        1,
    )
    path = tmp_path / "newer.xml"
    path.write_text(text)
    return path


def test_a_newer_export_updates_what_changed(imported, tmp_path):
    imported("wordpress.xml")
    summary = run_import(_newer_export(tmp_path))
    assert "Posts: 0 created, 1 updated, 1 unchanged" in summary
    assert "Comments: 1 created, 1 updated, 2 unchanged" in summary
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    assert post.title == "Why the waiting room went quiet" and post.live
    comments = comments_of("quieter-waiting-room")
    assert comments["Is the TV coming back for the children's corner?"].moderation.status == Status.PUBLISHED
    late = comments["Late to this, but thank you."]
    assert late.parent_id == comments["Thank you. My mother missed her turn twice because of that TV."].pk


def test_a_newer_export_leaves_a_moderators_decision_alone(imported, tmp_path, admin_user):
    imported("wordpress.xml")
    waiting = comments_of("quieter-waiting-room")["Is the TV coming back for the children's corner?"]
    moderation.reject(waiting.moderation, admin_user, "off_topic")
    run_import(_newer_export(tmp_path))
    waiting.moderation.refresh_from_db()
    assert waiting.moderation.status == Status.REJECTED


def test_dry_run_writes_nothing_and_says_what_it_would_do(imported):
    summary = imported("wordpress.xml", "--dry-run")
    assert "Posts: 2 would be created" in summary
    assert "Comments: 3 would be created" in summary
    assert "Redirects: 3 would be made" in summary
    assert not BlogPage.objects.filter(slug="quieter-waiting-room").exists()
    assert not Comment.objects.exists() and not ImportedItem.objects.exists()
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    "name", ["missing.xml", "empty.xml", "truncated.xml", "not-an-export.html", "billion-laughs.xml"]
)
def test_bad_input_writes_nothing(imported, name):
    with pytest.raises(CommandError):
        imported(name)
    assert not BlogPage.objects.exclude(slug__startswith="post-").exists()
    assert not ImportedItem.objects.exists()


def test_a_post_trashed_in_a_newer_export_is_unpublished(imported, tmp_path):
    imported("wordpress.xml")
    newer = tmp_path / "newer.xml"
    newer.write_text(
        fixture("wordpress.xml")
        .read_text()
        .replace("<wp:status><![CDATA[publish]]></wp:status>", "<wp:status><![CDATA[trash]]></wp:status>", 1)
    )
    run_import(newer)
    assert not BlogPage.objects.get(slug="quieter-waiting-room").live


def test_dry_run_creates_no_discussion_setting(imported):
    imported("wordpress.xml", "--dry-run")
    assert not Discussion.objects.exists()


def _with(tmp_path, old: str, new: str, name: str = "wordpress.xml"):
    """A newer copy of a fixture export, with one change."""
    text = fixture(name).read_text()
    assert old in text
    path = tmp_path / f"newer-{name}"
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_newer_export_keeps_a_post_an_editor_changed_here(imported, tmp_path, admin_user):
    imported("wordpress.xml")
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    post.title = "The waiting room, one year on"
    post.save_revision(user=admin_user, log_action=True).publish(user=admin_user)
    summary = run_import(_newer_export(tmp_path))
    assert "Posts: 0 created, 0 updated, 1 unchanged, 1 kept as changed here" in summary
    post.refresh_from_db()
    assert post.title == "The waiting room, one year on"
    assert "Late to this, but thank you." in comments_of("quieter-waiting-room")  # comments still come


def test_a_newer_export_does_not_republish_a_post_an_editor_unpublished(imported, tmp_path, admin_user):
    imported("wordpress.xml")
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    post.unpublish(user=admin_user, log_action=True)
    run_import(_newer_export(tmp_path))
    post.refresh_from_db()
    assert not post.live and post.title == "Why the waiting room got quieter"


def test_a_post_deleted_here_is_not_made_again(imported):
    imported("wordpress.xml")
    BlogPage.objects.get(slug="quieter-waiting-room").delete()
    summary = imported("wordpress.xml")
    assert not BlogPage.objects.filter(title="Why the waiting room got quieter").exists()
    assert "1 post deleted here since it was imported" in summary
    assert "5 comment on a skipped post" in summary  # three readers', a spam and a pingback


def test_a_moderators_redaction_survives_a_newer_export(imported, tmp_path, admin_user):
    imported("wordpress.xml")
    comment = comments_of("quieter-waiting-room")["I am sorry to hear that. We now call names twice."]
    moderation.edit(comment.moderation, admin_user, "[redacted by a moderator]", redacted=True)
    newer = _with(tmp_path, "We now call names twice.", "We now call names twice. Call 555-0100.")
    assert "1 would be kept as changed here" in run_import(newer, "--dry-run")
    summary = run_import(newer)
    assert "Comments: 0 created, 0 updated, 2 unchanged, 1 kept as changed here" in summary
    comment.refresh_from_db()
    assert comment.comment == "[redacted by a moderator]"
    assert "555" not in comment.moderation.html


def test_an_erased_commenter_is_not_brought_back_by_a_newer_export(imported, tmp_path):
    imported("wordpress.xml")
    assert personal_data.erase_commenter("reader@example.net") == 1
    newer = _with(tmp_path, "because of that TV.", "because of that TV, twice.")
    run_import(newer)
    erased = Comment.objects.get(pk=ImportedItem.objects.get(kind="comment", source_id="101").object_id)
    assert personal_data.is_erased(erased)
    assert (erased.user_name, erased.user_email) == ("", "")


def test_blogger_comments_whose_post_is_not_in_the_file_are_counted(imported, tmp_path):
    orphaned = _with(
        tmp_path,
        "<blogger:parent>tag:blogger.com,1999:blog-777.post-500</blogger:parent>",
        "<blogger:parent>tag:blogger.com,1999:blog-777.post-999</blogger:parent>",
        "blogger-takeout.atom",
    )
    summary = run_import(orphaned)
    assert "1 comment on a post not in the export" in summary


def test_dry_run_says_what_it_would_do_with_each_post(imported):
    summary = imported("wordpress.xml", "--dry-run")
    assert "would be created: 'Why the waiting room got quieter' (source id 11), 3 new comments" in summary
