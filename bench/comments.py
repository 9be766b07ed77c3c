"""Render time of a post page with 10, 100 and 1,000 published comments.

Builds each discussion (threads three deep, realistic text with links) in a throwaway SQLite
database, then renders the post page in-process through Django's test client: "cold" with the
sanitiser's cache empty (every comment goes through nh3), "warm" with it filled (the steady
state). Times are the best of several renders; the SQL query count is printed beside them and
must not change with the size.

Run from the project root: `.venv/bin/python bench/comments.py`.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_folder = tempfile.mkdtemp()
os.environ["DATABASE_URL"] = f"sqlite:///{_folder}/bench-comments.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rounds.settings.test")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.comments.factories import make_comment  # noqa: E402
from tests.factories import BlogPageFactory, make_site  # noqa: E402

SIZES = [10, 100, 1000]
REPEATS = 5
TEXT = (
    "We waited three hours in the clinic last spring, and nobody could tell us why.\n"
    "The new text updates (see https://example.org/waits) would have helped a lot.\n\n"
    "Thank you for writing about it so plainly."
)


def build(index, size: int):
    post = BlogPageFactory(parent=index, title=f"A post with {size} comments")
    parent = grandparent = None
    for number in range(size):
        position = number % 4
        if position == 0:
            parent = grandparent = make_comment(post, comment=TEXT + f" ({number})")
        elif position == 1:
            parent = make_comment(post, parent=grandparent, comment=TEXT + f" ({number})")
        else:
            make_comment(post, parent=parent, comment=TEXT + f" ({number})")
    return post


def best_render(client: Client, url: str, cold: bool) -> float:
    times = []
    for _ in range(REPEATS):
        if cold:
            caches["comments"].clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return min(times) * 1000


def main() -> None:
    call_command("migrate", verbosity=0)
    _home, index = make_site()
    client = Client()
    print(f"{'comments':>8}  {'cold ms':>8}  {'warm ms':>8}  {'ms/comment':>10}  queries")
    for size in SIZES:
        post = build(index, size)
        cold = best_render(client, post.url, cold=True)
        warm = best_render(client, post.url, cold=False)
        with CaptureQueriesContext(connection) as queries:
            client.get(post.url)
        print(f"{size:>8}  {cold:8.1f}  {warm:8.1f}  {warm / size:10.3f}  {len(queries)}")


if __name__ == "__main__":
    main()
