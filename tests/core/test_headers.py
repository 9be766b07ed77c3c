"""Security headers on every public page, and the admin's report-only policy."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from wagtail.users.utils import get_gravatar_url

PUBLIC_PATHS = {
    "home": "/",
    "index": "/blog/",
    "post": None,  # the post fixture's URL
    "search": "/search/?q=portal",
    "feed": "/blog/feed/",
    "not found": "/no-such-page/",
}


def policy(header: str) -> dict[str, str]:
    """A CSP header as {directive: sources}, whatever order django-csp wrote it in."""
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in directives}


@pytest.fixture(params=list(PUBLIC_PATHS))
def public_response(request, client, post):
    path = PUBLIC_PATHS[request.param] or post.url
    response = client.get(path)
    assert response.status_code == (404 if request.param == "not found" else 200)
    return response


def test_public_page_enforces_a_self_only_policy(public_response):
    directives = policy(public_response[HEADER])
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"


def test_public_page_policy_allows_no_inline_code_nonce_or_eval(public_response):
    header = public_response[HEADER]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'nonce-", "'unsafe-hashes'", "*", "data:"):
        assert loophole not in header


def test_public_page_may_not_be_framed(public_response):
    assert policy(public_response[HEADER])["frame-ancestors"] == "'none'"
    assert public_response["X-Frame-Options"] == "DENY"


def test_public_page_sends_no_report_only_policy(public_response):
    assert HEADER_REPORT_ONLY not in public_response


def test_public_page_keeps_the_other_security_headers(public_response):
    assert public_response["X-Content-Type-Options"] == "nosniff"
    assert public_response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert public_response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_policy_is_the_same_for_every_request(client, post):
    """Cached pages replay their headers to everyone, so the policy must carry no per-request nonce."""
    first, second = client.get(post.url), client.get(post.url)
    assert policy(first[HEADER]) == policy(second[HEADER])


@pytest.mark.django_db
def test_admin_reports_the_policy_instead_of_enforcing_it(client):
    """Wagtail's admin writes inline scripts (its date choosers), which an enforced policy would block."""
    response = client.get("/admin/login/")
    assert HEADER not in response
    assert policy(response[HEADER_REPORT_ONLY])["script-src"] == "'self'"


@pytest.mark.django_db
def test_admin_still_refuses_to_be_framed(client):
    assert client.get("/admin/login/")["X-Frame-Options"] == "DENY"


def test_admin_asks_no_third_party_for_avatars(settings):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert get_gravatar_url("editor@example-hospital.org") is None
