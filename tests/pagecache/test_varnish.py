"""deploy/varnish/rounds.vcl in a real varnishd, in front of gunicorn (production settings), with
the app's purges reaching it through Wagtail's frontend cache and the database task queue's worker,
as README "Varnish" deploys it. test_vcl.py holds the VCL's rules that no page of the app
exercises on demand, in front of a stand-in backend.

The app servers' own page cache is in Redis (database 6 by default, a key prefix of this module's
own), so a change made from a management shell is seen by gunicorn as it is by Varnish. In CI a
missing varnishd or Redis fails these tests; on a laptop they skip.
"""

import os
import re
import subprocess
import sys
import time
import urllib.parse
import uuid
from contextlib import ExitStack

import pytest

from bench.common import marker
from tests.helpers import comment_form_fields
from tests.pagecache.stack import Stack
from tests.servers import ROOT, free_port, gunicorn, redis_reachable, require, varnish, varnish_available

REDIS = os.environ.get("VARNISH_TEST_REDIS", "redis://127.0.0.1:6379/6")
POST_PATH = "/blog/three-reminders-and-no-way-to-reschedule/"
PRIVATE_PATH = "/blog/listening-to-night-shift/"
MADE_PRIVATE_PATH = "/blog/a-waiting-room-redesigned-by-patients/"
# A purge reaches Varnish through the task worker within this many seconds. Far less than a
# page's lifetime (an hour), so a page that changes within it was purged, not expired. A bound
# for a busy machine, not the speed: under 2 s on a quiet one, 2.05 s at a load average of 9.
PURGE_SECONDS = 10.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(varnish_available(), "Varnish (varnishd; make test installs it)")
    require(redis_reachable(REDIS), "Redis")
    folder = tmp_path_factory.mktemp("varnish-stack")
    varnish_port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "varnish-test-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "STATIC_ROOT": str(folder / "static"),
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": f"varnish-{uuid.uuid4().hex[:8]}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BASE_URL": f"http://127.0.0.1:{varnish_port}",
        "LOG_LEVEL": "ERROR",
    }
    # The demo's search-index and reference-index tasks are run now (--batch), so that the queue
    # the purges share starts empty, as a production queue mostly is.
    commands = (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["seed_demo"],
        ["db_worker", "--batch"],
    )
    for command in commands:
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True, timeout=300
        )
    # From here on, every purge the app makes is sent to Varnish too.
    env["FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{varnish_port}"
    with ExitStack() as stack:
        app_port = stack.enter_context(gunicorn(env, workers=2))
        stack.enter_context(varnish(app_port, port=varnish_port))
        # The task queue's worker sends the purges, as `manage.py db_worker` does in production.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(worker.wait, timeout=20)
        stack.callback(worker.terminate)
        yield Stack(env, varnish_port)


def _seen_within(stack: Stack, path: str, text: str, seconds: float) -> float | None:
    """When `text` first showed on `path` through Varnish (time.time()), polling for `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if text in stack.get(path).body:
            return time.time()
        time.sleep(0.05)
    return None


def test_a_repeated_anonymous_get_is_a_varnish_hit(stack):
    first = stack.get(POST_PATH)
    second = stack.get(POST_PATH)
    assert first.status == second.status == 200
    assert second.cache == "hit"
    assert second.body == first.body


def test_tracking_parameters_share_the_page_s_one_copy(stack):
    stack.get(POST_PATH)
    tagged = stack.get(POST_PATH + "?utm_source=local-news&fbclid=abc123")
    assert tagged.status == 200
    assert tagged.cache == "hit"


def test_internal_headers_never_reach_the_reader(stack):
    stack.get(POST_PATH)
    response = stack.get(POST_PATH)
    assert response.cache == "hit"
    for header in ("X-Cache-Group", "X-Rounds-Path", "X-Page-Cache"):
        assert header not in response.headers


def test_readers_with_and_without_gzip_each_get_a_stored_copy_they_can_read(stack):
    for _ in range(2):
        zipped = stack.get(POST_PATH, Accept_Encoding="gzip, deflate, br")
        plain = stack.get(POST_PATH)
    assert zipped.cache == plain.cache == "hit"
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in zipped.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    # Two copies, fetched apart: the comment form's timestamp and hash and the subscribe form's
    # signed stamp may differ (each is made when its copy is rendered), nothing else.
    assert _without_form_stamps(zipped.body) == _without_form_stamps(plain.body)


def _without_form_stamps(html: str) -> str:
    return re.sub(r'(name="(?:timestamp|security_hash|stamp)" value=)"[^"]*"', r"\1", html)


def test_an_approval_shows_through_varnish_once_purged(stack):
    text = f"Held until a moderator approves it {marker()}"  # letters only: digits could be PHI
    fields = comment_form_fields(stack.get(POST_PATH).body)
    fields.update(comment=text, name="A reader")
    posted = stack.request(
        "POST",
        "/comments/post/",
        body=urllib.parse.urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert posted.status in (302, 303)  # the POST went through Varnish to the app
    stack.get(POST_PATH)
    held = stack.get(POST_PATH)
    assert held.cache == "hit" and text not in held.body

    approval = stack.start_shell(
        "import time\n"
        "from comments.models import Comment\n"
        "from comments.moderation import approve\n"
        f"approve(Comment.objects.get(comment={text!r}).moderation, None)\n"
        "print(time.time())\n"
    )
    seen_at = _seen_within(stack, POST_PATH, text, seconds=20)
    output, _ = approval.communicate(timeout=60)
    approved_at = float(output.split()[-1])
    assert seen_at is not None, "the approved comment never showed through Varnish"
    assert seen_at - approved_at <= PURGE_SECONDS, f"shown {seen_at - approved_at:.2f} s after the approval"


def _restrict(stack: Stack, path: str) -> str:
    """Put a password on the page at `path` (Wagtail's privacy dialog), from a shell; its title."""
    return stack.shell(
        "from wagtail.models import Page, PageViewRestriction\n"
        f"page = Page.objects.get(url_path__endswith={path.split('/')[-2] + '/'!r})\n"
        "PageViewRestriction.objects.create(page=page, restriction_type='password', password='staff only')\n"
        "print(page.title)\n"
    )


def test_a_private_page_is_never_served_to_an_anonymous_reader(stack):
    title = _restrict(stack, PRIVATE_PATH)
    for _ in range(3):
        response = stack.get(PRIVATE_PATH)
        assert response.cache != "hit"
        assert title not in response.body
        assert 'type="password"' in response.body  # Wagtail's password form, not the post


def test_a_page_made_private_after_readers_saw_it_stops_being_served(stack):
    stack.get(MADE_PRIVATE_PATH)
    assert stack.get(MADE_PRIVATE_PATH).cache == "hit"
    title = _restrict(stack, MADE_PRIVATE_PATH)
    assert _seen_within(stack, MADE_PRIVATE_PATH, 'type="password"', PURGE_SECONDS) is not None
    assert title not in stack.get(MADE_PRIVATE_PATH).body


def test_a_logged_in_editor_passes_through_varnish(stack):
    session = stack.shell(
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.create_superuser('varnish-editor', 'e@example.org', 'not-used-1')\n"
        "store = SessionStore()\n"
        "store[SESSION_KEY] = str(user.pk)\n"
        "store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "store[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "store.create()\n"
        "print(store.session_key)\n"
    )
    stack.get(POST_PATH)
    assert stack.get(POST_PATH).cache == "hit"  # anonymous readers share the copy
    editor = stack.get(POST_PATH, Cookie=f"sessionid={session}")
    assert editor.status == 200 and editor.cache == "pass"
    admin = stack.get("/admin/", Cookie=f"sessionid={session}")
    assert admin.status == 200 and admin.cache == "pass"
    assert stack.get("/admin/").status == 302  # the editor's dashboard was not kept for others


def test_a_post_is_never_cached(stack):
    response = stack.request("POST", "/search/", body="q=ehr")
    assert response.cache == "pass"


def test_a_purge_from_an_app_server_is_accepted(stack):
    stack.get(POST_PATH)
    assert stack.request("PURGE", POST_PATH).status == 200
    assert stack.get(POST_PATH).cache == "miss"


@pytest.mark.parametrize(
    ("method", "headers"), [("PURGE", {}), ("BAN", {"X-Cache-Group": "posts"})], ids=["purge", "ban"]
)
def test_a_purge_or_ban_from_elsewhere_is_refused(stack, method, headers):
    stack.get(POST_PATH)
    # 127.0.0.2 is this machine too, but not an address in the VCL's purgers ACL.
    refused = stack.request(method, POST_PATH, headers=headers, source="127.0.0.2")
    assert refused.status == 403
    assert stack.get(POST_PATH).cache == "hit"


def test_a_ban_with_a_malformed_group_is_refused(stack):
    response = stack.request("BAN", "/", headers={"X-Cache-Group": 'posts" || obj.status == 200'})
    assert response.status == 400
