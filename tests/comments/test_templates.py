"""The discussion as readers see it: threads, permalinks, badges, counts, feeds, query counts."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from comments.listing import render_comment_list
from comments.models import Status
from glossary.models import Term
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_reply_element_sits_inside_its_parent_element(client, post, discussion):
    parent = make_comment(post)
    reply = make_comment(post, parent=parent)
    soup = soup_of(client, post.url)
    assert soup.find(id=f"c{parent.pk}").find(id=f"c{reply.pk}") is not None


def test_each_comment_has_a_permalink_reply_and_report(client, post, discussion):
    comment = make_comment(post)
    element = soup_of(client, post.url).find(id=f"c{comment.pk}")
    assert element.find("a", href=f"#c{comment.pk}") is not None
    assert element.find("a", href=f"/comments/reply/{comment.pk}/") is not None
    assert element.find("a", href=f"/comments/report/{comment.pk}/") is not None


def test_threads_are_oldest_first_with_replies_in_place(client, post, discussion):
    first = make_comment(post, comment="first")
    second = make_comment(post, comment="second")
    reply = make_comment(post, parent=first, comment="reply to first")
    ids = [a["id"] for a in soup_of(client, post.url).select("article.comment")]
    assert ids == [f"c{first.pk}", f"c{reply.pk}", f"c{second.pk}"]


def test_held_rejected_and_spam_comments_are_not_shown(client, post, discussion):
    for status in (Status.WAITING, Status.REJECTED, Status.SPAM):
        make_comment(post, status=status, comment=f"concealed {status}")
    assert "concealed" not in client.get(post.url).content.decode()


def test_a_reply_under_a_hidden_comment_is_not_shown(client, post, discussion):
    parent = make_comment(post, status=Status.REJECTED)
    make_comment(post, parent=parent, comment="orphaned reply")
    assert "orphaned reply" not in client.get(post.url).content.decode()


def test_no_reply_link_at_max_depth(client, post, discussion, settings):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 1
    parent = make_comment(post)
    child = make_comment(post, parent=parent)
    soup = soup_of(client, post.url)
    assert soup.find("a", href=f"/comments/reply/{parent.pk}/") is not None
    assert soup.find("a", href=f"/comments/reply/{child.pk}/") is None


def test_staff_and_author_replies_are_badged(client, post, discussion):
    make_comment(post, role="staff")
    make_comment(post, role="author")
    badges = [b.get_text() for b in soup_of(client, post.url).select(".comment__badge")]
    assert badges == ["Staff", "Author"]


def test_a_commenter_name_cannot_forge_markup(client, post, discussion):
    make_comment(post, user_name='<b id="comments" data-x=1>Eve</b>')
    soup = soup_of(client, post.url)
    assert soup.select("b#comments") == []
    assert '<b id="comments" data-x=1>Eve</b>' in soup.select_one(".comment__author").get_text()


def test_anonymous_page_has_no_csrf_token_and_is_the_same_for_every_reader(client, post, discussion):
    make_comment(post)
    first = client.get(post.url).content.decode()
    assert "csrfmiddlewaretoken" not in first
    normalise = lambda html: re.sub(r'name="(timestamp|security_hash)" value="[^"]*"', "", html)  # noqa: E731
    assert normalise(Client().get(post.url).content.decode()) == normalise(first)


def test_logged_in_page_form_carries_a_csrf_token(client, post, discussion, admin_user):
    client.force_login(admin_user)
    assert "csrfmiddlewaretoken" in client.get(post.url).content.decode()


def test_guidelines_are_shown_above_the_form(client, post, discussion):
    discussion.guidelines = "<p>Be kind. Not for emergencies.</p>"
    discussion.save()
    soup = soup_of(client, post.url)
    guidelines = soup.select_one(".discussion__guidelines")
    assert "Not for emergencies" in guidelines.get_text()
    assert guidelines.find_next("form")["action"] == "/comments/post/"


def test_a_closed_post_says_so_instead_of_the_form(client, post, discussion):
    post.comments_enabled = False
    post.save_revision().publish()
    soup = soup_of(client, post.url)
    assert soup.select_one(".discussion__closed") is not None
    assert soup.find("form", action="/comments/post/") is None


def test_count_shows_in_the_byline_and_heading(client, post, discussion):
    make_comment(post)
    make_comment(post)
    make_comment(post, status=Status.WAITING)
    soup = soup_of(client, post.url)
    assert soup.select_one(".byline__comments").get_text() == "2 comments"
    assert soup.select_one("#comments-title").get_text() == "2 comments"


def test_count_shows_in_listings_without_a_query_per_post(client, site, discussion):
    posts = [BlogPageFactory(parent=site["index"]) for _ in range(3)]
    for index, post in enumerate(posts):
        for _ in range(index):
            make_comment(post)
    soup = soup_of(client, "/blog/")
    assert sorted(a.get_text() for a in soup.select(".byline__comments")) == [
        "0 comments",
        "1 comment",
        "2 comments",
    ]
    with CaptureQueriesContext(connection) as three:
        client.get("/blog/")
    posts.append(BlogPageFactory(parent=site["index"]))
    make_comment(posts[-1])
    with CaptureQueriesContext(connection) as four:
        client.get("/blog/")
    assert len(four) == len(three)


def make_thread(post, count: int) -> None:
    parent = None
    for index in range(count):
        comment = make_comment(post, parent=parent if index % 3 else None)
        parent = comment if index % 3 == 0 else parent


@pytest.mark.no_page_cache
def test_500_comments_render_in_the_same_number_of_queries_as_5(client, site, discussion, settings):
    """Caches off: this counts the queries of a render, which a cached page or list never makes.
    One page holds every thread here; tests/comments/test_pages.py counts a paginated post."""
    settings.COMMENTS_PER_PAGE = 1000
    small, large = BlogPageFactory(parent=site["index"]), BlogPageFactory(parent=site["index"])
    make_thread(small, 5)
    make_thread(large, 500)
    client.get(small.url)  # warm caches that are per-process, not per-page
    with CaptureQueriesContext(connection) as five:
        assert client.get(small.url).status_code == 200
    with CaptureQueriesContext(connection) as five_hundred:
        response = client.get(large.url)
    assert (
        response.content.decode().count('class="comment ')
        + response.content.decode().count('class="comment"')
        == 500
    )
    assert len(five_hundred) == len(five)


def test_post_feed_lists_published_comments_only(client, post, discussion):
    make_comment(post, comment="visible in feed")
    make_comment(post, status=Status.WAITING, comment="held from feed")
    body = client.get(f"/comments/feed/{post.pk}/").content.decode()
    assert "visible in feed" in body
    assert "held from feed" not in body


def test_site_feed_links_each_comment_permalink(client, post, discussion):
    comment = make_comment(post)
    assert f"/comments/{comment.pk}/" in client.get("/comments/feed/").content.decode()


def test_feed_of_a_missing_post_is_404(client, db):
    assert client.get("/comments/feed/999999/").status_code == 404


def test_feed_titles_escape_a_commenter_name_for_readers_that_render_html(client, post, discussion):
    make_comment(post, user_name="<b>Bold</b>")
    body = client.get(f"/comments/feed/{post.pk}/").content.decode()
    assert "&amp;lt;b&amp;gt;Bold" in body


def test_the_glossary_annotates_comment_text_and_nothing_else_of_the_discussion(client, post, discussion):
    """Names, guidelines, the form and the feed links carry data-glossary-skip; the page annotates
    the discussion around them (templates/pages/blog_page.html)."""
    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    discussion.guidelines = "<p>Never post your PHR here.</p>"
    discussion.save()
    make_comment(post, user_name="PHR fan", comment="Is my PHR the same thing?")
    soup = soup_of(client, post.url)
    annotated = soup.select('#comments [data-term="phr"]')
    assert len(annotated) == 1
    assert annotated[0].find_parent(class_="comment__text") is not None


def test_the_guidelines_are_never_annotated(client, post, discussion):
    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    discussion.guidelines = "<p>Never post your PHR here.</p>"
    discussion.save()
    assert soup_of(client, post.url).select("#comments [data-term]") == []


def test_the_closed_notice_is_never_annotated(client, post, discussion):
    Term.objects.create(term="Comments", definition="What readers write.")
    post.comments_enabled = False
    post.save_revision().publish()
    soup = soup_of(client, post.url)
    assert soup.select_one(".discussion__closed") is not None
    assert soup.select("#comments [data-term]") == []


def test_the_comment_list_itself_carries_no_glossary_annotation(client, post, discussion):
    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    make_comment(post, comment="Is my PHR the same thing?")
    comments = render_comment_list(post, True, RequestFactory().get(post.url))
    assert comments.count == 1
    assert "Is my PHR the same thing?" in comments.html
    assert "data-term" not in comments.html
