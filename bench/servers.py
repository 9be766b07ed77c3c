"""Real servers for the benchmarks and the tests that need them: gunicorn on a free loopback port,
Varnish in front of it (deploy/varnish/rounds.vcl), and a PostgreSQL database of the caller's own,
so the suite's test database is never touched.

Shared by bench/ and tests/ (which import it from here); it imports nothing of either."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("MULTISERVER_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception:  # any failure means "not reachable"
        return False
    return True


def redis_reachable(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception:  # any failure means "not reachable"
        return False
    return True


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test module; its URL. Dropped afterwards."""
    import psycopg

    if not postgres_reachable():
        raise RuntimeError(f"PostgreSQL is not reachable at {POSTGRES}")
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_answering(url: str, process: subprocess.Popen, name: str, log: Path | None = None) -> None:
    """Return once `url` answers 2xx/3xx (an error page, e.g. Varnish's 503 before its backend is
    up, means not yet). RuntimeError, with the end of `log`, if `process` exits or a minute passes
    first, so a server that cannot start fails the run instead of hanging it."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 (our own loopback server)
                return
        except OSError:  # refused while booting, a timeout while a worker imports, or an error page
            if time.monotonic() > deadline or process.poll() is not None:
                detail = log.read_text()[-2000:] if log else ""
                raise RuntimeError(f"{name} did not start {detail}") from None
            time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """Ask a server to stop, and kill it if it has not within 20 s, so no run leaves one behind."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def gunicorn(
    env: dict,
    *,
    workers: int = 1,
    ready_path: str = "/robots.txt",
    log: Path | None = None,
    extra_args: Sequence[str] = (),
    app: str = "rounds.wsgi",
) -> Iterator[int]:
    """Serve the project (or another WSGI `app`) with gunicorn on a free port; yields the port once
    `ready_path` answers."""
    port = free_port()
    output = log.open("wb") if log else None
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            *extra_args,
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}{ready_path}", process, "gunicorn", log)
        yield port
    finally:
        stop(process)
        if output:
            output.close()


VCL = ROOT / "deploy" / "varnish" / "rounds.vcl"
BACKEND_PORT = '.port = "8000";'


def _varnishd() -> str | None:
    # Debian installs it in /usr/sbin, which a user's PATH may leave out.
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")


def varnish_available() -> bool:
    return _varnishd() is not None


@contextmanager
def varnish(backend_port: int, *, port: int | None = None, memory: str = "64m") -> Iterator[int]:
    """deploy/varnish/rounds.vcl served by a real varnishd on a free port, in front of the app on
    `backend_port` (the VCL's one backend line rewritten); yields the port once Varnish answers.
    Stopped, and its working directory removed, on exit."""
    vcl = VCL.read_text()
    if vcl.count(BACKEND_PORT) != 1:
        raise RuntimeError(f"{VCL} must name its backend port once, as {BACKEND_PORT}")
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="rounds-varnish-") as folder:
        copy = Path(folder) / "rounds.vcl"
        copy.write_text(vcl.replace(BACKEND_PORT, f'.port = "{backend_port}";'))
        log = Path(folder) / "varnishd.log"
        with log.open("wb") as output:
            # -j none: no privilege separation, so a root CI job need not open the folder to the
            # varnish user; -F: in the foreground, so terminate() stops it.
            process = subprocess.Popen(
                [_varnishd() or "varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{port}", "-f", str(copy)]
                + ["-n", str(Path(folder) / "work"), "-s", f"malloc,{memory}"],
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_until_answering(f"http://127.0.0.1:{port}/robots.txt", process, "varnishd", log)
                yield port
            finally:
                stop(process)
