"""Production settings pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    inherited = {
        k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }  # browser tests set it
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "a-long-random-production-key-" + "x7Qp2LmZ9vR4tK8wN1sB6dF3hJ0yC5gE",
        "ALLOWED_HOSTS": "blog.example-hospital.org",
        "DEBUG": "false",
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_https():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", HTTPS="true", TRUSTED_PROXIES="10.0.0.2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_refuses_to_start_without_trusted_proxies():
    """X-Forwarded-Proto is believed only from them: without any, every request would look like
    plain HTTP and be redirected for ever."""
    result = _manage("check", HTTPS="true", TRUSTED_PROXIES="")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_fails_when_purge_stamps_would_stay_in_one_process():
    """Stamps in per-process memory: a purge made by one worker would not reach the others."""
    result = _manage(
        "check",
        "--deploy",
        HTTPS="true",
        TRUSTED_PROXIES="10.0.0.2",
        REDIS_URL="",
        PAGE_CACHE_STAMPS="default",
    )
    assert result.returncode != 0
    assert "pagecache.E001" in result.stdout + result.stderr


def test_check_deploy_accepts_database_stamps_without_redis():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", HTTPS="true", TRUSTED_PROXIES="10.0.0.2", REDIS_URL=""
    )
    assert result.returncode == 0, result.stdout + result.stderr
