"""manage.py doctor: plain words, and a non-zero exit for each thing that is wrong."""

import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pagecache.models import PendingPurge

from .conftest import task_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def sound(settings, tmp_path, monkeypatch):
    """Settings `check --deploy` accepts, mail to memory, and room on the disk."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # the browser tests set it
    settings.SECRET_KEY = "a-long-random-production-key-x7Qp2LmZ9vR4tK8wN1sB6dF3hJ0yC5gE"
    settings.ALLOWED_HOSTS = ["blog.example-hospital.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.OPS_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.OPS_MIN_FREE_BYTES = 0
    return settings


def doctor() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("doctor", stdout=out, no_color=True)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def problems(output: str) -> list[str]:
    return [
        line.removeprefix("PROBLEM ").strip() for line in output.splitlines() if line.startswith("PROBLEM")
    ]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_sound_installation_has_nothing_wrong(sound):
    code, output = doctor()
    assert code == 0, output
    assert problems(output) == []
    assert "Nothing wrong found." in output


def test_settings_check_deploy_would_refuse(sound):
    sound.SECURE_HSTS_SECONDS = 0
    sound.DEBUG = True
    code, output = doctor()
    assert code == 1
    found = problems(output)
    assert any("security.W004" in line for line in found), found
    assert any("security.W018" in line for line in found), found


def test_an_unreachable_redis(sound):
    sound.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    code, output = doctor()
    assert code == 1
    assert any(line.startswith("Redis at REDIS_URL cannot be reached") for line in problems(output))


def test_an_unreachable_mail_server(sound):
    sound.OPS_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    sound.EMAIL_HOST, sound.EMAIL_PORT = "127.0.0.1", closed_port()
    code, output = doctor()
    assert code == 1
    assert any(line.startswith("The mail server 127.0.0.1:") for line in problems(output)), output


def test_a_worker_not_seen_for_five_minutes(sound, database_queue):
    task_row(age=6 * 60)
    code, output = doctor()
    assert code == 1
    assert any(line.startswith("No task worker seen for five minutes") for line in problems(output))


def test_a_worker_seen_a_minute_ago_is_fine(sound, database_queue):
    task_row(age=60)
    code, output = doctor()
    assert code == 0, output


def test_failed_mail_in_the_last_day(sound, database_queue):
    task_row(age=30)
    task_row("FAILED", age=3600, path="comments.tasks.deliver")
    task_row("FAILED", age=2 * 86400, path="comments.tasks.old")  # older than a day: not reported
    code, output = doctor()
    assert code == 1
    [line] = [line for line in problems(output) if "failed for good" in line]
    assert line.startswith("1 tasks failed for good in the last day")
    assert "comments.tasks.deliver" in line and "comments.tasks.old" not in line


def test_pending_purges(sound):
    PendingPurge.objects.create(paths=["/blog/"], groups=[])
    code, output = doctor()
    assert code == 1
    assert any("page-cache purges wait for Redis" in line for line in problems(output))


def test_little_disk_for_media_and_backups(sound):
    sound.OPS_MIN_FREE_BYTES = 2**62
    code, output = doctor()
    assert code == 1
    found = problems(output)
    assert any(line.startswith("Little disk left for MEDIA_ROOT") for line in found)
    assert any(line.startswith("Little disk left for BACKUP_DIR") for line in found)
