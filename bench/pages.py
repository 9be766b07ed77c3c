"""Requests/s and latency of the home page and a post, next to a bare Django view, under gunicorn.

.venv/bin/python bench/pages.py [--seconds 5]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import bench_env, gunicorn, load, manage, report, temporary_sqlite


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  gunicorn workers: 2  client threads: 4  seconds per URL: {args.seconds}")
    with temporary_sqlite() as database_url:
        env = bench_env(database_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo")
        with gunicorn(env) as base:
            urls = {
                "ceiling (bare view)": "/bench/ok/",
                "home": "/",
                "post": "/blog/three-reminders-and-no-way-to-reschedule/",
            }
            for path in urls.values():
                load(base + path, seconds=0.5)  # warm up
            ceiling = load(base + urls["ceiling (bare view)"], args.seconds)
            report("ceiling (bare view)", ceiling)
            for name in ("home", "post"):
                report(name, load(base + urls[name], args.seconds), ceiling)


if __name__ == "__main__":
    main()
