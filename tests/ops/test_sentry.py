"""Sentry gets the error, never the reader: no comment text, email, name or address."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from ops import sentry

TEXT = "My mother waited nine hours in the emergency department"
EMAIL = "pat.jones@example.org"
NAME = "Pat Jones"
ADDRESS = "198.51.100.23"


class FakeTransport(Transport):
    """Keeps every envelope instead of sending it."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def transport():
    fake = FakeTransport()
    sentry.init("https://public@sentry.example.invalid/1", transport=fake)
    yield fake
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reports off again


def sent_text(transport: FakeTransport) -> str:
    events = [
        item.payload.json
        for envelope in transport.envelopes
        for item in envelope.items
        if item.type == "event"
    ]
    assert events, "no event was sent"
    return json.dumps(events)


@pytest.mark.django_db
@pytest.mark.urls("tests.ops.urls")
def test_a_failing_request_reports_no_personal_data(client, transport, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    response = client.post(
        "/fail/",
        {"comment": TEXT, "email": EMAIL, "name": NAME},
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR=ADDRESS,
        HTTP_COOKIE=f"sessionid=abc; reader={NAME}",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    sent = sent_text(transport)
    assert "ValueError" in sent  # the error itself is reported
    for personal in (TEXT, EMAIL, NAME, ADDRESS, "sessionid"):
        assert personal not in sent, personal


def test_the_scope_s_user_and_extras_are_scrubbed(transport):
    with sentry_sdk.new_scope() as scope:
        scope.set_user({"email": EMAIL, "ip_address": ADDRESS, "username": NAME})
        scope.set_extra("comment", TEXT)
        scope.set_context("reader", {"name": NAME, "note": f"wrote from {ADDRESS} as {EMAIL}"})
        sentry_sdk.capture_message(f"mail to {EMAIL} bounced")
    sentry_sdk.flush()
    sent = sent_text(transport)
    assert "bounced" in sent
    for personal in (TEXT, EMAIL, NAME, ADDRESS):
        assert personal not in sent, personal


def test_scrub_keeps_what_is_not_personal():
    event = {
        "message": "Page cache: Redis is unreachable",
        "level": "error",
        "sdk": {"name": "sentry.python"},
    }
    assert sentry.scrub(dict(event)) == event
