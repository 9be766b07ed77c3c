"""Requests/s and p50/p99 latency of the public pages next to a bare Django view, under gunicorn.

    make bench            (or: .venv/bin/python bench/pages.py [--seconds 5])

One run fills a temporary SQLite database (seed_demo, 200 more posts, 50 glossary terms and a post
with 500 comments), then serves it with gunicorn (2 workers, production settings) four ways: with
the page cache in local memory, with the page cache in Redis, with the page cache off (comment lists
still cached), and with every cache off. For each
it measures a bare view returning "ok" (the ceiling), the home page, the post with 500 comments, the
glossary index and a comment POST, and prints each page's ratio to the ceiling.
"""

import argparse
import os
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import bench_env, gunicorn, load, manage, report, temporary_sqlite

LONG_POST = "/blog/a-post-with-five-hundred-comments/"
PAGES = {"home": "/", "post, 500 comments": LONG_POST, "glossary index": "/glossary/"}
FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="(?P<name>[^"]+)"(?:[^>]*?\bvalue="(?P<value>[^"]*)")?')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def comment_post_latency(base: str, count: int = 40) -> dict:
    """Sequential comment POSTs through the real form (fields read from the page), timed alone."""
    opener = urllib.request.build_opener(_NoRedirect)
    latencies, failures = [], 0
    for n in range(count):
        html = urllib.request.urlopen(base + LONG_POST).read().decode()  # noqa: S310
        form = html[html.index('action="/comments/post/"') :]
        fields = {m["name"]: m["value"] or "" for m in FIELD.finditer(form[: form.index("</form>")])}
        fields.pop("followup", None)
        fields.update(
            name="Benchmark reader",
            email="",
            comment=f"Benchmark comment {n} {uuid.uuid4().hex}",
            honeypot="",
        )
        data = urllib.parse.urlencode(fields).encode()
        start = time.perf_counter()
        try:
            response = opener.open(base + "/comments/post/", data=data, timeout=10)
            status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        latencies.append(time.perf_counter() - start)
        failures += status not in (302, 303)
    latencies.sort()
    return {
        "requests": count,
        "errors": failures,
        "rps": count / sum(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[-1] * 1000,
    }


def measure(label: str, env: dict, seconds: float) -> None:
    print(f"\n== {label}")
    with gunicorn(env) as base:
        for path in ["/bench/ok/", *PAGES.values()]:
            load(base + path, seconds=1)  # warm up workers and caches
        ceiling = load(base + "/bench/ok/", seconds)
        report("ceiling (bare view)", ceiling)
        for name, path in PAGES.items():
            report(name, load(base + path, seconds), ceiling)
        report("comment POST", comment_post_latency(base), ceiling)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(
        f"cores: {os.cpu_count()}  gunicorn workers: 2  "
        f"load: wrk (or threads), 4 connections, {args.seconds}s per URL"
    )
    with temporary_sqlite() as database_url:
        static_root = database_url.removeprefix("sqlite:///").rsplit("/", 1)[0] + "/static"
        env = bench_env(database_url, STATIC_ROOT=static_root, COMMENT_RATE_LIMIT="0")
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", "from bench.fill import fill; fill()")
        redis = {
            "REDIS_URL": "redis://127.0.0.1:6379/14",
            "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        }
        measure("page cache in local memory", {**env, "PAGE_CACHE_SECONDS": "3600"}, args.seconds)
        measure("page cache in Redis", {**env, **redis, "PAGE_CACHE_SECONDS": "3600"}, args.seconds)
        off = {**env, **redis, "PAGE_CACHE_SECONDS": "0"}
        measure("page cache off (comment lists still cached)", off, args.seconds)
        measure(
            "nothing cached (every request renders everything)",
            {**off, "COMMENT_LIST_CACHE_SECONDS": "0"},
            args.seconds,
        )


if __name__ == "__main__":
    main()
