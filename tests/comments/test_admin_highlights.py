"""Highlighted comments: a moderator's pick, listed above the discussion while readers can see it,
with the post page purged whenever the list changes."""

import pytest
from wagtail.models import ModelLogEntry

from comments import moderation
from comments.models import Status
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
DECIDE = "/admin/comments/decide/"


def section(html: str) -> str:
    start = html.find('id="highlighted-comments"')
    return html[start : html.find("</section>", start)] if start != -1 else ""


def test_a_highlighted_comment_is_listed_above_the_discussion_linking_to_its_place(
    client, moderator, post, discussion, commit
):
    comment = make_comment(post, comment="Your EHR is the hospital's record; a PHR is the one you keep.")
    client.force_login(moderator)
    with commit():
        client.post(DECIDE, {"do": f"highlight:{comment.pk}"})
    client.logout()
    html = client.get(post.url).content.decode()
    listed = section(html)
    assert "a PHR is the one you keep" in listed
    assert f'href="/comments/{comment.pk}/"' in listed
    assert html.index('id="highlighted-comments"') < html.index(f'id="c{comment.pk}"')


def test_highlighting_is_audit_logged(client, moderator, post, discussion):
    comment = make_comment(post)
    client.force_login(moderator)
    client.post(DECIDE, {"do": f"highlight:{comment.pk}"})
    client.post(DECIDE, {"do": f"unhighlight:{comment.pk}"})
    actions = list(ModelLogEntry.objects.order_by("pk").values_list("action", "user_id", "label"))
    assert actions == [
        ("comments.highlight", moderator.pk, f"Comment #{comment.pk}"),
        ("comments.unhighlight", moderator.pk, f"Comment #{comment.pk}"),
    ]


@pytest.mark.parametrize("status", [Status.WAITING, Status.REJECTED, Status.SPAM])
def test_only_a_published_comment_can_be_highlighted(client, moderator, post, discussion, status):
    comment = make_comment(post, status=status)
    client.force_login(moderator)
    response = client.post(DECIDE, {"do": f"highlight:{comment.pk}"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    comment.moderation.refresh_from_db()
    assert comment.moderation.highlighted_at is None


def test_taking_the_highlight_off_removes_it_from_the_cached_page(
    client, admin_user, post, discussion, commit
):
    comment = make_comment(post, comment="A clear and useful answer.")
    with commit():
        moderation.highlight(comment.moderation, admin_user)
    assert "A clear and useful answer." in section(client.get(post.url).text)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    with commit():
        moderation.highlight(comment.moderation, admin_user, on=False)
    assert section(client.get(post.url).text) == ""


def test_hiding_a_highlighted_comment_removes_it_from_the_cached_page(
    client, admin_user, post, discussion, commit
):
    comment = make_comment(post, comment="Highlighted, then rejected.")
    with commit():
        moderation.highlight(comment.moderation, admin_user)
    assert "Highlighted, then rejected." in section(client.get(post.url).text)
    with commit():
        moderation.reject(comment.moderation, admin_user, "off_topic")
    assert section(client.get(post.url).text) == ""


def test_a_post_without_highlights_has_no_section(client, post, discussion):
    make_comment(post)
    assert 'id="highlighted-comments"' not in client.get(post.url).text


def test_highlighted_text_is_escaped(client, admin_user, post, discussion, commit):
    comment = make_comment(post, comment='<img src=x onerror="window.__xss=1"> & <b>bold</b>')
    with commit():
        moderation.highlight(comment.moderation, admin_user)
    listed = section(client.get(post.url).text)
    assert "&lt;img src=x" in listed
    assert "<img" not in listed


def test_a_highlighted_reply_leaves_the_list_when_its_parent_is_rejected(
    client, admin_user, post, discussion, commit
):
    """The list asks the discussion's rule (`in_discussion`), not the reply's own flags."""
    parent = make_comment(post, comment="The question that was rejected later.")
    reply = make_comment(post, parent=parent, comment="A highlighted answer to it.")
    with commit():
        moderation.highlight(reply.moderation, admin_user)
    assert "A highlighted answer to it." in section(client.get(post.url).text)
    with commit():
        moderation.reject(parent.moderation, admin_user, "off_topic")
    assert client.get(f"/comments/{reply.pk}/").status_code == 404
    html = client.get(post.url).text
    assert section(html) == ""
    assert "A highlighted answer to it." not in html


def test_a_highlight_excerpt_drops_direction_overrides_as_the_discussion_does(
    client, admin_user, post, discussion, commit
):
    comment = make_comment(post, comment="Pay \u202etnuocca\u202c here", user_name="Ro\u202ese")
    with commit():
        moderation.highlight(comment.moderation, admin_user)
    listed = section(client.get(post.url).text)
    assert "Pay tnuocca here" in listed
    assert "\u202e" not in listed and "\u202c" not in listed
