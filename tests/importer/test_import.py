"""`manage.py import_blog`: what an import makes of posts, comments and old addresses (a second
run and newer exports: test_reimport.py)."""

import pytest
from django.conf import settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageLogEntry, PageViewRestriction

from blog.models import Author, BlogPage
from comments.models import Comment, Status
from importer.models import ImportedItem
from tests.factories import AuthorFactory, BlogPageFactory

from .conftest import comments_of


def test_posts_become_live_blog_posts_under_the_blog_index(imported, site):
    imported("wordpress.xml")
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    assert post.live
    assert post.get_parent().pk == site["index"].pk
    assert post.title == "Why the waiting room got quieter"
    assert str(post.date) == "2019-03-04"
    assert post.first_published_at.isoformat() == "2019-03-04T09:30:00+00:00"


def test_a_live_post_has_a_revision_that_is_its_live_one(imported):
    imported("wordpress.xml")
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    assert post.live_revision_id is not None
    assert post.latest_revision_id == post.live_revision_id


def test_a_new_post_is_logged_as_created_and_published_once_each(imported):
    imported("wordpress.xml")
    post = BlogPage.objects.get(slug="quieter-waiting-room")
    actions = sorted(PageLogEntry.objects.filter(page=post).values_list("action", flat=True))
    assert actions == ["wagtail.create", "wagtail.publish"]


def test_imported_posts_are_found_by_site_search_and_drafts_are_not(imported, client):
    imported("wordpress.xml")
    html = client.get("/search/", {"q": "quieter"}).text
    assert "Why the waiting room got quieter" in html
    draft = BlogPage.objects.filter(live=False).first()
    assert draft is not None
    assert draft.title not in client.get("/search/", {"q": draft.title.split()[0]}).text


def test_body_keeps_what_the_editor_allows_and_drops_scripts_frames_and_handlers(imported):
    imported("wordpress.xml")
    html = str(BlogPage.objects.get(slug="quieter-waiting-room").body)
    assert "<b>hear their names</b>" in html
    assert 'href="https://example.org/survey"' in html
    for dropped in ("<script", "alert", "<iframe", "onclick", "onmouseover", "steal()"):
        assert dropped not in html


def test_blank_lines_of_a_classic_wordpress_post_become_paragraphs(imported):
    imported("wordpress.xml")
    blocks = BlogPage.objects.get(slug="quieter-waiting-room").body.raw_data
    assert blocks[0]["value"].count("<p ") == 3


def test_authors_are_matched_by_name_to_existing_snippets(imported):
    helen = AuthorFactory(name="helen  brooks", slug="helen")
    imported("wordpress.xml")
    assert BlogPage.objects.get(slug="quieter-waiting-room").authors == [helen]
    assert Author.objects.filter(name__iexact="Helen Brooks").count() == 0


def test_an_unknown_author_gets_a_snippet(imported):
    imported("wordpress.xml")
    author = Author.objects.get(name="Helen Brooks")
    assert author.slug == "helen-brooks"


def test_categories_and_tags_become_tags(imported):
    imported("wordpress.xml")
    tags = set(BlogPage.objects.get(slug="quieter-waiting-room").tags.names())
    assert tags == {"Patient experience", "waiting rooms"}


def test_a_slug_taken_by_another_post_gets_a_suffix(imported, site):
    BlogPageFactory(parent=site["index"], slug="quieter-waiting-room")
    imported("wordpress.xml")
    assert (
        BlogPage.objects.filter(title="Why the waiting room got quieter").get().slug
        == "quieter-waiting-room-2"
    )


def test_a_post_without_title_is_named_by_its_first_words(imported):
    imported("wordpress-1.0-https.xml")
    assert BlogPage.objects.filter(title="This post had no title at all in…").exists()


def test_drafts_stay_drafts(imported):
    imported("wordpress.xml")
    draft = BlogPage.objects.get(title="Board notes, not yet ready")
    assert not draft.live
    assert draft.first_published_at is None


def test_scheduled_posts_keep_their_go_live_time(imported):
    imported("wordpress-1.0-https.xml")
    post = BlogPage.objects.get(slug="coming-next-month")
    assert not post.live
    assert post.go_live_at.isoformat() == "2099-01-01T08:00:00+00:00"
    assert post.latest_revision.approved_go_live_at == post.go_live_at


def test_private_posts_are_for_logged_in_users(imported):
    imported("wordpress-1.0-https.xml")
    restriction = PageViewRestriction.objects.get(page__slug="board-only")
    assert restriction.restriction_type == PageViewRestriction.LOGIN


def test_a_wordpress_password_becomes_a_wagtail_password(imported):
    imported("wordpress-1.0-https.xml")
    restriction = PageViewRestriction.objects.get(page__slug="staff-memo")
    assert restriction.restriction_type == PageViewRestriction.PASSWORD
    assert restriction.password == "letmein"


def test_trashed_posts_and_their_comments_are_skipped(imported):
    summary = imported("wordpress-1.0-https.xml")
    assert not BlogPage.objects.filter(slug="gone").exists()
    assert "1 post in trash" in summary
    assert "1 comment on a skipped post" in summary


def test_pages_are_not_posts(imported):
    summary = imported("wordpress.xml")
    assert not BlogPage.objects.filter(title="About this blog").exists()
    assert "1 page (not a post)" in summary


def test_comments_keep_their_tree_dates_names_emails_and_urls(imported):
    imported("wordpress.xml")
    comments = comments_of("quieter-waiting-room")
    first = comments["Thank you. My mother missed her turn twice because of that TV."]
    reply = comments["I am sorry to hear that. We now call names twice."]
    assert reply.parent_id == first.pk and reply.level == 1
    assert first.user_name == "Anonymous"
    assert first.user_email == "reader@example.net"
    assert first.user_url == "https://reader.example.net/"
    assert first.submit_date.isoformat() == "2019-03-05T10:00:00+00:00"


def test_approved_comments_are_published(imported):
    imported("wordpress.xml")
    comment = comments_of("quieter-waiting-room")["I am sorry to hear that. We now call names twice."]
    assert comment.is_public and not comment.is_removed
    assert comment.moderation.status == Status.PUBLISHED


def test_unapproved_comments_wait_with_the_reason_imported_not_approved(imported):
    imported("wordpress.xml")
    comment = comments_of("quieter-waiting-room")["Is the TV coming back for the children's corner?"]
    assert not comment.is_public
    assert comment.moderation.status == Status.WAITING
    assert comment.moderation.reason_list() == ["Imported, not approved"]


def test_spam_and_pingbacks_are_skipped(imported):
    summary = imported("wordpress.xml")
    assert set(comments_of("quieter-waiting-room")) == {
        "Thank you. My mother missed her turn twice because of that TV.",
        "I am sorry to hear that. We now call names twice.",
        "Is the TV coming back for the children's corner?",
    }
    assert "1 comment in spam" in summary and "1 pingback" in summary


def test_trackbacks_and_trashed_comments_are_skipped(imported):
    summary = imported("wordpress-1.0-https.xml")
    texts = set(comments_of("long-conversation"))
    assert "Trackback from elsewhere" not in texts and "Trashed" not in texts
    assert "1 trackback" in summary and "1 comment in trash" in summary


def test_a_reply_to_a_skipped_comment_moves_up_to_the_top(imported):
    imported("wordpress-1.0-https.xml")
    comment = comments_of("long-conversation")["My parent was spam, so I move up."]
    assert comment.level == 0


def test_replies_deeper_than_allowed_go_under_the_deepest_allowed_ancestor(imported):
    imported("wordpress-1.0-https.xml")
    comments = comments_of("long-conversation")
    deepest = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    assert max(c.level for c in comments.values()) == deepest
    allowed = comments[f"Level {deepest - 1} reply."]
    for level in range(deepest, 6):
        assert comments[f"Level {level} reply."].parent_id == allowed.pk


def test_threads_are_in_reading_order(imported):
    imported("wordpress-1.0-https.xml")
    post = BlogPage.objects.get(slug="long-conversation")
    texts = [c.comment for c in Comment.objects.for_page(post).thread_order()]
    assert texts.index("Level 0 reply.") < texts.index("Level 1 reply.") < texts.index("Level 2 reply.")


def test_a_comment_under_the_authors_name_is_not_badged_author(imported):
    """The badge belongs to the account linked to the Author snippet; a typed name proves nothing."""
    imported("wordpress.xml")
    comment = comments_of("quieter-waiting-room")["I am sorry to hear that. We now call names twice."]
    assert comment.moderation.role == "reader"


def test_html_in_comments_is_stored_as_the_text_a_reader_would_type(imported):
    imported("blogger-takeout.atom")
    assert "Nurses deserve better coffee.\nSeriously." in comments_of("what-night-shift-asked-for")


def test_old_addresses_redirect_permanently_to_the_new_post(imported, client):
    imported("wordpress.xml")
    redirect = Redirect.objects.get(old_path="/2019/03/04/quieter-waiting-room")
    assert redirect.is_permanent
    response = client.get("/2019/03/04/quieter-waiting-room/")
    assert response.status_code == 301
    assert response["Location"].endswith("/blog/quieter-waiting-room/")


def test_a_wordpress_shortlink_redirects_even_when_the_home_page_is_cached(imported, client):
    imported("wordpress.xml")
    assert client.get("/").status_code == 200  # the home page, now in the page cache
    response = client.get("/?p=11")
    assert response.status_code == 301
    assert response["Location"].endswith("/blog/quieter-waiting-room/")
    assert client.get("/?p=999").status_code == 200  # an unknown id: the home page, as before


def test_blogger_takeout_imports_posts_comments_and_redirects(imported):
    imported("blogger-takeout.atom")
    post = BlogPage.objects.get(slug="what-night-shift-asked-for")
    assert post.live and [a.name for a in post.authors] == ["Omar Haddad"]
    reply = comments_of("what-night-shift-asked-for")["Agreed, and a quiet room too."]
    assert reply.level == 1 and reply.user_url == "https://rosa.example.net/"
    assert Redirect.objects.filter(old_path="/2018/06/what-night-shift-asked-for.html").exists()
    assert not BlogPage.objects.get(title="Unfinished thoughts").live


def test_classic_blogger_imports_posts_and_threaded_comments(imported):
    imported("blogger-classic.xml")
    comments = comments_of("going-home-before-noon")
    assert comments["Glad to hear it."].parent_id == comments["Thanks, this helped my dad."].pk
    assert "onmouseover" not in str(BlogPage.objects.get(slug="going-home-before-noon").body)
    assert not BlogPage.objects.get(title="A draft").live


def test_every_imported_item_remembers_its_source_id(imported):
    imported("wordpress.xml")
    kinds = sorted(ImportedItem.objects.values_list("kind", "source_id"))
    assert kinds == [
        ("comment", "101"),
        ("comment", "102"),
        ("comment", "103"),
        ("post", "11"),
        ("post", "12"),
    ]


@pytest.mark.parametrize(
    "query", ["p=%00", "p=%ff%fe", "p=" + "9" * 5000, "page_id=../../etc", "p=1&p=2", "p"]
)
def test_hostile_shortlinks_are_answered_calmly(imported, client, query):
    imported("wordpress.xml")
    assert client.get(f"/?{query}").status_code in (200, 301, 400, 404)
