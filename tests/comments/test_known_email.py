"""A known email needs proof ("publish unless held" mode): typing an address that has had a
comment approved proves nothing; a signed cookie, set when the reader confirms the address through
the emailed link or opens the "posted" page of their approved comment, does."""

import re

import pytest
from django.core import mail
from django.core.signing import get_cookie_signer

from comments import moderation, rules, tokens
from comments.models import Comment, Discussion, Status, Subscriber
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment, prove_email

pytestmark = [pytest.mark.django_db, pytest.mark.no_rate_limits]
URL = "/comments/post/"
PAT = "pat@example.org"


@pytest.fixture
def rules_mode(discussion):
    discussion.mode = Discussion.Mode.RULES
    discussion.save()
    return discussion


@pytest.fixture
def pat_is_known(post):
    """Pat has had a comment approved before, and confirmed the address for reply emails."""
    Subscriber.confirm(PAT)
    return make_comment(post, user_email=PAT)


def post_as_pat(client, post, **fields) -> Comment:
    client.post(URL, form_data(post, email=PAT, **fields))
    return Comment.objects.latest("pk")


def test_typing_a_known_email_without_proof_is_held_as_a_first_comment(
    client, post, rules_mode, pat_is_known
):
    comment = post_as_pat(client, post)
    assert comment.moderation.status == Status.WAITING
    assert "first_time" in [reason["code"] for reason in comment.moderation.reasons]


def test_a_known_email_with_proof_is_published(client, post, rules_mode, pat_is_known):
    prove_email(client, PAT)
    comment = post_as_pat(client, post)
    assert comment.moderation.reasons == []
    assert comment.moderation.status == Status.PUBLISHED


def test_proof_of_another_email_proves_nothing(client, post, rules_mode, pat_is_known):
    prove_email(client, "someone.else@example.org")
    assert post_as_pat(client, post).moderation.status == Status.WAITING


def test_proof_without_an_approved_comment_is_still_a_first_comment(client, post, rules_mode):
    prove_email(client, PAT)
    assert post_as_pat(client, post).moderation.status == Status.WAITING


def test_a_forged_proof_cookie_proves_nothing(client, post, rules_mode, pat_is_known):
    prove_email(client, PAT)
    value = client.cookies[rules.PROOF_COOKIE].value
    client.cookies[rules.PROOF_COOKIE] = value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")
    assert post_as_pat(client, post).moderation.status == Status.WAITING


def test_a_cookie_signed_for_something_else_proves_nothing(client, post, rules_mode, pat_is_known):
    digest = rules._email_digest(PAT)
    client.cookies[rules.PROOF_COOKIE] = get_cookie_signer(salt=rules.PROOF_COOKIE + "other").sign(digest)
    assert post_as_pat(client, post).moderation.status == Status.WAITING


def confirm_path(message) -> str:
    return re.search(r"/comments/confirm/[^\s]+/", message.body).group(0)


def test_confirming_the_email_through_the_link_gives_proof(
    client, post, rules_mode, django_capture_on_commit_callbacks
):
    make_comment(post, user_email=PAT)  # approved before, never confirmed
    with django_capture_on_commit_callbacks(execute=True):
        held = post_as_pat(client, post, followup="on")
    assert held.moderation.status == Status.WAITING
    link = confirm_path(next(m for m in mail.outbox if m.to == [PAT]))
    response = client.post(link)
    assert rules.PROOF_COOKIE in response.cookies
    assert post_as_pat(client, post, comment="Second thought").moderation.status == Status.PUBLISHED


def test_opening_the_confirmation_link_without_pressing_confirm_gives_no_proof(
    client, post, rules_mode, pat_is_known
):
    token = tokens.sign("confirm", {"e": PAT})
    response = client.get(f"/comments/confirm/{token}/")
    assert rules.PROOF_COOKIE not in response.cookies


def test_the_posted_page_of_an_approved_comment_gives_proof(client, post, rules_mode, admin_user):
    posted = client.post(URL, form_data(post, email=PAT))["Location"]
    held = Comment.objects.latest("pk")
    moderation.approve(held.moderation, admin_user)
    response = client.get(posted)
    assert response.status_code == 302
    assert rules.PROOF_COOKIE in response.cookies
    assert post_as_pat(client, post, comment="Next time").moderation.status == Status.PUBLISHED


def test_the_posted_page_of_a_held_comment_gives_no_proof(client, post, rules_mode, pat_is_known):
    held = post_as_pat(client, post)
    response = client.get(f"/comments/posted/{tokens.sign('posted', {'c': held.pk})}/")
    assert response.status_code == 200
    assert rules.PROOF_COOKIE not in response.cookies


def test_an_exact_copy_of_someone_elses_comment_gives_no_proof_of_their_email(
    client, post, rules_mode, pat_is_known
):
    """Same post, name, email and text, the same day: xtd finds Pat's comment as a duplicate."""
    original = pat_is_known
    original.ip_address = "192.0.2.10"
    original.save(update_fields=["ip_address"])
    copy = form_data(post, email=PAT, name=original.user_name, comment=original.comment)
    response = client.post(URL, copy, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302
    assert Comment.objects.latest("pk") == original  # the duplicate was found, nothing stored
    opened = client.get(response["Location"], REMOTE_ADDR="198.51.100.7")
    assert rules.PROOF_COOKIE not in opened.cookies
    assert rules.PROOF_COOKIE not in client.cookies


def test_the_writer_sending_their_comment_twice_still_gets_proof(client, post, rules_mode, admin_user):
    first = client.post(URL, form_data(post, email=PAT, comment="Twice, by a double click."))
    comment = Comment.objects.latest("pk")
    again = client.post(URL, form_data(post, email=PAT, comment="Twice, by a double click."))
    assert first.status_code == again.status_code == 302
    assert Comment.objects.filter(comment="Twice, by a double click.").count() == 1
    moderation.approve(comment.moderation, admin_user)
    assert rules.PROOF_COOKIE in client.get(again["Location"]).cookies


def test_the_proof_cookie_is_http_only_same_site_lax_and_lasts_a_year(client, post, pat_is_known):
    token = tokens.sign("confirm", {"e": PAT})
    cookie = client.post(f"/comments/confirm/{token}/").cookies[rules.PROOF_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert not cookie["secure"]  # plain HTTP in tests: a secure cookie would never come back


def test_the_proof_cookie_is_secure_under_https(client, post, pat_is_known, settings):
    settings.SESSION_COOKIE_SECURE = True  # production.py's HTTPS=true
    token = tokens.sign("confirm", {"e": PAT})
    cookie = client.post(f"/comments/confirm/{token}/").cookies[rules.PROOF_COOKIE]
    assert cookie["secure"] is True


def test_the_proof_cookie_never_holds_the_email(client, post, pat_is_known):
    token = tokens.sign("confirm", {"e": PAT})
    value = client.post(f"/comments/confirm/{token}/").cookies[rules.PROOF_COOKIE].value
    assert "pat" not in value.lower()
    assert "example" not in value.lower()


def test_a_browser_keeps_proof_of_several_emails(client, post, rules_mode):
    for email in (PAT, "sam@example.org"):
        make_comment(post, user_email=email)
        client.post(f"/comments/confirm/{tokens.sign('confirm', {'e': email})}/")
    assert post_as_pat(client, post).moderation.status == Status.PUBLISHED
    client.post(URL, form_data(post, email="sam@example.org", comment="From Sam"))
    assert Comment.objects.get(comment="From Sam").moderation.status == Status.PUBLISHED


def test_a_reader_carrying_proof_still_gets_the_cached_page(client, post, pat_is_known):
    anonymous = client.get(post.url)
    prove_email(client, PAT)
    first = client.get(post.url)
    second = client.get(post.url)
    assert second["X-Page-Cache"] == "hit"
    assert first.content == anonymous.content == second.content
    assert rules.PROOF_COOKIE not in second.cookies
