"""A comment whose post was deleted stays in the queue's tables; the moderator's screens answer
it calmly (a 404 where there is no post to answer on), never a 500."""

import pytest

from comments.models import Comment
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def orphan(post, discussion):
    comment = make_comment(post, comment="On a post deleted since.")
    post.delete()
    return Comment.objects.get(pk=comment.pk)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_staff_reply_to_a_comment_whose_post_was_deleted_is_a_404(client, moderator, orphan, method):
    client.force_login(moderator)
    response = getattr(client, method)(f"/admin/comments/{orphan.pk}/reply/", {"comment": "Hello?"})
    assert response.status_code == 404
    assert Comment.objects.filter(parent_id=orphan.pk, level=1).count() == 0


@pytest.mark.parametrize("action", ["approve", "reject:off_topic", "spam", "highlight", "unhighlight"])
def test_deciding_on_a_comment_whose_post_was_deleted_is_never_a_500(client, moderator, orphan, action):
    client.force_login(moderator)
    verb, _sep, reason = action.partition(":")
    do = f"{verb}:{orphan.pk}" + (f":{reason}" if reason else "")
    response = client.post("/admin/comments/decide/", {"do": do}, HTTP_ACCEPT="application/json")
    assert response.status_code < 500


@pytest.mark.parametrize("path", ["/admin/comments/", "/admin/comments/{pk}/edit/"])
def test_the_queue_and_edit_screen_show_a_comment_whose_post_was_deleted(client, moderator, orphan, path):
    client.force_login(moderator)
    assert client.get(path.format(pk=orphan.pk)).status_code == 200
