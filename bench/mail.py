"""Follow by email at scale: 1,000 and 10,000 confirmed subscribers, a post published, the mail
sent by the real task worker (`manage.py db_worker`, production settings) to a local SMTP sink.

Prints messages/s, SMTP connections opened, the worker's peak memory (VmHWM) at 1,000 and 10,000
subscribers, and the time from publishing to the last message accepted. Then the crash: a new
post to 10,000 subscribers, the worker killed (SIGKILL) halfway through and restarted
(`resume_mailings`), and a count from the sink of how many copies each subscriber got.

    .venv/bin/python bench/mail.py              # SQLite, then PostgreSQL when reachable
    .venv/bin/python bench/mail.py --sqlite     # SQLite only

Goals: at least 200 messages/s; worker memory flat from 1,000 to 10,000; exactly one copy each
after the crash.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, bench_env, manage, setup_django, temporary_sqlite
from bench.servers import ROOT, postgres_database, postgres_reachable
from bench.smtp_sink import smtp_sink

CLAIM_SECONDS = 3


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _peak_kb(process: subprocess.Popen) -> int:
    for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _subscribers(total: int) -> None:
    from subscriptions.models import Subscriber

    have = Subscriber.objects.count()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{n}@example.org", status="confirmed") for n in range(have, total)],
        batch_size=2000,
    )


def _new_post(title: str):
    from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor

    index = BlogIndexPage.objects.first()
    post = BlogPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        intro="What changes on the wards this month.",
        body='[{"type": "paragraph", "value": "<p>From Monday, visiting hours are longer.</p>"}]',
        live=False,
    )
    index.add_child(instance=post)
    BlogPageAuthor.objects.create(page=post, author=Author.objects.first())
    return post


def _wait(condition, timeout: float, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _left(post_id: int) -> int:
    from subscriptions.models import Delivery

    return Delivery.objects.filter(post_id=post_id, state__in=["queued", "claimed"]).count()


def _round(env: dict, sink, total: int, log: Path) -> dict:
    _subscribers(total)
    with sink.lock:
        sink.counts.clear()
        sink.accepted = 0
        sink.connections = 0
    post = _new_post(f"Visiting hours {total}")
    worker = _worker(env, log)
    time.sleep(1.0)  # the worker is up and polling
    started = time.monotonic()
    post.save_revision().publish()  # page_published -> the mailing's task row, for the worker
    first_at = None
    if _wait(lambda: sink.accepted >= 1, 60, step=0.005):
        first_at = time.monotonic()
    _wait(lambda: sink.accepted >= total, 300, step=0.005)
    last_at = time.monotonic()
    peak = _peak_kb(worker)
    _stop(worker)
    sent = sink.accepted
    return {
        "subscribers": total,
        "sent": sent,
        "messages/s": round(sent / max(last_at - (first_at or started), 1e-9)),
        "connections": sink.connections,
        "peak MB": round(peak / 1024, 1),
        "publish to last accepted s": round(last_at - started, 2),
    }


def _crash(env: dict, sink, total: int, log: Path) -> dict:
    from subscriptions import tasks
    from subscriptions.models import Delivery

    post = _new_post("After the crash")
    worker = _worker(env, log)
    time.sleep(1.0)
    post.save_revision().publish()
    _wait(lambda: sink.of_post(post.pk) >= total // 2, 600, step=0.002)
    _stop(worker, signal.SIGKILL)
    at_kill = sink.of_post(post.pk)
    time.sleep(CLAIM_SECONDS + 0.5)  # the dead worker's claims expire
    worker = _worker(env, log)
    tasks.resume()  # what cron's `manage.py resume_mailings` does
    _wait(lambda: _left(post.pk) == 0, 600)
    time.sleep(0.5)
    _stop(worker)
    # Copies of this post only (the previous round's leftovers, if any, are another post).
    copies = [sink.by_post.get((f"reader{n}@example.org", post.pk), 0) for n in range(total)]
    states = dict(
        Delivery.objects.filter(post_id=post.pk)
        .values_list("state")
        .annotate(n=__import__("django").db.models.Count("pk"))
    )
    return {
        "killed after": at_kill,
        "exactly one": copies.count(1),
        "none": copies.count(0),
        "more than one": sum(1 for c in copies if c > 1),
        "rows": states,
    }


def _load() -> str:
    """The load average as the figure was taken: figures measured under load say so."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def run(database_url: str, label: str) -> None:
    sink, controller = smtp_sink(keep_bodies=False)
    env = bench_env(
        database_url,
        EMAIL_HOST=sink.host,
        EMAIL_PORT=str(sink.port),
        SUBSCRIPTIONS_CLAIM_SECONDS=str(CLAIM_SECONDS),
        BASE_URL="https://rounds.example-hospital.org",
        TRUSTED_PROXIES="127.0.0.1",
        COMMENT_RATE_LIMIT="0",
    )
    os.environ.update(env)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "db_worker", "--batch", "--no-startup-delay")  # the demo's own tasks, out of the way
    setup_django()
    log = Path(tempfile.gettempdir()) / f"bench-mail-{label.lower()}.log"
    log.write_text("")
    try:
        for total in (1_000, 10_000):
            print(label, _round(env, sink, total, log), _load(), flush=True)
        print(label, "crash:", _crash(env, sink, 10_000, log), _load(), flush=True)
    finally:
        controller.stop()


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which == "":
        # Django is set up once per process, on one database: each run gets a process of its own.
        for each in ("--sqlite", "--postgres"):
            subprocess.run([PYTHON, __file__, each], check=True)
    if which == "--sqlite":
        with temporary_sqlite() as url:
            run(url, "SQLite")
    if which == "--postgres":
        if not postgres_reachable():
            print("PostgreSQL not reachable: skipped")
            return
        with postgres_database("bench_mail") as url:
            run(url, "PostgreSQL")


if __name__ == "__main__":
    main()
