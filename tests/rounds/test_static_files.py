"""Static files in production: hashed names, far-future headers, pre-compressed copies."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent(
    """
    import django
    from django.core.management import call_command
    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.templatetags.static import static
    from django.test import Client
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css"), url
    client = Client()
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    print(plain.status_code, plain["Cache-Control"].replace(" ", ""), zipped.get("Content-Encoding"), url)
    """
)


def test_static_files_have_hashed_names_far_future_headers_and_compression(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "rounds.settings.production",
        "SECRET_KEY": "static-check-not-secret",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, cache_control, encoding, url = result.stdout.strip().splitlines()[-1].split(" ")
    assert status == "200"
    assert "max-age=315360000" in cache_control and "immutable" in cache_control
    assert encoding in {"gzip", "br"}
