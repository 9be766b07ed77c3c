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
    worst_single_comment(client, index)


# Pathological single comments (the hardening issue): each must cost under 50 ms to render,
# whatever its nesting or length. Each is the deepest reply of a chain as deep as threads go.
PATHOLOGICAL = {
    "nested-looking markup": ("<b><i><blockquote><a href='http://x.org/'>" * 200)[:3000],
    "unclosed tags": ("<p><em><strong><code>" * 200)[:3000],
    "bare domains (500)": ("a.com " * 500)[:3000],
    "http URLs (230)": ("http://a.io/ " * 300)[:3000],
    "one long word": "x" * 3000,
    "one long URL": "https://example.org/" + "a" * 2980,
    "emails (375)": ("a@b.org " * 400)[:3000],
    "entities": ("&amp;&#x3c;&lt;" * 300)[:3000],
    "digits": "1" * 3000,
    "blank lines": "\n" * 3000,
}
LIMIT_MS = 50


def worst_single_comment(client: Client, index) -> None:
    from django.conf import settings

    from comments import rules
    from comments.models import Discussion
    from comments.sanitize import comment_html

    discussion = Discussion.objects.first()
    depth = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    print(f"\n{'single comment':<24}  {'render ms':>9}  {'rules ms':>8}  {'page ms':>8}")
    worst = 0.0
    baseline_post = BlogPageFactory(parent=index, title="One plain comment")
    parent = None
    for _level in range(depth + 1):
        parent = make_comment(baseline_post, parent=parent, comment="Plain words.")
    baseline = best_render(client, baseline_post.url, cold=True)
    print(f"{'(a plain comment)':<24}  {'':>9}  {'':>8}  {baseline:8.1f}")
    for name, text in PATHOLOGICAL.items():
        post = BlogPageFactory(parent=index, title=f"Pathological: {name}")
        parent = None
        for _level in range(depth):
            parent = make_comment(post, parent=parent, comment="Plain words.")
        comment = make_comment(post, parent=parent, comment=text)
        renders, checks = [], []
        for _ in range(REPEATS):
            caches["comments"].clear()
            start = time.perf_counter()
            comment_html(text)
            renders.append(time.perf_counter() - start)
            start = time.perf_counter()
            rules.assess(discussion, comment, staff=False)
            checks.append(time.perf_counter() - start)
        page = best_render(client, post.url, cold=True)
        render, rules = min(renders) * 1000, min(checks) * 1000
        # What this one comment adds to a page: the page beside a plain comment's, and at least
        # its own sanitising.
        cost = max(render, page - baseline)
        worst = max(worst, cost, rules)
        print(f"{name:<24}  {render:9.2f}  {rules:8.2f}  {page:8.1f}")
    verdict = "under" if worst < LIMIT_MS else "OVER"
    print(f"worst single comment: {worst:.1f} ms to render or check ({verdict} the {LIMIT_MS} ms limit)")


if __name__ == "__main__":
    main()
