"""Without Redis (the embedded default), a purge made in one process is seen by every other.

Two gunicorn workers serve a SQLite file with production settings and no REDIS_URL; a change is
made from a `manage.py shell` process, the way a script, a cron job or `erase_commenter` would.
"""

import os
import subprocess
import sys
import urllib.request

import pytest

from tests.servers import ROOT, gunicorn

POST_PATH = "/blog/three-reminders-and-no-way-to-reschedule/"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("without-redis")
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "without-redis-test-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "STATIC_ROOT": str(folder / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=environment, check=True, timeout=300
        )
    return environment


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return response.headers.get("X-Page-Cache", ""), response.read().decode()


def _shell(env: dict, code: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=60
    )


def test_a_purge_from_a_shell_reaches_every_worker_without_redis(env):
    with gunicorn(env, workers=2) as port:
        url = f"http://127.0.0.1:{port}{POST_PATH}"
        # Enough requests that both workers hold the page in their own memory.
        states = [_get(url)[0] for _ in range(30)]
        assert states.count("hit") >= 20
        _shell(
            env,
            "from blog.models import BlogPage\n"
            f"post = BlogPage.objects.get(slug='{POST_PATH.split('/')[-2]}')\n"
            "post.title = 'Retitled from a shell, no Redis'\n"
            "post.save_revision().publish()\n",
        )
        answers = [_get(url)[1] for _ in range(30)]
        assert all("Retitled from a shell, no Redis" in text for text in answers)
