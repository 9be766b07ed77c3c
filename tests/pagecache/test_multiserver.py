"""Two app servers sharing one PostgreSQL and one Redis, as in production.

Runs on every pass of the suite (the SQLite pass too): it creates its own PostgreSQL database and
uses its own Redis key prefix, so it never touches the suite's test database.
"""

import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack

import pytest

from tests.helpers import comment_form_fields
from tests.servers import ROOT, gunicorn, postgres_database, redis_reachable, require

REDIS = os.environ.get("MULTISERVER_REDIS", "redis://127.0.0.1:6379/15")
POST_PATH = "/blog/three-reminders-and-no-way-to-reschedule/"


@pytest.fixture(scope="module")
def database_url():
    require(redis_reachable(REDIS), "Redis")
    with postgres_database("rounds_multiserver") as url:
        yield url


@pytest.fixture(scope="module")
def env(database_url):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "multiserver-test-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": f"multiserver-{uuid.uuid4().hex[:8]}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=environment, check=True, timeout=300
        )
    return environment


@pytest.fixture(scope="module")
def servers(env):
    with ExitStack() as stack:
        yield [f"http://127.0.0.1:{stack.enter_context(gunicorn(env))}" for _ in range(2)]


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.headers.get("X-Page-Cache", ""), response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_comment(base: str, text: str) -> int:
    """Post through the page's real form, as a reader's browser would; the answer's status."""
    fields = comment_form_fields(_get(base + POST_PATH)[1])
    fields.update(comment=text, name="A reader")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(
            base + "/comments/post/", data=urllib.parse.urlencode(fields).encode(), timeout=10
        ).status
    except urllib.error.HTTPError as error:
        return error.code


def _shell(env: dict, code: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60
    )


def test_change_made_elsewhere_is_visible_through_both_servers_at_once(env, servers):
    for base in servers:
        _get(base + POST_PATH)
    assert all(_get(base + POST_PATH)[0] == "hit" for base in servers)

    # The change comes from neither server: a management shell, as an import or a script would.
    _shell(
        env,
        "from blog.models import BlogPage\n"
        f"post = BlogPage.objects.get(url_path__endswith='{POST_PATH.split('/')[-2]}/')\n"
        "post.title = 'Retitled from a shell'\n"
        "post.save_revision().publish()\n",
    )
    first, second = (_get(base + POST_PATH) for base in servers)
    # The first server renders afresh and stores the page in the shared cache; the second finds it.
    assert first[0] == "miss" and second[0] == "hit"
    assert "Retitled from a shell" in first[1] and "Retitled from a shell" in second[1]


def test_rate_limit_counts_across_servers_and_an_approval_shows_through_both(env, servers):
    first, second = servers
    assert _post_comment(first, "Posted through the first server, waiting for a moderator.") in (302, 303)
    # The same address posting again at once, through the other server, is over the limit.
    assert _post_comment(second, "And again through the second server.") == 429

    for base in servers:
        _get(base + POST_PATH)  # both servers now hold the post in the shared cache
    _shell(
        env,
        "from comments.models import Comment\n"
        "comment = Comment.objects.get(comment__startswith='Posted through the first server')\n"
        "from comments.moderation import approve; approve(comment.moderation, None)\n",
    )
    for base in servers:
        assert "Posted through the first server" in _get(base + POST_PATH)[1]
