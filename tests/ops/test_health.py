"""/healthz and /readyz: JSON, never page-cached, details only for OPS_ADDRESSES, 503 when not ready."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ops import health

from .conftest import task_row

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_neither_endpoint_is_page_cached(client, site):
    for path in ("/healthz", "/readyz", "/metrics"):
        first, second = client.get(path), client.get(path)
        assert "X-Page-Cache" not in first and "X-Page-Cache" not in second, path
        assert first["Cache-Control"] == "no-store", path


def test_readyz_shows_each_check_to_an_operator_address(client):
    response = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "redis", "worker", "queue"}
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_shows_the_public_no_details(client, database_queue):
    response = client.get("/readyz", REMOTE_ADDR="203.0.113.9")
    assert response.json() == {"status": "unavailable"}  # no worker seen: not ready, and no reason given


def test_a_forged_forwarded_for_does_not_reveal_the_details(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    response = client.get("/readyz", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert "checks" not in response.json()
    via_proxy = client.get("/readyz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert "checks" in via_proxy.json()


def test_readyz_is_503_when_the_worker_was_not_seen(client, database_queue):
    task_row(age=600)
    response = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_readyz_is_ready_with_a_recent_heartbeat(client, database_queue):
    task_row(age=30)
    response = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200, response.json()


def test_readyz_is_503_when_the_oldest_task_waited_too_long(client, database_queue):
    task_row(age=10)
    task_row("READY", age=900)
    response = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == {"ok": False, "detail": "1 due, the oldest for 900 s"}


def test_readyz_is_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_missing_migrations_make_it_not_ready(monkeypatch):
    monkeypatch.setattr(health, "migrations_applied", lambda: ["comments.0099_future"])
    results = {result.name: result for result in health.run_checks()}
    assert not results["migrations"].ok
    assert "comments.0099_future" in results["migrations"].detail
    assert not health.ready(list(results.values()))


def test_the_probes_are_not_redirected_to_https(settings, client):
    """A load balancer probes gunicorn over plain HTTP; production exempts the three paths."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 301
