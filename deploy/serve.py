"""`make serve`: the production processes of one machine, in the foreground, until Ctrl-C.

    gunicorn (deploy/gunicorn.conf.py), manage.py db_worker, manage.py scheduler,
    and with VARNISH=1 varnishd (deploy/varnish/rounds.vcl) in front of gunicorn.

Production settings on loopback: PORT (8000) is where readers connect (Varnish's port with
VARNISH=1, gunicorn's otherwise; gunicorn then takes PORT + 1). Every process writes its logs to
this terminal. Ctrl-C (SIGINT to the process group) or SIGTERM to this script stops them all; if
one of them dies, the others are stopped too and the exit status says so. Before starting, the
database is migrated and static files collected (--no-setup skips both).

Only the standard library here: it runs before anything of Django is loaded. Settings come from
the environment as for any server (README "Configuration"); without SECRET_KEY a random one is kept
in .serve-secret-key beside manage.py, so a laptop needs nothing set.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "rounds.vcl"
BACKEND_PORT = '.port = "8000";'
STOP_SECONDS = 25


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "rounds.settings.production")
    env["PYTHONUNBUFFERED"] = "1"  # each line reaches the terminal as it is written
    if not env.get("SECRET_KEY"):
        key_file = ROOT / ".serve-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["SECRET_KEY"] = key_file.read_text().strip()
    # Every process's metric counts in one folder, emptied at each start (ops/counters.py).
    metrics = folder / "metrics"
    metrics.mkdir()
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
    return env


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def varnishd() -> str:
    found = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
    if not found:
        sys.exit("VARNISH=1 needs varnishd: make varnish installs it")
    return found


def commands(env: dict[str, str], folder: Path, port: int, with_varnish: bool) -> dict[str, list[str]]:
    app_port = port + 1 if with_varnish else port
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    found = {
        "gunicorn": [
            *gunicorn,
            "-b",
            f"127.0.0.1:{app_port}",
            "-w",
            env.get("WEB_CONCURRENCY", "2"),
            "rounds.wsgi",
        ],
        "worker": manage("db_worker", "--interval", "1"),
        "scheduler": manage("scheduler"),
    }
    if with_varnish:
        vcl = folder / "rounds.vcl"
        vcl.write_text(VCL.read_text().replace(BACKEND_PORT, f'.port = "{app_port}";'))
        found["varnish"] = [varnishd(), "-F", "-j", "none", "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
        found["varnish"] += ["-n", str(folder / "varnish"), "-s", "malloc,256m"]
        env["FRONTEND_CACHE_URL"] = f"http://127.0.0.1:{port}"
    return found


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"serve: {name} did not stop in {STOP_SECONDS} s; killed")
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-setup", action="store_true", help="skip migrate and collectstatic")
    options = parser.parse_args()
    port = int(os.environ.get("PORT", "8000"))
    with_varnish = os.environ.get("VARNISH", "") not in ("", "0")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    with tempfile.TemporaryDirectory(prefix="rounds-serve-") as name:
        folder = Path(name)
        env = environment(folder)
        if not options.no_setup:
            for setup in (manage("migrate", "--noinput"), manage("collectstatic", "--noinput", "-v0")):
                subprocess.run(setup, cwd=ROOT, env=env, check=True)  # noqa: S603
        processes = {}
        for process_name, command in commands(env, folder, port, with_varnish).items():
            processes[process_name] = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
            say(f"serve: started {process_name} (pid {processes[process_name].pid})")
        say(f"serve: Rounds is at http://127.0.0.1:{port}/ (Ctrl-C stops everything)")
        failed = ""
        while not stopping and not failed:
            failed = next((n for n, p in processes.items() if p.poll() is not None), "")
            time.sleep(0.2)
        if failed:
            say(f"serve: {failed} exited ({processes[failed].returncode}); stopping the others")
        stop(processes)
        say("serve: stopped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
