"""Requests/s and p50/p99 latency through Varnish (deploy/varnish/rounds.vcl), next to bare Django.

    make bench            (or: .venv/bin/python bench/varnish.py [--seconds 5])

One run fills a temporary SQLite database as bench/pages.py does (seed_demo, 200 more posts, 50
glossary terms and a post with 500 comments) and serves it with gunicorn (2 workers, production
settings, page cache in local memory), with a real varnishd in front of it. It measures the bare
Django view returning "ok" straight from gunicorn (the ceiling), then the pages through Varnish for
a client that accepts gzip (as browsers do) and, for the long post, for one that does not (Varnish
unzips its stored copy) and straight from gunicorn. Each at 4 connections (bench/pages.py's load),
the ceiling and the long post also at 32. Goal: the long post through Varnish, gzip, at least 3 x
the ceiling.
"""

import argparse
import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import filled_site, gunicorn, load, report
from bench.pages import LONG_POST
from bench.servers import varnish

GZIP = {"Accept-Encoding": "gzip"}
PAGES = {"home": "/", "post, 500 comments": LONG_POST, "glossary index": "/glossary/"}
GOAL = 3.0


def _varnish_state(url: str, headers: dict) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:  # noqa: S310
        response.read()
        encoding = response.headers.get("Content-Encoding") or "plain"
        return f"{response.headers.get('X-Varnish-Cache')}, {encoding}"


def measure(env: dict, seconds: float) -> None:
    with gunicorn(env) as app, varnish(int(app.rsplit(":", 1)[1])) as port:
        front = f"http://127.0.0.1:{port}"
        for url, headers in [
            (app + "/bench/ok/", {}),
            *((front + path, GZIP) for path in PAGES.values()),
        ]:
            load(url, seconds=1, headers=headers)  # warm up workers and both caches
        load(app + LONG_POST, seconds=1, headers=GZIP)
        print(f"long post through Varnish answers: {_varnish_state(front + LONG_POST, GZIP)}")

        for connections in (4, 32):
            print(f"\n== {connections} connections")
            ceiling = load(app + "/bench/ok/", seconds, concurrency=connections)
            report("ceiling (bare view, gunicorn)", ceiling)
            paths = PAGES.items() if connections == 4 else [("post, 500 comments", LONG_POST)]
            for name, path in paths:
                figures = load(front + path, seconds, concurrency=connections, headers=GZIP)
                report(f"varnish {name}, gzip", figures, ceiling)
                if path == LONG_POST:
                    ratio = figures["rps"] / ceiling["rps"]
                    verdict = "meets" if ratio >= GOAL else "MISSES"
                    print(f"  -> {ratio:.2f} x bare Django ({verdict} the {GOAL} x goal)")
            long_plain = load(front + LONG_POST, seconds, concurrency=connections)
            report("varnish long post, no gzip", long_plain, ceiling)
            report("gunicorn long post, gzip", load(app + LONG_POST, seconds, connections, GZIP), ceiling)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(
        f"cores: {os.cpu_count()}  gunicorn workers: 2  varnish: malloc 64 MB  "
        f"load: wrk (or threads), {args.seconds}s per URL"
    )
    with filled_site(PAGE_CACHE_SECONDS="3600") as env:
        measure(env, args.seconds)


if __name__ == "__main__":
    main()
