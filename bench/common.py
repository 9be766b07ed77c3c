"""Shared plumbing for the benchmarks: Django set up in the benchmark's own process, a throwaway
database, gunicorn, and a loopback load loop.

Run from the project root with the virtualenv's Python, e.g. `make bench`. Nothing here is a test:
it prints figures for the notes. A script run as `python bench/x.py` has bench/ on its path, not
the project root, so each puts the root there (one line) before importing this module.
"""

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager

import django

from bench.servers import ROOT
from bench.servers import gunicorn as serve

PYTHON = sys.executable


def marker() -> str:
    """A unique word of letters only: a run of six digits (as in a hex token) is a record number
    to the PHI rules, so a comment carrying one would come back with a warning or be held."""
    return uuid.uuid4().hex.translate(str.maketrans("0123456789", "ghijklmnop"))


def setup_django(database: str | None = None) -> None:
    """Set Django up in this process for an in-process benchmark: the test settings (unless the
    environment names others, as bench/pages.py's helper process inherits bench.settings), and, given
    a name, a new SQLite database in a temporary folder removed at exit, so a run never touches
    db.sqlite3 or another run's figures."""
    if database is not None:
        folder = tempfile.mkdtemp(prefix="rounds-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/{database}.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rounds.settings.test")
    django.setup()


def bench_env(database_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


@contextmanager
def temporary_sqlite():
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.sqlite3"


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def filled_site(database_url: str | None = None, **extra: str):
    """A throwaway site (SQLite unless `database_url` names another, empty, database) with the demo
    content and bench.fill's (200 posts, 50 terms, a post with 500 comments), static files
    collected in a temporary folder; yields its environment."""
    with temporary_sqlite() as sqlite_url:
        static_root = sqlite_url.removeprefix("sqlite:///").rsplit("/", 1)[0] + "/static"
        env = bench_env(database_url or sqlite_url, STATIC_ROOT=static_root, **extra)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", "from bench.fill import fill; fill()")
        yield env


@contextmanager
def gunicorn(env: dict, workers: int = 2):
    """The project under gunicorn, as production runs it; yields the base URL."""
    with serve(env, workers=workers, ready_path="/bench/ok/", extra_args=["--log-level", "error"]) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def bare_gunicorn(workers: int = 2):
    """The truly bare Django app (bench/bare: no apps, no middleware, one "ok" view) under the same
    gunicorn: the real ceiling of this stack; yields the base URL (its view is /bench/ok/)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    with serve(
        env,
        workers=workers,
        ready_path="/bench/ok/",
        extra_args=["--log-level", "error"],
        app="bench.bare.wsgi",
    ) as port:
        yield f"http://127.0.0.1:{port}"


def load(url: str, seconds: float = 5.0, concurrency: int = 4, headers: dict | None = None) -> dict:
    """GET load on loopback, bounded in time: wrk when installed (`make bench` installs it), else threads."""
    if shutil.which("wrk"):
        return wrk(url, seconds, concurrency, headers or {})
    return threaded_load(url, seconds, concurrency, headers or {})


def _wrk_ms(value: str) -> float:
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * units[unit]
    return float(value)


def wrk(url: str, seconds: float, concurrency: int, headers: dict | None = None) -> dict:
    header_args = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, int(seconds))}s", "--latency", *header_args, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = {"errors": 0, "rps": 0.0, "p50_ms": 0.0, "p99_ms": 0.0}
    for line in output.splitlines():
        parts = line.split()
        if line.strip().startswith("50%"):
            figures["p50_ms"] = _wrk_ms(parts[1])
        elif line.strip().startswith("99%"):
            figures["p99_ms"] = _wrk_ms(parts[1])
        elif line.startswith("Requests/sec:"):
            figures["rps"] = float(parts[1])
        elif "requests in" in line:
            figures["requests"] = int(parts[0])
        elif line.strip().startswith("Non-2xx") or line.strip().startswith("Socket errors"):
            figures["errors"] += sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    return figures


def threaded_load(url: str, seconds: float = 5.0, concurrency: int = 4, headers: dict | None = None) -> dict:
    """Closed-loop load from `concurrency` threads on loopback, bounded in time."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        nonlocal errors
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
                with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def report(name: str, figures: dict, ceiling: dict | None = None) -> None:
    ratio = f"  ratio_to_ceiling {figures['rps'] / ceiling['rps']:.2f}" if ceiling and ceiling["rps"] else ""
    print(
        f"{name:<28} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.2f} ms  "
        f"p99 {figures['p99_ms']:7.2f} ms  errors {figures['errors']}{ratio}"
    )
