"""A Redis outage: the site keeps serving (uncached), says so once, and loses no purge.

Runs a real redis-server of its own on a free port. Redis is saved to disk before it stops and
reloads that file when it starts again, as a Redis with persistence does (or one cut off by the
network, which keeps its data): the stamps it comes back with predate the purge made meanwhile,
so only the purge kept in the database stands between readers and the stale page.
"""

import logging
import shutil
import subprocess
import time

import pytest
import redis

from pagecache import stamps
from pagecache.models import PendingPurge
from tests.servers import free_port, require

pytestmark = pytest.mark.django_db


REDIS_SERVER = shutil.which("redis-server") or "redis-server"


class RedisServer:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.process = None

    def start(self) -> None:
        command = [REDIS_SERVER, "--save", "", "--appendonly", "no", "--port", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603
            [*command, "--dir", str(self.folder)], stdout=subprocess.DEVNULL
        )
        redis = self.client()
        for _ in range(100):
            try:
                redis.ping()
                return
            except Exception:  # still starting
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1)


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    require(shutil.which("redis-server") is not None, "redis-server")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        },
    }
    settings.PAGE_CACHE_STAMPS = "pagecache"
    monkeypatch.setattr(stamps, "RETRY_SECONDS", 0)  # try Redis on every request
    yield server
    if server.process.poll() is None:
        server.stop()
    settings.PAGE_CACHE_STAMPS = "database"


def test_the_site_serves_uncached_while_redis_is_down_and_logs_it_once(client, post, redis_server, caplog):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="pagecache"):
        answers = [client.get(post.url) for _ in range(10)]
    assert all(answer.status_code == 200 for answer in answers)
    assert all(post.title in answer.text for answer in answers)
    assert all("X-Page-Cache" not in answer for answer in answers)
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1


def test_a_purge_made_during_the_outage_is_applied_when_redis_is_back(
    client, post, redis_server, django_capture_on_commit_callbacks
):
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    redis_server.client().save()  # what Redis will come back with
    redis_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        post.title = "Corrected while Redis was away"
        post.save_revision().publish()
    assert PendingPurge.objects.exists()

    redis_server.start()
    assert redis_server.client().dbsize() > 0, "Redis came back with its old stamps and pages"
    response = client.get(post.url)
    assert "Corrected while Redis was away" in response.text
    assert PendingPurge.objects.count() == 0
    assert client.get(post.url)["X-Page-Cache"] == "hit"


def test_pending_purges_are_applied_by_a_process_that_never_saw_the_outage(client, post, redis_server):
    """A shell made the purge while Redis was away; this server had no reader meanwhile."""
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    PendingPurge.objects.create(paths=[post.url], groups=[])
    stamps.stamp_store().next_replay = 0  # the few seconds between two looks have passed
    assert client.get(post.url)["X-Page-Cache"] == "miss"
    assert PendingPurge.objects.count() == 0
