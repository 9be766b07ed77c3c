"""The Prometheus endpoint: for OPS_ADDRESSES only, parsed with prometheus_client's own parser."""

import logging

import pytest
from django.core import mail
from prometheus_client.parser import text_string_to_metric_families

from comments.models import Status
from tests.comments.factories import make_comment

from .conftest import task_row

pytestmark = pytest.mark.django_db


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_refused_to_other_addresses(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403


def test_requests_are_counted_and_timed_by_view(client, site):
    before = scrape(client)
    client.get("/robots.txt")
    after = scrape(client)
    labels = {"view": "robots_txt", "method": "GET", "status": "200"}
    assert (
        value(after, "rounds_http_requests_total", **labels)
        == value(before, "rounds_http_requests_total", **labels) + 1
    )
    assert value(after, "rounds_http_request_seconds_count", view="robots_txt") >= 1


def test_an_unknown_method_is_one_bounded_label(client, site):
    client.generic("BREW", "/robots.txt")
    samples = scrape(client)
    assert not any(dict(labels).get("method") == "BREW" for _name, labels in samples)
    assert any(
        name == "rounds_http_requests_total" and dict(labels)["method"] == "other" for name, labels in samples
    )


def test_page_cache_hits_and_misses_are_counted(client, post):
    before = scrape(client)
    client.get(post.url)
    client.get(post.url)
    after = scrape(client)
    for state in ("miss", "hit"):
        assert (
            value(after, "rounds_page_cache_total", state=state)
            == value(before, "rounds_page_cache_total", state=state) + 1
        )
    assert value(after, "rounds_http_requests_total", view="page cache", method="GET", status="200") >= 1


def test_purge_failures_are_counted_from_the_senders_logs(client):
    before = value(scrape(client), "rounds_frontend_purge_failures_total")
    logging.getLogger("wagtail.frontendcache").error("Couldn't purge from frontend cache")
    logging.getLogger("pagecache.frontend").error("Couldn't ban group")
    logging.getLogger("pagecache.frontend").info("cannot ban by group")  # not a failure
    assert value(scrape(client), "rounds_frontend_purge_failures_total") == before + 2


def test_mail_sent_and_failed_are_counted(client, settings):
    settings.EMAIL_BACKEND = "ops.mail.CountingBackend"
    settings.OPS_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    before = scrape(client)
    mail.send_mail("Subject", "Body", None, ["a@example.org"])
    settings.OPS_EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"
    with pytest.raises(OSError):
        mail.send_mail("Subject", "Body", None, ["b@example.org"])
    after = scrape(client)
    assert len(mail.outbox) == 1
    assert value(after, "rounds_mail_sent_total") == value(before, "rounds_mail_sent_total") + 1
    assert value(after, "rounds_mail_failed_total") == value(before, "rounds_mail_failed_total") + 1


def test_the_task_queue_depth_and_oldest_age(client, database_queue):
    task_row("READY", age=120)
    task_row("READY", age=5)
    task_row("SUCCESSFUL", age=1)
    samples = scrape(client)
    assert value(samples, "rounds_task_queue_depth") == 2
    assert 119 <= value(samples, "rounds_task_oldest_age_seconds") < 180


def test_comments_waiting_and_the_oldest_wait(client, post):
    make_comment(post, status=Status.WAITING)
    make_comment(post, status=Status.PUBLISHED)
    samples = scrape(client)
    assert value(samples, "rounds_comments_waiting") == 1
    assert value(samples, "rounds_comments_oldest_wait_seconds") >= 0
    assert ("rounds_comments_oldest_wait_seconds", ()) in samples
