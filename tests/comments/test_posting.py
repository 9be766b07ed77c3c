"""The reader's side: posting, what they see after, replies, bad input, CSRF, reporting. Malformed
posts, one case each, are in test_malformed_posts.py."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments.models import Comment, Moderation, Status
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
URL = "/comments/post/"


def test_anonymous_post_without_csrf_token_is_stored_and_held(client, post, discussion):
    response = Client(enforce_csrf_checks=True).post(URL, form_data(post, comment="Thank you for this."))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.comment == "Thank you for this."
    assert comment.moderation.status == Status.WAITING


def test_logged_in_post_with_csrf_token_is_published_as_staff(post, discussion, admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    page = browser.get(post.url)
    token = page.cookies["csrftoken"].value
    response = browser.post(URL, form_data(post), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302
    assert Comment.objects.get().moderation.role == "staff"


def test_held_comment_shows_the_thank_you_page_with_the_text(client, post, discussion):
    response = client.post(URL, form_data(post, comment="My <b>own</b> words"), follow=True)
    html = response.content.decode()
    assert "Thank you, your comment is waiting for a moderator" in html
    assert "My &lt;b&gt;own&lt;/b&gt; words" in html


def test_published_comment_redirects_to_its_permalink(client, post, discussion, admin_user):
    client.force_login(admin_user)
    response = client.post(URL, form_data(post), follow=False)
    comment = Comment.objects.get()
    assert client.get(response["Location"])["Location"] == f"{post.url}#c{comment.pk}"


def test_posted_page_token_cannot_be_forged(client):
    assert client.get("/comments/posted/eyJjIjoxfQ:forged:sig/").status_code == 404


def test_name_is_optional_and_shown_as_anonymous(client, post, discussion):
    make_comment(post, user_name="")
    assert "Anonymous" in client.get(post.url).content.decode()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"comment": ""}, "comment"),
        ({"comment": "x" * 3001}, "comment"),
        ({"email": "not-an-email"}, "email"),
        ({"name": "n" * 51}, "name"),
        ({"comment": "nul\x00byte"}, "comment"),
        ({"followup": "on", "email": ""}, "email"),
        ({"reply_to": "abc"}, "reply_to"),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(client, post, discussion, fields, error_field):
    data = form_data(post, **{"name": "Pat", "email": "pat@example.org", "comment": "My words", **fields})
    response = client.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert error_field in form.errors
    html = response.content.decode()
    assert "Please check your comment" in html
    if fields.get("comment", "My words") == "My words":
        assert "My words" in html
    assert 'value="Pat"' in html or error_field == "name"
    assert not Comment.objects.exists()


def test_a_three_thousand_character_comment_is_accepted(client, post, discussion):
    assert client.post(URL, form_data(post, comment="x" * 3000)).status_code == 302


@pytest.mark.parametrize(
    "fields",
    [
        {"security_hash": "0" * 40},
        {"timestamp": "1"},
        {"honeypot": "I am a bot"},
    ],
)
def test_security_failures_are_a_400_with_a_fresh_form_and_the_text(client, post, discussion, fields):
    response = client.post(URL, form_data(post, comment="Keep me", **fields))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Keep me" in html
    assert 'name="security_hash" value="0000' not in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"content_type": "auth.user"},
        {"object_pk": "abc"},
        {"object_pk": "999999"},
        {"content_type": ""},
    ],
)
def test_an_unknown_target_is_a_400(client, post, discussion, fields):
    assert client.post(URL, form_data(post, **fields)).status_code == 400


def test_reply_nests_under_its_parent(client, post, discussion):
    parent = make_comment(post)
    client.post(URL, form_data(post, reply_to=str(parent.pk), comment="A reply"))
    reply = Comment.objects.get(comment="A reply")
    assert (reply.parent_id, reply.thread_id, reply.level) == (parent.pk, parent.pk, 1)


def test_reply_to_a_held_comment_is_a_form_error(client, post, discussion):
    held = make_comment(post, status=Status.WAITING)
    assert client.post(URL, form_data(post, reply_to=str(held.pk))).status_code == 400


def test_a_closed_post_refuses_comments_and_returns_the_text(client, post, discussion):
    post.comments_enabled = False
    post.save_revision().publish()
    response = client.post(URL, form_data(post, comment="Too late"))
    assert response.status_code == 403
    assert "Too late" in response.content.decode()
    assert not Comment.objects.exists()


def test_creation_is_atomic_when_the_moderation_row_fails(client, post, discussion, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Moderation, "save", boom)
    with pytest.raises(RuntimeError):
        client.post(URL, form_data(post))
    assert not Comment.objects.exists()


def test_ip_address_is_stored(client, post, discussion):
    client.post(URL, form_data(post), REMOTE_ADDR="203.0.113.9")
    assert Comment.objects.get().ip_address == "203.0.113.9"


def test_reply_page_quotes_the_parent_and_posts_reply_to(client, post, discussion):
    parent = make_comment(post, comment="The parent words")
    response = client.get(f"/comments/reply/{parent.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The parent words" in html
    assert f'name="reply_to" value="{parent.pk}"' in html
    assert "csrfmiddlewaretoken" not in html


def test_reply_page_of_a_held_comment_is_404(client, post):
    assert client.get(f"/comments/reply/{make_comment(post, status=Status.WAITING).pk}/").status_code == 404


def test_report_without_javascript_is_a_page_and_a_post(client, post, discussion):
    comment = make_comment(post)
    page = client.get(f"/comments/report/{comment.pk}/")
    assert page.status_code == 200
    token = BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "token"})["value"]
    response = client.post(f"/comments/report/{comment.pk}/", {"token": token})
    assert response.status_code == 200
    comment.moderation.refresh_from_db()
    assert comment.moderation.report_count == 1


def test_report_from_the_script_answers_json(client, post, discussion):
    comment = make_comment(post)
    token = client.get(f"/comments/report/{comment.pk}/token/").json()["token"]
    url = f"/comments/report/{comment.pk}/"
    response = client.post(url, {"token": token}, HTTP_ACCEPT="application/json")
    assert response.json()["message"].startswith("Thank you")


def test_report_of_a_hidden_comment_is_404(client, post):
    assert client.post(f"/comments/report/{make_comment(post, status=Status.SPAM).pk}/").status_code == 404


def test_xtd_api_is_not_mounted(client, post):
    assert client.post("/comments/api/comment/", {}).status_code == 404


def test_a_body_far_larger_than_a_comment_is_refused_before_reading(client, post, discussion):
    response = client.post(URL, {**form_data(post), "blob": "x" * 200_000})
    assert response.status_code == 413
    assert not Comment.objects.exists()
