"""deploy/nginx/rounds.conf on test paths and ports: a real nginx (Debian's) run by a test, or
checked with `nginx -t`. Shared by the tests of tests/deploy/."""

import http.client
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.servers import ROOT

SITE = ROOT / "deploy" / "nginx" / "rounds.conf"

MAIN = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/rounds.conf;
}}
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, made with Debian's openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def site_for_test(folder: Path, *, http_port: int, https_port: int, app_port: int) -> Path:
    """The site with its ports, certificate, socket and media folder moved to the test's own;
    every rewrite must find its line, so the test follows the file as it changes."""
    cert, key = certificate(folder)
    text = SITE.read_text()
    rewrites = {
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "server unix:/run/rounds/gunicorn.sock": f"server 127.0.0.1:{app_port}",
        "/etc/letsencrypt/live/blog.example-hospital.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/blog.example-hospital.org/privkey.pem": str(key),
        "/srv/rounds/media/": f"{folder}/media/",
    }
    for old, new in rewrites.items():
        assert old in text, f"{SITE} no longer has {old!r}: update the test's rewrites"
        text = text.replace(old, new)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "rounds.conf").write_text(text)
    main = folder / "nginx.conf"
    main.write_text(MAIN.format(folder=folder))
    return main


def test_config(main: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [nginx_binary() or "nginx", "-t", "-c", str(main), "-e", str(main.parent / "error.log")],
        capture_output=True,
        text=True,
    )


test_config.__test__ = False  # a helper, not a test


@contextmanager
def running(main: Path, http_port: int) -> Iterator[None]:
    """nginx in the foreground with this configuration until the block ends."""
    process = subprocess.Popen(  # noqa: S603
        [
            nginx_binary() or "nginx",
            "-c",
            str(main),
            "-e",
            str(main.parent / "error.log"),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
            try:
                connection.request("GET", "/healthz")
                connection.getresponse()  # any answer (the redirect to HTTPS) means it serves
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError((main.parent / "error.log").read_text()[-2000:]) from None
                time.sleep(0.2)
            finally:
                connection.close()
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)
