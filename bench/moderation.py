"""The moderation workspace under load: the queue's first page and the dashboard panel with 100,
1,000 and 5,000 comments in the database.

Each size is built in a throwaway SQLite database (a quarter waiting, a few reported, the rest
decided over the last 60 days, on 20 posts), then a moderator's requests are made in-process
through Django's test client. Times are the best of several; the SQL query counts are printed
beside them and must not change with the size (the dashboard's median reads the last 30 days of
decisions in one query, so its time grows with them, its query count does not).

Run from the project root: `.venv/bin/python bench/moderation.py`.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import setup_django

setup_django("bench-moderation")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor  # noqa: E402
from comments import dashboard  # noqa: E402
from comments.creation import NewComment, add_comment, comment_for  # noqa: E402
from comments.models import Moderation, Status  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,5000").split(",")]
REPEATS = 5
POSTS = 20
TEXT = "We waited three hours in the clinic last spring, and nobody could tell us why. ({n})"


def fill(posts: list, start: int, stop: int, moderator: User) -> None:
    now = timezone.now()
    for n in range(start, stop):
        post = posts[n % len(posts)]
        submitted = now - datetime.timedelta(hours=(n * 7) % (60 * 24))
        status = Status.WAITING if n % 4 == 0 else (Status.REJECTED if n % 9 == 0 else Status.PUBLISHED)
        email = f"reader{n % 300}@example.org"
        comment = add_comment(
            NewComment(comment_for(post, TEXT.format(n=n), email=email, submit_date=submitted), status)
        )
        if status != Status.WAITING:
            Moderation.objects.filter(pk=comment.pk).update(
                decided_at=submitted + datetime.timedelta(minutes=5 + n % 600), decided_by=moderator
            )
        if n % 25 == 0:
            Moderation.objects.filter(pk=comment.pk).update(report_count=1)


def new_post(title: str) -> BlogPage:
    index = BlogIndexPage.objects.get()
    body = '[{"type": "paragraph", "value": "<p>A post made for the benchmark.</p>"}]'
    post = BlogPage(title=title, intro="A post made for the benchmark.", body=body)
    post.post_authors.add(BlogPageAuthor(author=Author.objects.first()))
    index.add_child(instance=post)
    return post


def ok(response) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{response.wsgi_request.path}: {response.status_code}")


def best(action) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(REPEATS):
        for alias in ("default",):
            caches[alias].clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return min(times) * 1000, queries


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)  # the site, its blog index and an author
    posts = [new_post(f"Post {i}") for i in range(POSTS)]
    moderator = User.objects.create_user("mod", "mod@example-hospital.org", "pw")
    moderator.groups.add(Group.objects.get(name="Comment moderators"))
    client = Client()
    client.force_login(moderator)
    print(f"{'comments':>9} | {'queue page (50 rows)':>22} | {'dashboard stats()':>19} | {'admin home':>18}")
    built = 0
    for size in SIZES:
        fill(posts, built, size, moderator)
        built = size

        def queue() -> None:
            ok(client.get("/admin/comments/"))

        def home() -> None:
            ok(client.get("/admin/"))

        queue_ms, queue_queries = best(queue)
        stats_ms, stats_queries = best(dashboard.stats)
        home_ms, home_queries = best(home)
        queue_figure = f"{queue_ms:>10.1f} ms {queue_queries:>4} q"
        stats_figure = f"{stats_ms:>8.1f} ms {stats_queries:>4} q"
        print(f"{size:>9} | {queue_figure} | {stats_figure} | {home_ms:>7.1f} ms {home_queries:>4} q")


if __name__ == "__main__":
    main()
