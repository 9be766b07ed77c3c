"""Reports cannot be forged or used to silence: a report needs the report page's token (for that
comment and that reader), another site's POST is refused, one report per reader (an address, an
IPv6 /64, or the shared unknown bucket), and staff and author comments are flagged, never hidden."""

import time

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from comments import moderation
from comments.models import CommentReport, Moderation, Reason, Role, Status
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
READER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _direct_peers(settings):
    settings.TRUSTED_PROXIES = []


def report_url(comment) -> str:
    return f"/comments/report/{comment.pk}/"


def token_from_page(client, comment, address=READER) -> str:
    page = client.get(report_url(comment), REMOTE_ADDR=address)
    return BeautifulSoup(page.content, "html.parser").find("input", attrs={"name": "token"})["value"]


def report_as(client, comment, address=READER, **headers):
    """What the report page's form sends, from `address`."""
    token = token_from_page(client, comment, address)
    return client.post(report_url(comment), {"token": token}, REMOTE_ADDR=address, **headers)


def reports(comment) -> int:
    return Moderation.objects.get(pk=comment.pk).report_count


# Forged reports


def test_a_bare_post_is_refused_with_a_400_page_that_offers_the_form(client, post, discussion):
    comment = make_comment(post)
    response = client.post(report_url(comment), REMOTE_ADDR=READER)
    assert response.status_code == 400
    html = BeautifulSoup(response.content, "html.parser")
    assert html.find(attrs={"role": "alert"}) is not None
    assert html.find("input", attrs={"name": "token"})["value"]
    assert reports(comment) == 0


def test_a_bare_post_from_the_script_is_a_400_json_answer(client, post, discussion):
    comment = make_comment(post)
    response = client.post(report_url(comment), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "error" in response.json()
    assert reports(comment) == 0


def test_a_post_from_another_site_is_refused_even_with_a_valid_token(client, post, discussion):
    comment = make_comment(post)
    response = report_as(client, comment, HTTP_ORIGIN="https://attacker.example")
    assert response.status_code == 400
    assert reports(comment) == 0


def test_a_post_the_browser_marks_cross_site_is_refused(client, post, discussion):
    comment = make_comment(post)
    assert report_as(client, comment, HTTP_SEC_FETCH_SITE="cross-site").status_code == 400
    assert reports(comment) == 0


def test_a_post_from_our_own_page_is_accepted(client, post, discussion):
    comment = make_comment(post)
    response = report_as(client, comment, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200
    assert reports(comment) == 1


def test_a_token_fetched_by_someone_else_is_refused(client, post, discussion):
    """A hostile page cannot hand its visitors a token its own server fetched: the token names
    the reader it was made for."""
    comment = make_comment(post)
    token = token_from_page(client, comment, address="203.0.113.66")
    response = client.post(report_url(comment), {"token": token}, REMOTE_ADDR=READER)
    assert response.status_code == 400
    assert reports(comment) == 0


def test_a_token_for_another_comment_is_refused(client, post, discussion):
    one, other = make_comment(post), make_comment(post)
    token = token_from_page(client, other)
    assert client.post(report_url(one), {"token": token}, REMOTE_ADDR=READER).status_code == 400
    assert reports(one) == reports(other) == 0


def test_an_expired_token_is_refused(client, post, discussion, monkeypatch):
    comment = make_comment(post)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 3 * 60 * 60)
    token = token_from_page(client, comment)
    monkeypatch.setattr(time, "time", lambda: now)
    assert client.post(report_url(comment), {"token": token}, REMOTE_ADDR=READER).status_code == 400
    assert reports(comment) == 0


@pytest.mark.parametrize("junk", ["", "x", "a:b:c", "%00", "é" * 50, "A" * 10_000])
def test_a_junk_token_is_a_400_never_a_500(client, post, discussion, junk):
    comment = make_comment(post)
    assert client.post(report_url(comment), {"token": junk}, REMOTE_ADDR=READER).status_code == 400


def test_the_report_page_sets_no_cookie_for_anonymous_readers(post, discussion):
    comment = make_comment(post)
    response = Client(enforce_csrf_checks=True).get(report_url(comment), REMOTE_ADDR=READER)
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_token_endpoint_answers_json_and_is_not_cached(client, post, discussion):
    comment = make_comment(post)
    response = client.get(f"{report_url(comment)}token/")
    assert response.json()["token"]
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_a_logged_in_report_still_needs_the_csrf_token(post, discussion, admin_user):
    comment = make_comment(post)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    token = token_from_page(browser, comment)
    assert browser.post(report_url(comment), {"token": token}, REMOTE_ADDR=READER).status_code == 403
    assert reports(comment) == 0


# One report per reader


def test_one_address_reporting_twice_counts_once(client, post, discussion):
    comment = make_comment(post)
    report_as(client, comment)
    report_as(client, comment)
    assert reports(comment) == 1


def test_addresses_in_one_ipv6_64_count_as_one_reader(client, post, discussion):
    comment = make_comment(post)
    report_as(client, comment, address="2001:db8:1:2::1")
    report_as(client, comment, address="2001:db8:1:2:ffff:ffff:ffff:fffe")
    assert reports(comment) == 1
    report_as(client, comment, address="2001:db8:1:3::1")
    assert reports(comment) == 2


def test_readers_without_an_address_share_one_report(client, post, discussion):
    """Behind a Unix-socket proxy that is not in TRUSTED_PROXIES, REMOTE_ADDR is empty: those
    readers are one bucket, never skipped by the one-report rule."""
    comment = make_comment(post)
    report_as(client, comment, address="")
    report_as(client, comment, address="")
    assert reports(comment) == 1
    assert CommentReport.objects.get().reader == "unknown"


def test_two_readers_without_an_address_cannot_hide_a_comment(client, post, discussion):
    discussion.reports_to_requeue = 2
    discussion.save()
    comment = make_comment(post)
    report_as(client, comment, address="")
    report_as(client, comment, address="not-an-address")
    assert Moderation.objects.get(pk=comment.pk).status == Status.PUBLISHED


def test_the_one_report_rule_holds_in_the_database(post):
    """Two requests racing past each other still store one report per reader."""
    comment = make_comment(post)
    assert moderation.report(comment.moderation, "203.0.113.5", 5) is True
    assert moderation.report(Moderation.objects.get(pk=comment.pk), "203.0.113.5", 5) is False
    assert CommentReport.objects.filter(comment_id=comment.pk).count() == 1


# Staff and author comments


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUTHOR])
def test_staff_and_author_comments_are_never_hidden_by_reports(post, role):
    comment = make_comment(post, role=role)
    for n in range(5):
        moderation.report(Moderation.objects.get(pk=comment.pk), f"203.0.113.{n}", 2)
    row = Moderation.objects.get(pk=comment.pk)
    comment.refresh_from_db()
    assert (row.status, comment.is_public) == (Status.PUBLISHED, True)
    assert row.report_count == 5


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUTHOR])
def test_reports_on_staff_and_author_comments_raise_a_flag_in_the_queue_once(post, role):
    comment = make_comment(post, role=role)
    for n in range(4):
        moderation.report(Moderation.objects.get(pk=comment.pk), f"203.0.113.{n}", 2)
    row = Moderation.objects.get(pk=comment.pk)
    assert [r["code"] for r in row.reasons] == [Reason.REPORTED_KEPT]
    assert "still published" in row.reason_list()[0]
    assert Moderation.objects.with_status("reported").filter(pk=comment.pk).exists()


def test_a_reader_comment_still_returns_to_the_queue_at_the_threshold(post):
    comment = make_comment(post)
    for n in range(2):
        moderation.report(Moderation.objects.get(pk=comment.pk), f"203.0.113.{n}", 2)
    assert Moderation.objects.get(pk=comment.pk).status == Status.WAITING


def test_a_post_from_the_public_address_behind_a_proxy_that_rewrites_host_is_accepted(
    client, post, discussion, settings
):
    settings.BASE_URL = "https://blog.example-hospital.org"
    comment = make_comment(post)
    response = report_as(client, comment, HTTP_ORIGIN="https://blog.example-hospital.org")
    assert response.status_code == 200
    assert reports(comment) == 1
