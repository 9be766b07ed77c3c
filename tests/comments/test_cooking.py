"""Render on write: each comment's HTML is made when its text is written, stored with the version of
the sanitising rules, and pages join what is stored (comments/cooking.py)."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from blog.models import BlogPage
from comments import cooking, moderation, sanitize
from comments.creation import NewComment, add_comment, comment_for
from comments.models import Comment, Moderation, Status
from comments.personal_data import ERASED_TEXT, erase_commenter
from comments.sanitize import POLICY, comment_html
from tests.comments.factories import make_comment, post_as_reader
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db


def stored(comment) -> Moderation:
    return Moderation.objects.get(pk=comment.pk)


def shown_text(client, post, comment) -> str:
    """The inner HTML of the comment's text as the post page shows it."""
    soup = BeautifulSoup(client.get(post.url).content, "html.parser")
    return soup.select_one(f"#c{comment.pk} > .comment__text").decode_contents()


def test_a_new_comment_is_stored_with_its_html_and_the_rules_version(post):
    comment = make_comment(post, comment="See https://example.org/waits\n\nThanks.")
    row = stored(comment)
    assert row.html == comment_html("See https://example.org/waits\n\nThanks.")
    assert row.html_policy == POLICY


def test_a_comment_posted_by_a_reader_is_cooked(post, discussion):
    comment = Comment(
        content_type=ContentType.objects.get_for_model(BlogPage),
        object_pk=str(post.pk),
        site_id=1,
        comment="A *reader's* words <b>here</b>.",
    )
    post_as_reader(comment, page=post, discussion=discussion)
    assert stored(comment).html == comment_html("A *reader's* words <b>here</b>.")


def test_add_comment_cooks_what_it_stores(post):
    comment = add_comment(NewComment(comment_for(post, "Stored by the site.\nTwo lines.")))
    assert stored(comment).html == comment_html("Stored by the site.\nTwo lines.")
    assert stored(comment).html_policy == POLICY


def test_an_edit_cooks_the_new_text(post, admin_user):
    comment = make_comment(post, comment="Before the edit.")
    moderation.edit(comment.moderation, admin_user, "After the edit.")
    assert stored(comment).html == comment_html("After the edit.")


def test_a_redaction_cooks_the_redacted_text(post, admin_user):
    comment = make_comment(post, comment="Call me on 555 0100.")
    moderation.edit(comment.moderation, admin_user, "Call me on [removed].", redacted=True)
    assert "555" not in stored(comment).html


def test_a_comment_saved_again_with_new_text_is_cooked_again(post):
    comment = make_comment(post, comment="Typed in a hurry.")
    comment.comment = "Corrected from a shell."
    comment.save()
    assert stored(comment).html == comment_html("Corrected from a shell.")


def test_a_save_of_other_fields_keeps_the_stored_html(post, monkeypatch):
    comment = make_comment(post, comment="Unchanged text.")
    monkeypatch.setattr(cooking, "comment_html", lambda text: pytest.fail("cooked again"))
    comment.user_name = "Renamed"
    comment.save(update_fields=["user_name"])
    assert stored(comment).html == comment_html("Unchanged text.")


def test_the_post_page_sanitises_nothing_when_every_comment_is_cooked(client, post, discussion, monkeypatch):
    for _ in range(3):
        make_comment(post, comment="Already cooked https://example.org/")
    monkeypatch.setattr(sanitize, "_render", lambda text: pytest.fail("sanitised on render"))
    response = client.get(post.url)
    assert response.status_code == 200
    assert response.content.decode().count('rel="nofollow ugc noopener noreferrer"') == 3


def test_a_comment_cooked_under_older_rules_is_cooked_on_the_fly_and_saved(client, post, discussion):
    comment = make_comment(post, comment="Cooked long ago.")
    Moderation.objects.filter(pk=comment.pk).update(html="<p>old rules</p>", html_policy=POLICY - 1)
    assert "Cooked long ago." in shown_text(client, post, comment)
    assert stored(comment).html == comment_html("Cooked long ago.")
    assert stored(comment).html_policy == POLICY


def test_a_comment_without_a_moderation_row_is_still_shown_sanitised(client, post, discussion):
    comment = make_comment(post, comment="<script>x</script>Imported without its row.")
    Moderation.objects.filter(pk=comment.pk).delete()
    assert shown_text(client, post, comment) == comment_html("<script>x</script>Imported without its row.")


def test_recook_comments_redoes_only_stale_rows_unless_asked_for_all(post, capsys):
    current, stale = make_comment(post, comment="Current."), make_comment(post, comment="Stale.")
    Moderation.objects.filter(pk=stale.pk).update(html="", html_policy=0)
    Moderation.objects.filter(pk=current.pk).update(html="<p>kept</p>")
    call_command("recook_comments")
    assert "Cooked 1 comments." in capsys.readouterr().out
    assert stored(stale).html == comment_html("Stale.")
    assert stored(current).html == "<p>kept</p>"
    call_command("recook_comments", "--all")
    assert stored(current).html == comment_html("Current.")


def test_the_migration_cooks_existing_comments(post):
    comment = make_comment(post, comment="Written before render on write.")
    Moderation.objects.filter(pk=comment.pk).update(html="", html_policy=0)
    migration = importlib.import_module("comments.migrations.0006_cooked_html")
    migration.cook_existing(apps, None)
    assert stored(comment).html == comment_html("Written before render on write.")
    assert stored(comment).html_policy == POLICY


def test_shown_text_is_what_the_sanitiser_makes_of_the_stored_text(client, post, discussion, settings):
    """The whole XSS corpus, on one page: each comment's text as shown equals the sanitiser's output
    for the text stored (both read through the same parser, so only content can differ)."""
    settings.COMMENTS_PER_PAGE = len(PAYLOADS) + 1
    # Without NUL: the comment form refuses it (ProhibitNullCharactersValidator) and PostgreSQL
    # cannot store it.
    comments = [add_comment(NewComment(comment_for(post, p.text.replace("\x00", "")))) for p in PAYLOADS]
    soup = BeautifulSoup(client.get(post.url).content, "html.parser")
    for payload, comment in zip(PAYLOADS, comments, strict=True):
        text = Comment.objects.get(pk=comment.pk).comment
        shown = soup.select_one(f"#c{comment.pk} > .comment__text").decode_contents()
        expected = BeautifulSoup(comment_html(text), "html.parser").decode_contents()
        assert shown == expected, payload.name


def test_erasure_cooks_the_note_and_no_cached_page_keeps_the_text(client, post, discussion, commit):
    with commit():
        erased = make_comment(post, comment="I was on ward 4.", user_email="pat@example.org")
        held = make_comment(
            post, status=Status.WAITING, comment="Pat again, held.", user_email="pat@example.org"
        )
    assert "ward 4" in client.get(post.url).content.decode()
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    with commit():
        erase_commenter("pat@example.org")
    page = client.get(post.url)
    assert page["X-Page-Cache"] == "miss"
    assert "ward 4" not in page.content.decode()
    assert str(ERASED_TEXT) in shown_text(client, post, erased)
    assert stored(held).html == comment_html(str(ERASED_TEXT))


def test_erasure_purges_the_comment_feeds(client, post, discussion, commit):
    with commit():
        make_comment(post, comment="Words from Pat in the feed.", user_email="pat@example.org")
    feed = f"/comments/feed/{post.pk}/"
    assert "Words from Pat" in client.get(feed).content.decode()
    with commit():
        erase_commenter("pat@example.org")
    assert "Words from Pat" not in client.get(feed).content.decode()
