"""The purges the app sends to the HTTP caches in front (rounds/frontend.py), heard by a small local
HTTP server standing in for Varnish. tests/pagecache/test_varnish.py runs the real one."""

import logging
import runpy
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from wagtail.contrib.frontend_cache.backends import BaseBackend

from comments.models import Status
from comments.moderation import approve
from pagecache import frontend
from pagecache.keys import Group
from pagecache.purging import pages_purged, purge
from tests.comments.factories import make_comment
from tests.servers import ROOT, free_port

pytestmark = pytest.mark.django_db

HTTP_BACKEND = "wagtail.contrib.frontend_cache.backends.HTTPBackend"
BASE_SETTINGS = str(ROOT / "rounds" / "settings" / "base.py")


@dataclass
class Recorder:
    """What the stand-in cache was asked: (method, path, headers) per request."""

    url: str
    answer: int = 200
    requests: list[tuple[str, str, dict]] = field(default_factory=list)

    def methods(self) -> list[tuple[str, str]]:
        return sorted((method, path) for method, path, _headers in self.requests)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    port = free_port()
    recorder = Recorder(f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            recorder.requests.append((self.command, self.path, dict(self.headers)))
            self.send_response(recorder.answer)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PURGE = do_BAN = _record

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder
    server.shutdown()
    server.server_close()


@pytest.fixture
def front(settings, recorder) -> Recorder:
    """Varnish (the recorder) configured as FRONTEND_CACHE_URL configures it, on a public address."""
    settings.BASE_URL = "https://blog.example-hospital.org"
    settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": HTTP_BACKEND, "LOCATION": recorder.url}}
    return recorder


class RecordingCDN(BaseBackend):
    """A CDN backend (Cloudflare, CloudFront): purges URLs, cannot ban."""

    purged: list[str] = []

    def purge(self, url: str) -> None:
        RecordingCDN.purged.append(url)


def test_frontend_cache_url_configures_wagtail_s_http_backend(monkeypatch):
    monkeypatch.setenv("FRONTEND_CACHE_URL", "http://10.0.0.5:6081/")
    configured = runpy.run_path(BASE_SETTINGS)
    assert configured["WAGTAILFRONTENDCACHE"] == {
        "varnish": {"BACKEND": HTTP_BACKEND, "LOCATION": "http://10.0.0.5:6081"}
    }


def test_without_frontend_cache_url_no_frontend_cache_is_configured(monkeypatch):
    monkeypatch.delenv("FRONTEND_CACHE_URL", raising=False)
    assert runpy.run_path(BASE_SETTINGS)["WAGTAILFRONTENDCACHE"] == {}


def test_with_no_frontend_cache_a_purge_queues_nothing(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    queued = []
    monkeypatch.setattr(frontend.PurgeBatch, "purge", lambda batch: queued.append(batch.urls))
    monkeypatch.setattr(frontend, "ban_groups", SimpleNamespace(enqueue=queued.append))
    with django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/a-post/"], groups=[Group.LISTINGS])
    assert queued == []


def test_a_purged_path_reaches_the_cache_as_a_purge_for_the_public_host(
    front, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/a-post/"])
    assert front.methods() == [("PURGE", "/blog/a-post/")]
    assert front.requests[0][2]["Host"] == "blog.example-hospital.org"


def test_a_purged_group_reaches_the_cache_as_a_ban_naming_it(front, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge(groups=[Group.COMMENT_FEEDS], languages=["en"])
    assert front.methods() == [("BAN", "/")]
    assert front.requests[0][2]["X-Cache-Group"] == "comment-feeds"


def test_a_group_purged_in_every_language_is_one_ban_per_language(front, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge(groups=[Group.COMMENT_FEEDS])
    assert front.methods() == [("BAN", "/"), ("BAN", "/")]
    assert [request[2]["X-Cache-Group"] for request in front.requests] == [
        "comment-feeds",
        "comment-feeds.es",
    ]


def test_an_approval_purges_in_front_what_it_purges_in_the_page_cache(
    front, post, django_capture_on_commit_callbacks
):
    comment = make_comment(post, status=Status.WAITING)
    front.requests.clear()
    purged: dict[str, set] = {"paths": set(), "groups": set()}

    def heard(sender, paths, groups, **kwargs):
        purged["paths"].update(paths)
        purged["groups"].update(str(group) for group in groups)

    pages_purged.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            approve(comment.moderation, None)
    finally:
        pages_purged.disconnect(heard)
    assert post.url in purged["paths"] and "comment-feeds" in purged["groups"]
    assert {path for method, path, _headers in front.requests if method == "PURGE"} == purged["paths"]
    bans = {headers["X-Cache-Group"] for method, _path, headers in front.requests if method == "BAN"}
    assert bans == purged["groups"]


def test_a_cdn_gets_the_paths_and_no_ban(front, settings, django_capture_on_commit_callbacks):
    RecordingCDN.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        **settings.WAGTAILFRONTENDCACHE,
        "cdn": {"BACKEND": f"{__name__}.RecordingCDN"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/a-post/"], groups=[Group.POSTS], languages=["en"])
    assert RecordingCDN.purged == ["https://blog.example-hospital.org/blog/a-post/"]
    assert front.methods() == [("BAN", "/"), ("PURGE", "/blog/a-post/")]


def test_an_unreachable_cache_is_logged_never_raised(settings, caplog, django_capture_on_commit_callbacks):
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": HTTP_BACKEND, "LOCATION": f"http://127.0.0.1:{free_port()}"}
    }
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/a-post/"], groups=[Group.LISTINGS])
    # Wagtail's backend logs the path it could not purge, ours the group it could not ban.
    assert {record.name for record in caplog.records} == {"wagtail.frontendcache", "pagecache.frontend"}


def test_a_refused_ban_is_logged(front, caplog, django_capture_on_commit_callbacks):
    front.answer = 403
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        purge(groups=[Group.LISTINGS], languages=["en"])
    assert [record.name for record in caplog.records] == ["pagecache.frontend"]
    assert "403" in caplog.records[0].getMessage()


def test_a_purge_that_cannot_be_queued_never_breaks_the_change(
    front, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken_queue(batch):
        raise ConnectionError("the task queue's database is away")

    monkeypatch.setattr(frontend.PurgeBatch, "purge", broken_queue)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/a-post/"])
    assert [record.name for record in caplog.records] == ["pagecache.frontend"]


def test_a_path_with_non_ascii_characters_is_sent_percent_encoded(front, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        purge(paths=["/blog/café-hours/"])
    assert front.methods() == [("PURGE", "/blog/caf%C3%A9-hours/")]
