"""Rounds at scale: 10,000 posts and 1,000,000 comments on PostgreSQL (100,000 on SQLite), and what
each reader and admin page costs, cold (page cache and comment-list cache off, every cache emptied
before each request), at 10,000 comments and at the full size.

For each page: the best of three times and the SQL query count at both sizes, and their ratio (the
goal: at most 1.5 x, the same query count; the queue's page of 50 rows at most 100 ms). Then the
generation time, the peak memory (VmHWM), the database's size and the comment tables' size, for
the capacity plan. The content is bench/scale_fill.py's.

Run from the project root:
  .venv/bin/python bench/scale.py                  # PostgreSQL (1M) when reachable, then SQLite (100k)
  .venv/bin/python bench/scale.py --only postgresql --keep    # keep the database `scale_bench`
  .venv/bin/python bench/scale.py --only postgresql --reuse   # measure the kept one, no generation
Sizes: BENCH_SCALE_SIZES="10000,1000000" (PostgreSQL), BENCH_SCALE_SQLITE="10000,100000".
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.servers import POSTGRES, postgres_reachable

DATABASE = "scale_bench"
POSTS = int(os.environ.get("BENCH_SCALE_POSTS", "10000"))
REPEATS = 3


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pages(big, comment_pk: int, term_slug: str) -> list[tuple[str, str, bool]]:
    """(label, path, as the moderator) for every page of the table."""
    from blog.models import BlogIndexPage
    from comments.listing import per_page, threads

    index = BlogIndexPage.objects.get(locale__language_code="en")
    last_index = -(-index.get_children().live().count() // 10)
    last_comments = max(1, -(-threads(big).count() // per_page()))
    post = f"post={big.pk}"
    rows = [
        ("home", "/", False),
        ("blog index, first page", index.url, False),
        ("blog index, last page", f"{index.url}?page={last_index}", False),
        ("big post, first page", big.url, False),
        ("big post, last page", f"{big.url}?page={last_comments}", False),
        ("/comments/<pk>/", f"/comments/{comment_pk}/", False),
        ("site comment feed", "/comments/feed/", False),
        ("big post's comment feed", f"/comments/feed/{big.pk}/", False),
        ("search", "/search/?q=waiting", False),
        ("glossary", "/glossary/", False),
        ("a term's page", f"/glossary/{term_slug}/", False),
        ("/changes/", "/changes/", False),
    ]
    for tab in ("waiting", "reported", "unanswered", "published", "rejected", "spam", "all"):
        rows.append((f"queue: {tab}", f"/admin/comments/?status={tab}", True))
    rows += [
        ("queue: all, one post", f"/admin/comments/?status=all&{post}", True),
        ("queue: all, a search", "/admin/comments/?status=all&q=reader123%40example.org", True),
        ("dashboard (admin home)", "/admin/", True),
        ("subscribers listing", "/admin/subscribers/", True),
    ]
    return rows


def measure(rows, client, moderator) -> dict[str, tuple[float, int]]:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()
    figures = {}
    for label, path, as_moderator in rows:
        browser = client if as_moderator else anonymous
        times, queries = [], 0
        for _ in range(REPEATS):
            for alias in caches:
                caches[alias].clear()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = browser.get(path)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code not in (200, 302):
                raise SystemExit(f"{path}: {response.status_code}")
            queries = len(captured)
        figures[label] = (min(times), queries)
    return figures


def sizes_mb() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        path = connection.settings_dict["NAME"]
        return f"database file {os.path.getsize(path) / 2**20:,.0f} MB"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        tables = ["django_comments", "django_comments_xtd_xtdcomment", "comments_moderation"]
        cursor.execute("SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) t", [tables])
        comments = cursor.fetchone()[0]
    return f"database {database / 2**20:,.0f} MB, the three comment tables {comments / 2**20:,.0f} MB"


def run(vendor: str, sizes: list[int], keep: bool, reuse: bool) -> None:
    """One vendor's table, in this process (Django is set up once per process)."""
    if vendor == "postgresql":
        if not reuse:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin_sql(f"CREATE DATABASE {DATABASE}")
        os.environ["DATABASE_URL"] = f"{POSTGRES}/{DATABASE}"
        database = None
    else:
        database = "scale"
    os.environ.update(PAGE_CACHE_SECONDS="0", COMMENT_LIST_CACHE_SECONDS="0")
    from bench.common import setup_django

    setup_django(database)
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench import scale_fill
    from blog.models import BlogPage
    from comments.models import Comment

    started = time.perf_counter()
    if not reuse:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        scale_fill.posts(POSTS)
        scale_fill.extras(terms=200, subscribers=10_000)
        print(f"{vendor}: migrate, seed_demo, {POSTS:,} posts: {time.perf_counter() - started:.0f} s")
    moderator = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "scale-admin", "scale-admin@example-hospital.org", "pw"
    )
    client = Client()
    client.force_login(moderator)
    big = BlogPage.objects.get(slug=scale_fill.BIG_SLUG)
    writer = None if reuse else scale_fill.Comments()
    results = {}
    for size in [Comment.objects.count()] if reuse else sizes:
        began = time.perf_counter()
        if writer is not None:
            writer.fill(size)
        made = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
        newest = Comment.objects.for_page(big).published().order_by("-pk").values_list("pk", flat=True)
        results[size] = measure(pages(big, newest.first(), "ehr"), client, moderator)
        print(
            f"{vendor}: {size:,} comments written in {made:.0f} s; peak memory {peak_mb():.0f} MB; "
            f"{sizes_mb()}; load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
    table(vendor, results)
    if vendor == "postgresql" and not keep:
        from django.db import connections

        connections.close_all()
        admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def table(vendor: str, results: dict[int, dict[str, tuple[float, int]]]) -> None:
    sizes = sorted(results)
    head = " | ".join(f"{size:>10,} comments" for size in sizes)
    print(f"\n{vendor}: cold, page cache off, best of {REPEATS}; load {os.getloadavg()[0]:.2f}")
    print(f"{'page':<30} | {head} | ratio")
    for label in results[sizes[0]]:
        cells = " | ".join(f"{results[s][label][0]:>9.1f} ms {results[s][label][1]:>4} q" for s in sizes)
        ratio = results[sizes[-1]][label][0] / max(results[sizes[0]][label][0], 0.001)
        print(f"{label:<30} | {cells} | {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--vendor", choices=["postgresql", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database scale_bench")
    parser.add_argument("--reuse", action="store_true", help="measure the kept database, no generation")
    args = parser.parse_args()
    if args.vendor:
        variable, default = {
            "postgresql": ("BENCH_SCALE_SIZES", "10000,1000000"),
            "sqlite": ("BENCH_SCALE_SQLITE", "10000,100000"),
        }[args.vendor]
        sizes = [int(n) for n in os.environ.get(variable, default).split(",")]
        run(args.vendor, sizes, args.keep, args.reuse)
        return
    vendors = [args.only] if args.only else ["postgresql", "sqlite"]
    for vendor in vendors:
        if vendor == "postgresql" and not postgres_reachable():
            print("postgresql: not reachable at 127.0.0.1:5432, skipped")
            continue
        flags = [flag for flag, on in (("--keep", args.keep), ("--reuse", args.reuse)) if on]
        subprocess.run([sys.executable, __file__, "--vendor", vendor, *flags], check=True)


if __name__ == "__main__":
    main()
