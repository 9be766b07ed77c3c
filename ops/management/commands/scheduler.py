"""manage.py scheduler: ops.schedule.tick every minute until SIGINT or SIGTERM (make serve and the
rounds-scheduler systemd unit run it). One is enough per installation; two would only repeat work."""

import signal
import threading

from django.core.management.base import BaseCommand

from ops.schedule import tick


class Command(BaseCommand):
    help = "Publish scheduled posts, prune old task results and queue the worker's heartbeat, every minute."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between rounds (60)")
        parser.add_argument(
            "--keep-days", type=int, default=7, help="days finished task results are kept (7)"
        )
        parser.add_argument("--once", action="store_true", help="one round, then exit")

    def handle(self, *args, interval: float, keep_days: int, once: bool, **options) -> None:
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Scheduler started: every {interval:g} s, task results kept {keep_days} days")
        while not stop.is_set():
            tick(keep_days)
            if once:
                break
            stop.wait(interval)
        self.stdout.write("Scheduler stopped")
