"""The admin's report-only policy reports somewhere: /csp-report/ logs each violation, answers 204,
and is size and rate limited; junk is a 4xx, never a 500."""

import json
import logging

import pytest
from csp.constants import HEADER_REPORT_ONLY

URL = "/csp-report/"
LEGACY = {
    "csp-report": {
        "document-uri": "https://blog.example-hospital.org/admin/pages/3/edit/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://blog.example-hospital.org/admin/pages/3/edit/",
        "line-number": 41,
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://blog.example-hospital.org/admin/",
        "body": {
            "documentURL": "https://blog.example-hospital.org/admin/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.net/pixel.gif",
            "disposition": "report",
        },
    }
]


def send(client, body, content_type="application/csp-report", **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.generic("POST", URL, data, content_type=content_type, **extra)


def test_the_admin_policy_names_the_report_endpoint(admin_client):
    response = admin_client.get("/admin/")
    header = response[HEADER_REPORT_ONLY]
    assert f"report-uri {URL}" in header
    assert "report-to csp-endpoint" in header
    assert response["Reporting-Endpoints"] == f'csp-endpoint="{URL}"'


def test_public_pages_keep_their_enforced_policy_without_a_report_endpoint(client, post):
    response = client.get(post.url)
    assert "Reporting-Endpoints" not in response
    assert HEADER_REPORT_ONLY not in response


def test_a_report_uri_violation_is_logged_and_answered_204(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = send(client, LEGACY)
    assert response.status_code == 204
    assert "script-src-elem" in caplog.text
    assert "/admin/pages/3/edit/" in caplog.text


def test_a_reporting_api_violation_is_logged_and_answered_204(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        response = send(client, REPORTING_API, content_type="application/reports+json")
    assert response.status_code == 204
    assert "tracker.example.net/pixel.gif" in caplog.text


def test_a_logged_field_is_one_quoted_line_however_it_was_written(client, db, caplog):
    forged = {"csp-report": {**LEGACY["csp-report"], "blocked-uri": "x\nCRITICAL fake log line"}}
    with caplog.at_level(logging.WARNING, logger="core.csp"):
        send(client, forged)
    assert len(caplog.records) == 1
    assert "\n" not in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b"{}",
        b"null",
        b"42",
        b'"text"',
        b'{"csp-report": 1}',
        b'[{"type": "csp-violation", "body": []}]',
        b"[" * 4000 + b"]" * 4000,
    ],
)
def test_junk_is_a_400_never_a_500(client, db, body):
    assert send(client, body).status_code == 400


def test_a_body_over_8_kb_is_refused_with_413(client, db):
    big = {"csp-report": {**LEGACY["csp-report"], "script-sample": "x" * 9000}}
    assert send(client, big).status_code == 413


def test_only_post_is_accepted(client, db):
    assert client.get(URL).status_code == 405


def test_one_address_sending_too_many_reports_gets_429(client, db, settings):
    settings.CSP_REPORTS_PER_MINUTE = 3
    answers = [send(client, LEGACY, REMOTE_ADDR="198.51.100.7").status_code for _ in range(4)]
    assert answers == [204, 204, 204, 429]


def test_the_limit_is_per_address(client, db, settings):
    settings.CSP_REPORTS_PER_MINUTE = 1
    assert send(client, LEGACY, REMOTE_ADDR="198.51.100.7").status_code == 204
    assert send(client, LEGACY, REMOTE_ADDR="198.51.100.7").status_code == 429
    assert send(client, LEGACY, REMOTE_ADDR="203.0.113.9").status_code == 204
