"""Emailed links: django-comments-xtd's never-expiring signed-pickle links are not reachable, and
ours (comments/tokens.py, expiring django.core.signing JSON) carry no comment, so replaying one
never brings back a deleted or erased comment, and an expired one is refused."""

import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import URLPattern, URLResolver, get_resolver
from django_comments_xtd import signed
from django_comments_xtd.conf import settings as xtd_settings
from django_comments_xtd.models import TmpXtdComment

from comments import tokens
from comments.forms import CommentForm
from comments.models import Comment, Subscriber
from comments.personal_data import erase_commenter
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
URL = "/comments/post/"


def mounted_views(patterns=None, prefix="") -> dict[str, str]:
    """Every view in the URLconf, as "module.name" by route."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= mounted_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            callback = pattern.callback
            view = getattr(callback, "view_class", None) or getattr(callback, "__wrapped__", callback)
            found[prefix + str(pattern.pattern)] = f"{view.__module__}.{getattr(view, '__name__', view)}"
    return found


def test_no_view_of_django_comments_or_xtd_is_mounted():
    """xtd's confirm view re-creates a comment from a signed pickle; django_comments' post view
    would be a second way in that skips our rules. Neither may be reachable."""
    views = mounted_views()
    assert views, "the URLconf was walked"
    foreign = {
        route: view
        for route, view in views.items()
        if view.startswith(("django_comments", "django_comments_xtd"))
    }
    assert foreign == {}


def xtd_confirmation_key(post) -> str:
    """A link as django-comments-xtd would email it: its signed pickle of the unsaved comment."""
    form = CommentForm(post, data=form_data(post, comment="Resurrect me", email="pat@example.org"))
    assert form.is_valid(), form.errors
    data = form.get_comment_create_data(site_id=settings.SITE_ID)
    return signed.dumps(TmpXtdComment(data), compress=True, extra_key=xtd_settings.COMMENTS_XTD_SALT)


def test_an_xtd_confirmation_link_creates_nothing(client, post):
    key = xtd_confirmation_key(post)
    response = client.get(f"/comments/confirm/{key}/")
    assert response.status_code in (400, 404)
    client.post(f"/comments/confirm/{key}/")
    assert not Comment.objects.exists()
    assert not Subscriber.objects.exists()


def emailed_confirm_path(client, post, discussion, capture) -> str:
    with capture(execute=True):
        client.post(
            URL, form_data(post, comment="Tell me about replies", email="pat@example.org", followup="on")
        )
    [message] = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    link = next(line for line in message.body.splitlines() if "/comments/confirm/" in line)
    return link.strip().removeprefix(settings.BASE_URL)


def test_our_confirmation_token_is_json_not_pickle(
    client, post, discussion, django_capture_on_commit_callbacks
):
    path = emailed_confirm_path(client, post, discussion, django_capture_on_commit_callbacks)
    token = path.split("/")[-2]
    assert tokens.read("confirm", token) == {"e": "pat@example.org"}


def test_a_replayed_link_never_brings_back_a_deleted_comment(
    client, post, discussion, django_capture_on_commit_callbacks
):
    path = emailed_confirm_path(client, post, discussion, django_capture_on_commit_callbacks)
    Comment.objects.all().delete()
    for _ in range(2):
        assert client.post(path).status_code == 400
        assert client.get(path).status_code == 400
    assert not Subscriber.objects.exists()


def test_a_replayed_link_never_brings_back_an_erased_comment(
    client, post, discussion, django_capture_on_commit_callbacks
):
    path = emailed_confirm_path(client, post, discussion, django_capture_on_commit_callbacks)
    erase_commenter("pat@example.org")
    response = client.post(path)
    assert response.status_code == 400
    assert "not valid or has expired" in response.text
    assert Comment.objects.get().user_email == ""  # the erased comment keeps no address


def test_a_replayed_link_after_erasure_does_not_store_the_email_again(
    client, post, discussion, django_capture_on_commit_callbacks
):
    path = emailed_confirm_path(client, post, discussion, django_capture_on_commit_callbacks)
    erase_commenter("pat@example.org")
    client.post(path)
    assert not Subscriber.objects.filter(email="pat@example.org").exists()


def test_an_expired_confirmation_link_is_refused(client, post, monkeypatch):
    issued = time.time() - settings.COMMENTS_CONFIRM_MAX_AGE - 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = tokens.sign("confirm", {"e": "pat@example.org"})
    monkeypatch.undo()
    response = client.post(f"/comments/confirm/{token}/")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_a_token_of_another_kind_is_refused(client):
    token = tokens.sign("unsubscribe", {"e": "pat@example.org", "t": 1})
    assert client.post(f"/comments/confirm/{token}/").status_code == 400
    assert not Subscriber.objects.exists()


def test_a_forged_token_is_refused(client):
    token = tokens.sign("confirm", {"e": "pat@example.org"})
    assert client.post(f"/comments/confirm/{token[:-2]}xx/").status_code == 400


def test_the_posted_page_of_a_deleted_comment_is_404(client, post, discussion):
    response = client.post(URL, form_data(post))
    Comment.objects.all().delete()
    assert client.get(response["Location"]).status_code == 404


def test_an_expired_unsubscribe_link_is_refused(client, post, monkeypatch):
    comment = make_comment(post, user_email="pat@example.org", followup=True)
    issued = time.time() - 366 * 24 * 60 * 60
    monkeypatch.setattr(signing.time, "time", lambda: issued)
    token = tokens.sign("unsubscribe", {"e": "pat@example.org", "t": comment.thread_id})
    monkeypatch.undo()
    assert client.post(f"/comments/unsubscribe/{token}/").status_code == 400
    comment.refresh_from_db()
    assert comment.followup
