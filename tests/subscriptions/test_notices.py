"""The notices about what a reader wrote, through a real SMTP server: opted in on the comment form,
for proven emails only, each with a one-click unsubscribe."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from blog.models import BlogPage
from comments import moderation
from comments.creation import NewComment, add_comment
from comments.models import Comment, Moderation, Role, Status
from subscriptions import tokens
from tests.factories import BlogPageFactory
from tests.helpers import comment_form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(site):
    _home, index = site
    return BlogPageFactory(parent=index, title="Parking at the new clinic")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example-hospital.org", "pw")


def comment(
    post, *, status=Status.WAITING, wants=True, proven=True, email="pat@example.org", parent=None, **kw
):
    data = {
        "content_type": ContentType.objects.get_for_model(BlogPage),
        "object_pk": str(post.pk),
        "site_id": settings.SITE_ID,
        "user_name": "Pat",
        "user_email": email,
        "comment": "Where do visitors park?",
        "submit_date": timezone.now(),
        "parent_id": parent.pk if parent else 0,
    }
    entry = NewComment(Comment(**data), status=status, email_proven=proven, wants_notices=wants, **kw)
    return add_comment(entry)


def subjects(sink, address="pat@example.org") -> list[str]:
    return [received.message["Subject"] for received in sink.to(address)]


def test_an_approved_comment_tells_its_commenter(sink, post, staff, after_commit):
    held = comment(post)
    with after_commit():
        moderation.approve(held.moderation, staff)
    assert subjects(sink) == ["Your comment is now published"]
    message = sink.to("pat@example.org")[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Where do visitors park?" not in message.as_string()  # a link, never the text
    assert f"/comments/{held.pk}/" in message.get_body(("plain",)).get_content()


def test_no_notice_without_the_opt_in_or_without_proof(sink, post, staff, after_commit):
    not_asked = comment(post, wants=False, email="a@example.org")
    not_proven = comment(post, proven=False, email="b@example.org")
    with after_commit():
        moderation.approve(not_asked.moderation, staff)
        moderation.approve(not_proven.moderation, staff)
    assert sink.received == []


def test_a_staff_reply_and_a_highlight_tell_the_commenter(sink, post, staff, after_commit):
    mine = comment(post, status=Status.PUBLISHED)
    reply = Comment(
        content_type_id=mine.content_type_id,
        object_pk=mine.object_pk,
        site_id=settings.SITE_ID,
        user=staff,
        user_name="Boss",
        comment="Visitors park free in lot B.",
        submit_date=timezone.now(),
        parent_id=mine.pk,
    )
    with after_commit():
        add_comment(NewComment(reply, status=Status.PUBLISHED, role=Role.STAFF), notify=True)
    with after_commit():
        moderation.highlight(Moderation.objects.get(pk=mine.pk), staff)
    assert subjects(sink) == ["A member of staff replied to you", "Your comment was highlighted"]
    assert (
        f"/comments/{reply.pk}/" in sink.to("pat@example.org")[0].message.get_body(("plain",)).get_content()
    )


def test_the_notices_one_click_unsubscribe_stops_them(sink, client, post, staff, after_commit):
    first = comment(post)
    second = comment(post)
    link = reverse("subscriptions:notices_off", args=[tokens.sign_notices("pat@example.org")])
    assert client.get(link).status_code == 200
    assert Moderation.objects.filter(wants_notices=True).count() == 2  # a GET changes nothing
    assert (
        client.post(
            link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    with after_commit():
        moderation.approve(first.moderation, staff)
        moderation.approve(second.moderation, staff)
    assert sink.received == []
    assert client.post("/subscribe/notices/forged/").status_code == 400


def test_the_comment_form_offers_the_opt_in_and_stores_it(client, post):
    html = client.get(post.url).content.decode()
    fields = comment_form_fields(html)
    assert 'name="notices"' in html
    fields |= {"comment": "Is there a drop-off zone?", "email": "pat@example.org", "notices": "on"}
    assert client.post("/comments/post/", fields).status_code == 302
    stored = Comment.objects.get(comment="Is there a drop-off zone?")
    assert stored.moderation.wants_notices is True


def test_the_opt_in_needs_an_email(client, post):
    fields = comment_form_fields(client.get(post.url).content.decode())
    fields |= {"comment": "No address given.", "notices": "on"}
    assert client.post("/comments/post/", fields).status_code == 400
    assert not Comment.objects.filter(comment="No address given.").exists()
