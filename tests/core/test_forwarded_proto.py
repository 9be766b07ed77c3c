"""X-Forwarded-Proto is believed only from TRUSTED_PROXIES (core.http.ForwardedProtoMiddleware).

With HTTPS=true, production believes the header to decide that a request came over TLS. Sent by
anyone else it is a claim: a plain-HTTP request saying "https" must still be redirected to HTTPS.
"""

import pytest

from core.http import ForwardedProtoMiddleware

PROXY = "10.0.0.5"
READER = "198.51.100.7"

pytestmark = pytest.mark.django_db


@pytest.fixture
def https_behind_proxy(settings, site):
    """production.py's HTTPS=true switches, behind one trusted proxy."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True


def test_a_forged_https_claim_from_an_untrusted_peer_is_still_redirected(client, https_behind_proxy):
    response = client.get("/", REMOTE_ADDR=READER, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_trusted_proxys_https_claim_is_believed(client, https_behind_proxy):
    response = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_the_trusted_proxys_plain_http_is_redirected(client, https_behind_proxy):
    response = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301


def test_a_forged_claim_never_marks_the_request_secure(rf, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = []
    middleware = ForwardedProtoMiddleware(lambda request: seen.append(request.is_secure()))
    middleware(rf.get("/", REMOTE_ADDR=READER, HTTP_X_FORWARDED_PROTO="https"))
    middleware(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https"))
    assert seen == [False, True]
