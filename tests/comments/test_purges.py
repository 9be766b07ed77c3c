"""What a comment change makes stale in the page cache (comments/purges.py), beyond what
tests/pagecache/test_middleware.py checks: the comment feeds, the term pages that count comments,
the policy."""

import datetime
import json

import pytest

from comments import moderation
from comments.models import Status
from glossary.models import Term
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_comment_feeds_are_cached_until_a_comment_is_published(client, post, discussion, admin_user, commit):
    comment = make_comment(post, status=Status.WAITING, comment="Held, then approved.")
    for feed in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        client.get(feed)
        assert client.get(feed)["X-Page-Cache"] == "hit"
    with commit():
        moderation.approve(comment.moderation, admin_user)
    for feed in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        assert "Held, then approved." in client.get(feed).text


def test_a_term_page_counts_a_newly_published_comment(client, site, discussion, admin_user, commit):
    Term.objects.create(term="PHR", expansion="Personal Health Record", definition="Kept by the patient.")
    body = json.dumps([{"type": "paragraph", "value": "<p>Your PHR is yours.</p>"}])
    post = BlogPageFactory(parent=site["index"], body=body)
    comment = make_comment(post, status=Status.WAITING)
    assert "0 comments" in client.get("/glossary/phr/").text
    with commit():
        moderation.approve(comment.moderation, admin_user)
    assert "1 comment" in client.get("/glossary/phr/").text


def test_saving_the_discussion_policy_purges_every_post(client, post, discussion, commit):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    with commit():
        discussion.guidelines = "<p>Be kind to one another.</p>"
        discussion.save()
    assert "Be kind to one another." in client.get(post.url).text


def test_closing_comments_in_the_discussion_policy_purges_the_form(client, site, discussion, commit):
    post = BlogPageFactory(parent=site["index"], comments_enabled=True, date=datetime.date(2020, 1, 1))
    assert 'action="/comments/post/"' in client.get(post.url).text
    with commit():
        discussion.close_after_days = 30
        discussion.save()
    assert 'action="/comments/post/"' not in client.get(post.url).text
