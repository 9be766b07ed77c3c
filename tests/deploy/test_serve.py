"""deploy/serve.py (make serve): the production processes of one machine start, become ready (the
worker's heartbeat, queued by the scheduler, is seen), log to stdout, and all stop on Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.servers import ROOT, free_port


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_make_serve_starts_everything_and_ctrl_c_stops_it(tmp_path):
    port = free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL")
        },
        "PORT": str(port),
        "SECRET_KEY": "serve-test-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "STATIC_ROOT": str(tmp_path / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)  # serve.py chooses production's
    log = (tmp_path / "serve.log").open("wb")
    # Its own process group, as a terminal gives `make serve`: Ctrl-C signals the whole group.
    process = subprocess.Popen(
        [sys.executable, "deploy/serve.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        status, body = 0, b""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/readyz")
            except OSError:
                status = 0
            if status == 200:
                break
            time.sleep(1)
        output = (tmp_path / "serve.log").read_text()
        assert status == 200, output[-3000:]
        checks = json.loads(body)["checks"]
        assert checks["worker"]["ok"] and checks["migrations"]["ok"], checks

        assert _get(f"http://127.0.0.1:{port}/robots.txt")[0] == 200
        status, metrics = _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        names = {family.name for family in text_string_to_metric_families(metrics.decode())}
        assert {"rounds_task_queue_depth", "rounds_comments_waiting", "rounds_http_requests"} <= names

        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=90) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    output = (tmp_path / "serve.log").read_text()
    for name in ("gunicorn", "worker", "scheduler"):
        assert f"serve: started {name}" in output
    assert "Scheduler started" in output and "Listening at: http://127.0.0.1" in output  # their own logs
    assert "serve: stopped" in output
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # nothing listens any more
