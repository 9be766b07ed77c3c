"""Import speed and memory: a generated WordPress export (WXR) with 1,000 posts and 20,000
threaded comments, imported into a fresh SQLite database, beside one with 100 posts and 2,000
comments. Prints comments per second and the import's peak memory for both: the peak must not
grow with the file (the parser streams one post at a time).

Each import runs in its own process (a fresh database and a clean high-water mark of memory):
the memory figure is how far the process's peak resident size rose during the import.
`--traced` adds tracemalloc's peak of Python allocations (slower: timings are then inflated).
Run from the project root: `.venv/bin/python bench/import.py`.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import ROOT, setup_django

SIZES = [(100, 20), (1000, 20)]  # (posts, comments per post)
PARAGRAPH = (
    "When the clinic moved its check-in desk, the wait did not get shorter, but it felt shorter: "
    'people could see the queue, and <a href="https://example.org/queue">the screen</a> said '
    "who was next. We asked <strong>forty families</strong> what they noticed first."
)
COMMENT = "We waited two hours last March.\nThe new screen helps, thank you for listening. <em>Really.</em>"


def _comment(post: int, number: int, parent: int, approved: str) -> str:
    cid = post * 100 + number
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {number}]]></wp:comment_author>
<wp:comment_author_email>reader{number}@example.net</wp:comment_author_email>
<wp:comment_author_url></wp:comment_author_url>
<wp:comment_date_gmt>2020-01-{1 + number % 28:02d} 10:{number % 60:02d}:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{COMMENT} ({cid})]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def generate(path: Path, posts: int, per_post: int) -> None:
    """Threads: every fourth comment starts one, the others reply to the one before (so some go
    deeper than replies may nest and move up); one in ten waits for moderation."""
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
            "<channel><title>Bench</title><wp:base_blog_url>https://bench.example.org</wp:base_blog_url>\n"
        )
        for post in range(1, posts + 1):
            comments = []
            for number in range(per_post):
                parent = 0 if number % 4 == 0 else post * 100 + number - 1
                comments.append(_comment(post, number, parent, "0" if number % 10 == 9 else "1"))
            body = "\n\n".join([PARAGRAPH] * 5)
            out.write(
                f"""<item><title>Post {post}</title>
<link>https://bench.example.org/2020/01/post-{post}/</link><dc:creator>editor</dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{post}</wp:post_id>
<wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt><wp:post_name>post-{post}</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="post_tag" nicename="t{post % 7}"><![CDATA[topic {post % 7}]]></category>
{"".join(comments)}</item>
"""
            )
        out.write("</channel></rss>\n")


def child(path: str, traced: bool) -> None:
    """In a fresh process: migrate a new SQLite database, import, print figures as JSON."""
    setup_django("bench-import")
    from django.core.management import call_command

    from comments.models import Comment
    from importer.parsers import open_export
    from importer.writer import Importer

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)  # the site and its blog index
    # Time spent writing comments (inside each post's transaction), apart from the posts' pages.
    write_comments = Importer._write_comments
    comment_seconds = [0.0]

    def timed(self, post, page):
        start = time.perf_counter()
        write_comments(self, post, page)
        comment_seconds[0] += time.perf_counter() - start

    Importer._write_comments = timed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    export = open_export(path)
    summary = Importer(export).run()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "comment_seconds": comment_seconds[0],
                "comments": Comment.objects.count(),
                "posts": summary.posts["created"],
                "traced_peak_kb": peak // 1024,
                "rss_growth_kb": after - before,
            }
        )
    )


def run(path: Path, traced: bool) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(path), *(["--traced"] if traced else [])],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print("Import of a generated WordPress export into a fresh SQLite database")
        for posts, per_post in SIZES:
            path = Path(folder) / f"export-{posts}.xml"
            generate(path, posts, per_post)
            size_mb = path.stat().st_size / 1e6
            speed = run(path, traced="--traced" in sys.argv)
            rate = speed["comments"] / speed["seconds"]
            comment_rate = speed["comments"] / speed["comment_seconds"]
            print(
                f"  {posts:>5} posts, {speed['comments']:>6} comments ({size_mb:5.1f} MB): "
                f"{speed['seconds']:6.1f} s, {rate:6.0f} comments/s overall, "
                f"{comment_rate:6.0f} comments/s writing comments, "
                f"{posts / speed['seconds']:5.1f} posts/s; "
                f"peak memory: RSS grew {speed['rss_growth_kb'] / 1024:5.1f} MB during the import"
                + (
                    f", tracemalloc peak {speed['traced_peak_kb'] / 1024:5.1f} MB"
                    if speed["traced_peak_kb"]
                    else ""
                )
            )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1], traced="--traced" in sys.argv)
    else:
        main()
