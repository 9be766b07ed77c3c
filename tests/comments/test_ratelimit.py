"""Comment rate limits: per address and per email, counted from stored rows, answered with a 429
that keeps the reader's text and says when to send it again."""

import datetime
import runpy
from pathlib import Path

import pytest
from django.utils import timezone

from comments.models import Comment, Status
from comments.ratelimit import Limit, retry_after
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment, prove_email
from tests.helpers import comment_form_fields

pytestmark = pytest.mark.django_db
URL = "/comments/post/"
READER = "198.51.100.7"
BASE_SETTINGS = Path(__file__).resolve().parents[2] / "rounds" / "settings" / "base.py"


@pytest.fixture(autouse=True)
def _default_limits(settings):
    settings.COMMENT_RATE_LIMITS = [(1, 15), (10, 60 * 60)]
    settings.TRUSTED_PROXIES = []


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def post_as(client, post, address=READER, **fields):
    return client.post(URL, form_data(post, **fields), REMOTE_ADDR=address)


def test_a_first_comment_is_accepted(client, post, discussion):
    assert post_as(client, post, comment="First words").status_code == 302


def test_a_second_comment_within_fifteen_seconds_is_a_429(client, post, discussion):
    post_as(client, post, comment="First words")
    response = post_as(client, post, comment="Second words")
    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_the_429_keeps_everything_the_reader_typed(client, post, discussion):
    post_as(client, post, comment="First words")
    response = post_as(client, post, comment="My second thought", name="Pat", email="pat@example.org")
    html = response.content.decode()
    assert "My second thought</textarea>" in html
    assert 'value="Pat"' in html
    assert 'value="pat@example.org"' in html


def test_the_429_of_a_reply_keeps_reply_to(client, post, discussion):
    parent = make_comment(post)
    post_as(client, post, comment="First words")
    response = post_as(client, post, comment="A reply", reply_to=str(parent.pk))
    assert response.status_code == 429
    assert f'name="reply_to" value="{parent.pk}"' in response.content.decode()


def test_the_429_says_when_to_send_again_in_seconds(client, post, discussion):
    make_comment(post, ip_address=READER, submit_date=ago(5))
    response = post_as(client, post)
    assert 9 <= int(response["Retry-After"]) <= 10
    assert f"send it again in {response['Retry-After']} seconds" in response.content.decode()


def test_the_429_says_when_to_send_again_in_minutes_after_ten_in_an_hour(client, post, discussion):
    for minutes in range(50, 10, -4):  # ten comments, the oldest 50 minutes ago
        make_comment(post, ip_address=READER, submit_date=ago(minutes * 60))
    response = post_as(client, post)
    assert response.status_code == 429
    assert 9 * 60 <= int(response["Retry-After"]) <= 10 * 60
    assert "send it again in about 10 minutes" in response.content.decode()


def test_the_429_form_can_be_sent_again_once_the_wait_is_over(client, post, discussion):
    post_as(client, post, comment="First words")
    limited = post_as(client, post, comment="Second words", name="Pat")
    Comment.objects.update(submit_date=ago(20))  # the wait passes
    response = client.post(URL, comment_form_fields(limited.content.decode()), REMOTE_ADDR=READER)
    assert response.status_code == 302
    assert Comment.objects.filter(comment="Second words", user_name="Pat").exists()


def test_a_comment_after_the_short_window_is_accepted(client, post, discussion):
    make_comment(post, ip_address=READER, submit_date=ago(16))
    assert post_as(client, post).status_code == 302


def test_comments_stored_by_another_app_server_count(client, post, discussion):
    """Rows are the counter: a comment inserted by any process sharing the database counts."""
    Comment.objects.filter(pk=make_comment(post, ip_address=READER).pk).update(submit_date=ago(3))
    assert post_as(client, post).status_code == 429


def test_spam_and_rejected_comments_count_too(client, post, discussion):
    make_comment(post, status=Status.SPAM, ip_address=READER, submit_date=ago(2))
    assert post_as(client, post).status_code == 429


def test_another_address_is_not_limited_by_this_one(client, post, discussion):
    make_comment(post, ip_address=READER, submit_date=ago(2))
    assert post_as(client, post, address="203.0.113.50").status_code == 302


def test_the_same_proven_email_from_another_address_is_limited(client, post, discussion):
    make_comment(
        post, ip_address="203.0.113.50", user_email="pat@example.org", submit_date=ago(2), email_proven=True
    )
    prove_email(client, "pat@example.org")
    response = post_as(client, post, email="Pat@Example.org")
    assert response.status_code == 429


def test_typing_someone_elses_email_never_uses_up_their_limit(client, post, discussion):
    """Comments posted under Pat's address without Pat's proof are not Pat's: they count for the
    address that sent them, never against Pat."""
    for n in range(10):
        make_comment(
            post, ip_address=f"203.0.113.{n + 1}", user_email="pat@example.org", submit_date=ago(5 + n)
        )
    prove_email(client, "pat@example.org")
    assert post_as(client, post, email="pat@example.org").status_code == 302


def test_an_unproven_email_is_not_counted_only_the_address(client, post, discussion):
    make_comment(
        post, ip_address="203.0.113.50", user_email="pat@example.org", submit_date=ago(2), email_proven=True
    )
    assert post_as(client, post, email="pat@example.org").status_code == 302


def test_a_comment_posted_with_proof_is_stored_as_proven(client, post, discussion):
    prove_email(client, "pat@example.org")
    post_as(client, post, email="pat@example.org")
    assert Comment.objects.get().moderation.email_proven is True


def test_a_new_email_from_a_limited_address_is_still_limited(client, post, discussion):
    make_comment(post, ip_address=READER, user_email="pat@example.org", submit_date=ago(2))
    assert post_as(client, post, email="someone.else@example.org").status_code == 429


@pytest.mark.parametrize(
    "spoofed", ["203.0.113.99", "10.0.0.1", "127.0.0.1", "203.0.113.99, 10.0.0.1", "junk"]
)
def test_a_spoofed_forwarded_for_never_moves_a_reader_out_of_the_limit(client, post, discussion, spoofed):
    post_as(client, post, comment="First words")
    response = client.post(
        URL, form_data(post, comment="Second words"), REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=spoofed
    )
    assert response.status_code == 429


@pytest.mark.parametrize("spoofed", ["203.0.113.99", "10.0.0.1", "203.0.113.99, 10.0.0.9"])
def test_a_spoofed_forwarded_for_through_our_proxy_is_still_limited(
    client, post, discussion, settings, spoofed
):
    """Through a trusted proxy, the reader's own header only adds hops left of the address the
    proxy saw, and those are never read."""
    settings.TRUSTED_PROXIES = ["10.0.0.5/32"]
    make_comment(post, ip_address=READER, submit_date=ago(2))
    response = client.post(
        URL, form_data(post), REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"{spoofed}, {READER}"
    )
    assert response.status_code == 429


def test_staff_are_not_limited(client, post, discussion, admin_user):
    client.force_login(admin_user)
    post_as(client, post, comment="First answer")
    assert post_as(client, post, comment="Second answer").status_code == 302
    assert Comment.objects.count() == 2


def test_sending_the_same_comment_again_is_not_a_429(client, post, discussion):
    """A double click re-sends the same form: it finds the stored comment, not the limit."""
    data = form_data(post, comment="Only once", email="once@example.org")
    client.post(URL, data, REMOTE_ADDR=READER)
    assert client.post(URL, data, REMOTE_ADDR=READER).status_code == 302
    assert Comment.objects.count() == 1


def test_no_limits_configured_means_no_limit(client, post, discussion, settings):
    settings.COMMENT_RATE_LIMITS = []
    post_as(client, post, comment="First words")
    assert post_as(client, post, comment="Second words").status_code == 302


@pytest.mark.parametrize(("value", "limits"), [("0", []), ("1", [(1, 15), (10, 3600)])])
def test_comment_rate_limit_environment_variable_switches_the_limits(monkeypatch, value, limits):
    monkeypatch.setenv("COMMENT_RATE_LIMIT", value)
    assert runpy.run_path(str(BASE_SETTINGS))["COMMENT_RATE_LIMITS"] == limits


def test_limits_are_on_by_default(monkeypatch):
    monkeypatch.delenv("COMMENT_RATE_LIMIT", raising=False)
    assert runpy.run_path(str(BASE_SETTINGS))["COMMENT_RATE_LIMITS"] == [(1, 15), (10, 3600)]


def test_retry_after_waits_for_the_oldest_comment_in_a_full_window(post):
    now = timezone.now()
    for seconds in (100, 200, 300):
        make_comment(post, ip_address=READER, submit_date=now - datetime.timedelta(seconds=seconds))
    assert retry_after(reader=READER, limits=[Limit(3, 600)], now=now) == 300
    assert retry_after(reader=READER, limits=[Limit(4, 600)], now=now) == 0


def test_retry_after_ignores_an_empty_address_and_email(post):
    make_comment(post, ip_address=None, user_email="", submit_date=ago(1))
    assert retry_after(reader="", email="", limits=[Limit(1, 60)]) == 0


# Who one reader is (core.http.reader_key): no address is one shared bucket, an IPv6 /64 is one reader.


def test_readers_without_an_address_share_one_limit(client, post, discussion):
    """Behind a Unix-socket proxy not named in TRUSTED_PROXIES, REMOTE_ADDR is empty: never unlimited."""
    assert post_as(client, post, address="", comment="First words").status_code == 302
    assert post_as(client, post, address="", comment="Second words").status_code == 429


def test_an_ipv6_64_is_one_reader_for_the_limit(client, post, discussion):
    assert post_as(client, post, address="2001:db8:1:2::1", comment="First words").status_code == 302
    assert post_as(client, post, address="2001:db8:1:2::99", comment="Second words").status_code == 429
    assert post_as(client, post, address="2001:db8:1:3::1", comment="Third words").status_code == 302


def test_behind_a_unix_socket_proxy_readers_are_told_apart(client, post, discussion, settings):
    settings.TRUSTED_PROXIES = ["unix:"]

    def post_from(reader: str, text: str):
        return client.post(URL, form_data(post, comment=text), REMOTE_ADDR="", HTTP_X_FORWARDED_FOR=reader)

    assert post_from("203.0.113.1", "First words").status_code == 302
    assert post_from("203.0.113.2", "Other reader").status_code == 302
    assert post_from("203.0.113.1", "Second words").status_code == 429
