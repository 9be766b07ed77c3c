"""Real nginx (deploy/nginx/rounds.conf, a self-signed certificate) ending TLS in front of gunicorn
(deploy/gunicorn.conf.py, production settings, HTTPS=true, TRUSTED_PROXIES=127.0.0.1): what a
hospital's reader and editor see through it. In CI a missing nginx fails; on a laptop it skips."""

import http.client
import os
import re
import ssl
import subprocess
import sys
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest

from tests.helpers import comment_form_fields
from tests.servers import ROOT, free_port, gunicorn, require

from .nginx import nginx_binary, running, site_for_test

POST_PATH = "/blog/three-reminders-and-no-way-to-reschedule/"
ADMIN_PASSWORD = "tls-test-password-9f2k"
FORGED_ADDRESS = "203.0.113.66"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies(self) -> SimpleCookie:
        jar = SimpleCookie()
        for header in self.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return jar


@dataclass
class Stack:
    env: dict
    http_port: int
    https_port: int
    context: ssl.SSLContext

    def request(
        self, method: str, path: str, *, tls: bool = True, headers: dict | None = None, body: str = ""
    ) -> Answer:
        if tls:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, context=self.context, timeout=20
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=20)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read().decode(errors="replace"))
        finally:
            connection.close()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def shell(self, code: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require(nginx_binary() is not None, "nginx (make nginx installs it)")
    folder = tmp_path_factory.mktemp("tls-stack")
    http_port, https_port = free_port(), free_port()
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DATABASE_URL")
        },
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "tls-test-not-secret-but-long-enough-for-the-checks-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": f"https://127.0.0.1:{https_port}",
        "HTTPS": "true",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "STATIC_ROOT": str(folder / "static"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "WEB_CONCURRENCY": "2",
    }
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True, timeout=300
        )
    Stack(env, 0, 0, ssl.create_default_context()).shell(
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser("
        f"'editor', 'editor@example.org', '{ADMIN_PASSWORD}'); print('ok')"
    )
    with ExitStack() as resources:
        app_port = resources.enter_context(
            gunicorn(
                env,
                workers=2,
                ready_path="/healthz",  # exempt from the HTTPS redirect, as a load balancer's probe is
                log=folder / "gunicorn.log",
                extra_args=["-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            )
        )
        main = site_for_test(folder, http_port=http_port, https_port=https_port, app_port=app_port)
        resources.enter_context(running(main, http_port))
        context = ssl.create_default_context(cafile=str(folder / "cert.pem"))
        yield Stack(env, http_port, https_port, context)


def test_plain_http_is_redirected_to_https(stack):
    answer = stack.request("GET", POST_PATH, tls=False)
    assert answer.status == 301
    assert answer.headers["Location"].startswith("https://") and answer.headers["Location"].endswith(
        POST_PATH
    )


def test_a_forged_forwarded_proto_over_plain_http_is_still_redirected(stack):
    answer = stack.request("GET", POST_PATH, tls=False, headers={"X-Forwarded-Proto": "https"})
    assert answer.status == 301


def test_https_pages_carry_hsts(stack):
    answer = stack.request("GET", POST_PATH)
    assert answer.status == 200
    assert "max-age=31536000" in answer.headers["Strict-Transport-Security"]


def test_a_forged_forwarded_proto_over_https_changes_nothing(stack):
    """nginx sets the header from its own scheme: a reader claiming "http" gets no redirect loop."""
    answer = stack.request("GET", POST_PATH, headers={"X-Forwarded-Proto": "http"})
    assert answer.status == 200


def test_a_comment_posts_and_a_forged_forwarded_for_is_not_its_address(stack):
    page = stack.request("GET", POST_PATH)
    fields = comment_form_fields(page.body)
    text = "Through nginx and TLS: the reminder came three times."
    fields.update(comment=text, name="A reader")
    posted = stack.request(
        "POST",
        "/comments/post/",
        body=urllib.parse.urlencode(fields),
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": FORGED_ADDRESS},
    )
    assert posted.status in (302, 303), posted.body[:500]
    stored = stack.shell(
        "from django_comments_xtd.models import XtdComment; "
        f"c = XtdComment.objects.get(comment={text!r}); print(c.ip_address)"
    )
    assert stored == "127.0.0.1"  # the reader nginx saw, not the address they claimed


def test_the_admin_logs_in_with_secure_cookies(stack):
    login = stack.request("GET", "/admin/login/")
    assert login.status == 200
    csrf_cookie = login.cookies()["csrftoken"]
    assert csrf_cookie["secure"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
    answer = stack.request(
        "POST",
        "/admin/login/",
        body=urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": "editor", "password": ADMIN_PASSWORD}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.value}",
            "Origin": stack.origin,
            "Referer": f"{stack.origin}/admin/login/",
        },
    )
    assert answer.status == 302, answer.body[:500]
    session = answer.cookies()["sessionid"]
    assert session["secure"] and session["httponly"]
    dashboard = stack.request("GET", "/admin/", headers={"Cookie": f"sessionid={session.value}"})
    assert dashboard.status == 200
    assert "editor" in dashboard.body
