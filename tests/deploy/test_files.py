"""Every file in deploy/ is checked here or by a named test: systemd units with
`systemd-analyze verify`, the nginx site with `nginx -t`, the environment file against the settings."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT, free_port, require

from .nginx import nginx_binary, site_for_test, test_config

DEPLOY = ROOT / "deploy"
# Each file of deploy/ and the test that checks it.
CHECKED_BY = {
    "gunicorn.conf.py": "tests/deploy/test_tls.py (gunicorn runs with it) and test_serve.py",
    "serve.py": "tests/deploy/test_serve.py",
    "rounds.env": "test_the_environment_file_is_accepted_by_production_settings",
    "nginx/rounds.conf": "test_the_nginx_site_passes_nginx_t and tests/deploy/test_tls.py",
    "systemd/rounds.socket": "test_the_systemd_units_verify",
    "systemd/rounds-gunicorn.service": "test_the_systemd_units_verify",
    "systemd/rounds-worker.service": "test_the_systemd_units_verify",
    "systemd/rounds-scheduler.service": "test_the_systemd_units_verify",
    "varnish/rounds.vcl": "tests/test_varnish.py",
}
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
UNITS = sorted((DEPLOY / "systemd").iterdir())


def test_every_file_in_deploy_is_checked_by_a_test():
    files = {
        path.relative_to(DEPLOY).as_posix()
        for path in DEPLOY.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert files == set(CHECKED_BY), "a file of deploy/ without a test (or a test without its file)"


def _units_on_test_paths(folder: Path) -> list[Path]:
    """The units with /srv/rounds and /etc/rounds moved under `folder`, and stand-ins for the
    programs they start, so `verify` finds every path it checks."""
    app, env = folder / "srv", folder / "etc" / "env"
    (app / ".venv" / "bin").mkdir(parents=True)
    env.parent.mkdir()
    shutil.copy(DEPLOY / "rounds.env", env)
    (app / "manage.py").touch()
    for program in ("gunicorn", "python"):
        stand_in = app / ".venv" / "bin" / program
        stand_in.write_text("#!/bin/sh\n")
        stand_in.chmod(0o755)
    copies = []
    for unit in UNITS:
        text = unit.read_text()
        assert "/srv/rounds" in text and "/etc/rounds/env" in text or unit.suffix == ".socket", unit
        copy = folder / unit.name
        copy.write_text(text.replace("/srv/rounds", str(app)).replace("/etc/rounds/env", str(env)))
        copies.append(copy)
    return copies


def _verify(units: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [
            shutil.which("systemd-analyze") or "systemd-analyze",
            "verify",
            "--man=no",
            *(f"./{unit.name}" for unit in units),
        ],
        cwd=units[0].parent,
        capture_output=True,
        text=True,
    )


def test_the_systemd_units_verify(tmp_path):
    require(shutil.which("systemd-analyze") is not None, "systemd-analyze")
    assert [unit.name for unit in UNITS] == [
        "rounds-gunicorn.service",
        "rounds-scheduler.service",
        "rounds-worker.service",
        "rounds.socket",
    ]
    result = _verify(_units_on_test_paths(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_the_verifier_refuses_a_broken_unit(tmp_path):
    """Prove the check above can fail: a misspelt ExecStart is refused."""
    require(shutil.which("systemd-analyze") is not None, "systemd-analyze")
    units = _units_on_test_paths(tmp_path)
    worker = next(unit for unit in units if unit.name == "rounds-worker.service")
    worker.write_text(worker.read_text().replace("ExecStart=", "ExecStrat="))
    assert _verify([worker]).returncode != 0


def test_gunicorn_is_socket_activated():
    socket_unit = (DEPLOY / "systemd" / "rounds.socket").read_text()
    service = (DEPLOY / "systemd" / "rounds-gunicorn.service").read_text()
    assert "Service=rounds-gunicorn.service" in socket_unit
    assert "Requires=rounds.socket" in service
    assert "ListenStream=/run/rounds/gunicorn.sock" in socket_unit
    assert "server unix:/run/rounds/gunicorn.sock" in (DEPLOY / "nginx" / "rounds.conf").read_text()


def test_the_nginx_site_passes_nginx_t(tmp_path):
    require(nginx_binary() is not None, "nginx (make nginx installs it)")
    main = site_for_test(tmp_path, http_port=free_port(), https_port=free_port(), app_port=free_port())
    result = test_config(main)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_nginx_site_sets_the_forwarded_headers_rather_than_appending():
    site = (DEPLOY / "nginx" / "rounds.conf").read_text()
    assert site.count("proxy_set_header X-Forwarded-For $remote_addr;") == 2
    assert site.count("proxy_set_header X-Forwarded-Proto $scheme;") == 2
    assert "$proxy_add_x_forwarded_for" not in site


def test_the_environment_file_is_accepted_by_production_settings():
    names = {}
    for line in (DEPLOY / "rounds.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            names[name] = value
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "BASE_URL", "HTTPS", "TRUSTED_PROXIES", "DATABASE_URL"} <= set(
        names
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **names},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("unit", [u.name for u in UNITS if u.suffix == ".service"])
def test_every_service_reads_the_environment_file_and_shares_the_metrics_folder(unit):
    text = (DEPLOY / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/rounds/env" in text
    assert "Environment=PROMETHEUS_MULTIPROC_DIR=/run/rounds-metrics" in text
