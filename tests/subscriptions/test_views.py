"""Subscribing from the footer form, double opt-in, preferences, one-click unsubscribe, and the
bad input each of them refuses (a form error or a 4xx, nothing stored, nothing sent)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from subscriptions import tokens
from subscriptions.models import Subscriber, SubscribeRequest
from tests.factories import BlogPageFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db
URL = "/subscribe/"


def footer_fields(client, site) -> dict[str, str]:
    """The footer form's fields as a reader's browser would send them (from the cached home page)."""
    html = client.get("/").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("footer form.subscribe-form")
    assert form is not None and form["action"] == URL
    return {field["name"]: field.get("value", "") for field in form.find_all("input")}


def subscribe(client, site, after_commit, email="pat@example.org", **extra):
    fields = footer_fields(client, site) | {"email": email} | extra
    with after_commit():
        return client.post(URL, fields, **{"HTTP_SEC_FETCH_SITE": "same-origin"})


def confirm_link(message) -> str:
    return next(word for word in message.body.split() if "/subscribe/confirm/" in word)


def test_the_footer_form_carries_no_per_reader_token(client, site):
    first = client.get("/")
    fields = footer_fields(client, site)
    assert "csrfmiddlewaretoken" not in fields
    assert "Set-Cookie" not in first.headers or "csrftoken" not in first.headers["Set-Cookie"]


def test_the_form_sits_under_each_post_too(client, site):
    _home, index = site
    post = BlogPageFactory(parent=index)
    html = client.get(post.url).content.decode()
    forms = BeautifulSoup(html, "html.parser").select("form.subscribe-form")
    assert len(forms) == 2  # under the post and in the footer, with distinct ids
    ids = [element["id"] for element in BeautifulSoup(html, "html.parser").select("[id]")]
    assert len(ids) == len(set(ids))


def test_subscribing_sends_one_confirmation_and_only_post_confirms(client, site, after_commit, mailoutbox):
    response = subscribe(client, site, after_commit, name="Pat")
    assert response.status_code == 200 and b"Check your email" in response.content
    subscriber = Subscriber.objects.get(email="pat@example.org")
    assert subscriber.status == Subscriber.Status.PENDING and subscriber.name == "Pat"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    link = confirm_link(message).removeprefix("http://127.0.0.1:8000")
    page = client.get(link)  # a mail gateway scanning the link
    assert page.status_code == 200 and b"<button" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_an_address_already_subscribed_gets_the_same_answer_and_no_email(
    client, site, after_commit, mailoutbox
):
    SubscriberFactory(email="known@example.org")
    new = subscribe(client, site, after_commit, email="new@example.org")
    known = subscribe(client, site, after_commit, email="known@example.org")
    assert known.status_code == new.status_code == 200
    assert known.content.replace(b"known", b"new") == new.content.replace(b"known", b"new") or (
        b"Check your email" in known.content
    )
    assert [m.to for m in mailoutbox] == [["new@example.org"]]


def test_at_most_one_confirmation_email_a_day(client, site, after_commit, mailoutbox, settings):
    settings.SUBSCRIBE_RATE_LIMITS = []
    subscribe(client, site, after_commit)
    subscribe(client, site, after_commit)
    assert len(mailoutbox) == 1
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    subscribe(client, site, after_commit)
    assert len(mailoutbox) == 2


def test_an_unconfirmed_address_is_forgotten_after_seven_days(client, site, after_commit):
    subscribe(client, site, after_commit)
    Subscriber.objects.update(created_at=timezone.now() - datetime.timedelta(days=8))
    SubscriberFactory(created_at=timezone.now() - datetime.timedelta(days=30))  # confirmed: kept
    assert Subscriber.forget_unconfirmed() == 1
    assert not Subscriber.objects.filter(email="pat@example.org").exists()
    assert Subscriber.objects.count() == 1


def test_too_many_requests_from_one_reader_are_a_429(client, site, after_commit, mailoutbox, settings):
    settings.SUBSCRIBE_RATE_LIMITS = [(2, 3600)]
    for n in range(2):
        assert subscribe(client, site, after_commit, email=f"r{n}@example.org").status_code == 200
    limited = subscribe(client, site, after_commit, email="r9@example.org")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert not Subscriber.objects.filter(email="r9@example.org").exists()
    assert len(mailoutbox) == 2


def test_the_same_address_from_many_readers_is_limited_too(client, site, after_commit, settings):
    settings.SUBSCRIBE_RATE_LIMITS = [(2, 3600)]
    for n in range(2):
        subscribe(client, site, after_commit, REMOTE_ADDR=f"203.0.113.{n}")
    fields = footer_fields(client, site) | {"email": "pat@example.org"}
    assert client.post(URL, fields, REMOTE_ADDR="203.0.113.77").status_code == 429


@pytest.mark.parametrize(
    "email",
    [
        "not-an-address",
        "a" * 250 + "@example.org",
        "pat@example.org\r\nBcc: victim@example.org",
        "pat@example.org\n",
        "pat@bücher.example",
        "pät@example.org",
        "",
    ],
)
def test_bad_addresses_are_a_form_error_with_nothing_stored_or_sent(
    client, site, after_commit, mailoutbox, email
):
    response = subscribe(client, site, after_commit, email=email)
    assert response.status_code == 400
    assert b"subscribe-form__error" in response.content
    assert not Subscriber.objects.exists() and not SubscribeRequest.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    "change",
    [
        {"stamp": ""},  # a bare POST: no signed timestamp
        {"stamp": "subscribe:forged:forged"},
        {"website": "http://spam.example"},  # the honeypot
    ],
)
def test_a_post_without_the_pages_stamp_or_with_the_honeypot_is_refused(
    client, site, after_commit, mailoutbox, change
):
    assert subscribe(client, site, after_commit, **change).status_code == 400
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_an_expired_stamp_is_refused(client, site, after_commit, settings, mailoutbox):
    fields = footer_fields(client, site) | {"email": "pat@example.org"}
    settings.COMMENTS_TIMEOUT = -1
    with after_commit():
        assert client.post(URL, fields).status_code == 400
    assert not Subscriber.objects.exists() and mailoutbox == []


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "https://evil.example"}],
)
def test_a_subscribe_post_from_another_site_is_refused(client, site, after_commit, mailoutbox, headers):
    fields = footer_fields(client, site) | {"email": "pat@example.org"}
    with after_commit():
        response = client.post(URL, fields, **headers)
    assert response.status_code == 400
    assert not Subscriber.objects.exists() and mailoutbox == []


def test_a_logged_in_post_without_csrf_is_refused(site, after_commit, django_user_model):
    client = Client(enforce_csrf_checks=True)
    user = django_user_model.objects.create_user("editor", password="x")
    client.force_login(user)
    fields = footer_fields(client, site) | {"email": "pat@example.org"}
    csrf_client_response = client.post(URL, {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"})
    assert csrf_client_response.status_code in (400, 403)
    assert not Subscriber.objects.exists()


def test_get_on_the_subscribe_address_is_not_allowed(client, site):
    assert client.get(URL).status_code == 405


@pytest.mark.parametrize("kind", ["confirm", "preferences", "unsubscribe"])
def test_forged_expired_and_other_kind_links_are_a_400(client, site, kind):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    other_kind = "preferences" if kind != "preferences" else "confirm"
    for token in ("forged", tokens.sign(other_kind, subscriber)):
        assert client.get(f"/subscribe/{kind}/{token}/").status_code == 400
    expired = signing.dumps(
        {"s": subscriber.pk, "d": tokens.address_digest(subscriber.email)},
        salt=f"rounds.subscriptions.{kind}",
    )
    future = timezone.now() + datetime.timedelta(days=400)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: future.timestamp())
        assert client.post(f"/subscribe/{kind}/{expired}/").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_another_readers_link_acts_for_nobody(client, site):
    mine = SubscriberFactory(status=Subscriber.Status.PENDING)
    theirs = SubscriberFactory(status=Subscriber.Status.PENDING)
    # A link naming their row with my address's digest (or the reverse) is refused.
    forged = signing.dumps(
        {"s": theirs.pk, "d": tokens.address_digest(mine.email)}, salt="rounds.subscriptions.confirm"
    )
    assert client.post(f"/subscribe/confirm/{forged}/").status_code == 400
    theirs.refresh_from_db()
    assert theirs.status == Subscriber.Status.PENDING


def test_one_click_unsubscribe_works_without_any_page(client, site):
    subscriber = SubscriberFactory()
    link = reverse("subscriptions:unsubscribe", args=[tokens.sign("unsubscribe", subscriber)])
    page = client.get(link)
    assert page.status_code == 200 and b"<button" in page.content
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    response = client.post(
        link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_preferences_change_the_frequency(client, site):
    subscriber = SubscriberFactory()
    link = reverse("subscriptions:preferences", args=[tokens.sign("preferences", subscriber)])
    assert client.get(link).status_code == 200
    assert client.post(link, {"frequency": "weekly"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
    assert client.post(link, {"frequency": "hourly"}).status_code == 400
    assert client.post(link, {"frequency": "immediate"}, HTTP_SEC_FETCH_SITE="cross-site").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.frequency == Subscriber.Frequency.WEEKLY
