"""What a long discussion costs: render time, download size, and that paging loses no comment.

Builds, in a throwaway SQLite database with the demo content (its glossary terms annotate the
comments), posts with 5, 500, 1,200 and 5,000 published comments (threads of four, three deep,
realistic text with a link) through the site's own `comments.creation.add_comment`, then
asks for them in-process through Django's test client with production's caches:
- **cold**: every cache emptied before each request (page cache, comment lists, glossary), so
  the page is rendered from the database; the best of several renders. Goal: 500 comments at
  most 2 x the time of 5.
- **hit**: the page cache's answer, for scale.
- the first page's size (goal for 1,200 comments: at most 300 KB) and the SQL query count (the
  same whatever the size);
- for 1,200 comments, every published comment is found by following `rel="next"` from the first
  page, by following `rel="prev"` back from the last, and through `/comments/<pk>/`.
Then "Most helpful" (`?order=helpful`) on the 5,000-comment post, its threads given varied helpful
counts: its cold render beside oldest first's, and the query count of each (goal: the same).

Then the same 500-comment discussion, in Spanish, on a post's Spanish version: its cold render
against the English one's (goal: within 10%) and its page-cache hit ratio beside the English one's.
Then the worst single comment (nesting, links, length): cooking it, checking it against the
rules, and the page that shows it, each under 50 ms.

Run from the project root: `.venv/bin/python bench/comments.py`.
"""

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import setup_django

setup_django("bench-comments")

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from blog.models import Author, BlogIndexPage, BlogPage, BlogPageAuthor  # noqa: E402
from comments import rules  # noqa: E402
from comments.creation import NewComment, add_comment, comment_for  # noqa: E402
from comments.models import Comment, Discussion, Moderation  # noqa: E402
from comments.sanitize import comment_html  # noqa: E402
from pagecache.tiers import local_tier  # noqa: E402

SIZES = [5, 500, 1200, 5000]
REPEATS = 5
ROUNDS = 15
COLD_LIMIT = 2.0  # 500 comments against 5
PAGE_LIMIT_KB = 300  # the first page of 1,200 comments
TEXT = (
    "We waited three hours in the clinic last spring, and nobody could tell us why.\n"
    "The new text updates (see https://example.org/waits) would have helped a lot.\n\n"
    "Thank you for writing about it so plainly. Our EHR and the patient portal still disagree."
)
BODY = '[{"type": "paragraph", "value": "<p>What the waiting room taught us about the EHR.</p>"}]'
TEXT_ES = (
    "Esperamos tres horas en la clínica la primavera pasada y nadie supo decirnos por qué.\n"
    "Los nuevos avisos por mensaje (ver https://example.org/esperas) habrían ayudado mucho.\n\n"
    "Gracias por escribir sobre esto con tanta claridad. Nuestra HCE y el portal aún no coinciden."
)
BODY_ES = '[{"type": "paragraph", "value": "<p>Lo que la sala de espera nos enseñó sobre la HCE.</p>"}]'
SPANISH_LIMIT = 1.10  # a cold Spanish render against the English one, same discussion

_ARTICLE = re.compile(r'<article class="comment[^"]*" id="c(\d+)"')
_REL = re.compile(r'<a class="pagination__link" rel="(prev|next)" href="([^"]+)"')


def empty_caches() -> None:
    """Every cache a render could be served from: Django's, and this process's page-cache tier
    (without it, a "cold" render was a local hit: 0.2 ms and one query)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    local_tier().clear()


def new_post(title: str) -> BlogPage:
    index = BlogIndexPage.objects.get(locale__language_code="en")
    post = BlogPage(title=title, intro="A post made for the benchmark.", body=BODY)
    post.post_authors.add(BlogPageAuthor(author=Author.objects.first()))
    index.add_child(instance=post)
    return post


@transaction.atomic
def discussion(size: int, spanish: bool = False) -> BlogPage:
    """A post with `size` published comments: every fourth starts a thread, the next replies to
    it, and the two after reply to that reply. `spanish`: the post's Spanish version, with the same
    discussion in Spanish (seed_demo made the Spanish index)."""
    post = new_post(f"A post with {size} comments")
    text_base = TEXT
    if spanish:
        post.save_revision().publish()
        post = post.copy_for_translation(Locale.objects.get(language_code="es"), copy_parents=True)
        post.title, post.slug, post.body = f"Una entrada con {size} comentarios", f"entrada-{size}", BODY_ES
        post.save_revision().publish()
        post.refresh_from_db()  # its address follows the new slug
        text_base = TEXT_ES
    root = reply = None
    for number in range(size):
        text = f"{text_base} ({number})"
        position = number % 4
        if position == 0:
            root = add_comment(NewComment(comment_for(post, text, name=f"Reader {number}")))
        elif position == 1:
            reply = add_comment(NewComment(comment_for(post, text, parent=root, name=f"Reader {number}")))
        else:
            add_comment(NewComment(comment_for(post, text, parent=reply, name=f"Reader {number}")))
    return post


def render(client: Client, url: str, *, cold: bool) -> tuple[float, bytes]:
    if cold:
        empty_caches()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, response.content


def best(client: Client, url: str, *, cold: bool) -> tuple[float, bytes]:
    client.get(url)  # the process's one-time costs (template loading) are no part of it
    runs = [render(client, url, cold=cold) for _ in range(REPEATS)]
    return min(ms for ms, _content in runs), runs[-1][1]


def best_of_rounds(client: Client, urls: list[str]) -> dict[str, float]:
    """Cold renders of every URL in turn, round after round, best of each: the machine's load
    varies over a run, and taking turns gives every size the same share of it."""
    for url in urls:
        client.get(url)
    times: dict[str, list[float]] = {url: [] for url in urls}
    for _round in range(ROUNDS):
        for url in urls:
            times[url].append(render(client, url, cold=True)[0])
    return {url: min(found) for url, found in times.items()}


def page_links(html: str) -> dict[str, str]:
    return {rel: href.replace("&amp;", "&") for rel, href in _REL.findall(html)}


def walk(client: Client, url: str, rel: str) -> tuple[list[int], str]:
    """The comment ids of every page met following `rel` from `url`, and the last page's URL."""
    seen: list[int] = []
    pages = 0
    while True:
        html = client.get(url).content.decode()
        seen.extend(int(pk) for pk in _ARTICLE.findall(html))
        pages += 1
        following = page_links(html).get(rel)
        if following is None or pages > 10_000:
            return seen, url
        url = following.split("#")[0]


def reachable(client: Client, post: BlogPage) -> None:
    published = set(Comment.objects.for_page(post).published().values_list("pk", flat=True))
    forward, last = walk(client, post.url, "next")
    backward, _first = walk(client, last, "prev")
    through_links = 0
    for pk in sorted(published):
        response = client.get(f"/comments/{pk}/")
        if response.status_code != 302:
            continue
        target = response["Location"]
        path, anchor = target.split("#")
        if anchor == f"c{pk}" and f'id="c{pk}"' in client.get(path).content.decode():
            through_links += 1
    print(
        f"\n{len(published)} published comments; found following rel=next: {len(set(forward))} "
        f"(each once: {len(forward) == len(set(forward))}), following rel=prev: {len(set(backward))}, "
        f"through /comments/<pk>/: {through_links}"
    )
    every = set(forward) == published == set(backward) and through_links == len(published)
    print(f"every published comment reachable: {'yes' if every else 'NO'}")


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    posts = {size: discussion(size) for size in SIZES}
    cold_ms = best_of_rounds(client, [post.url for post in posts.values()])
    print(f"{'comments':>8}  {'cold ms':>8}  {'hit ms':>7}  {'page 1 KB':>9}  {'pages':>5}  queries")
    for size, post in posts.items():
        hit, content = best(client, post.url, cold=False)
        empty_caches()
        with CaptureQueriesContext(connection) as queries:
            client.get(post.url)
        html = content.decode()
        pages = re.search(r"Comments, page 1 of (\d+)", html)
        print(
            f"{size:>8}  {cold_ms[post.url]:8.1f}  {hit:7.2f}  {len(content) / 1024:9.1f}  "
            f"{pages.group(1) if pages else 1:>5}  {len(queries)}"
        )
    within = len(client.get(posts[1200].url).content) <= PAGE_LIMIT_KB * 1024
    print(f"first page of 1,200 comments within {PAGE_LIMIT_KB} KB: {'yes' if within else 'NO'}")
    ratio = cold_ms[posts[500].url] / cold_ms[posts[5].url]
    verdict = "within" if ratio <= COLD_LIMIT else "OVER"
    print(f"cold 500 / cold 5 = {ratio:.2f} ({verdict} the {COLD_LIMIT:.0f} x goal)")
    most_helpful(client, posts[5000])
    reachable(client, posts[1200])
    spanish_against_english(client, posts[500])
    worst_single_comment(client)


def most_helpful(client: Client, post: BlogPage) -> None:
    """The 5,000-comment post in both orders: cold renders (best of rounds) and query counts."""
    roots = list(Comment.objects.for_page(post).filter(parent_id=models.F("pk")).values_list("pk", flat=True))
    for n, pk in enumerate(roots):  # varied counts, so the order is not the oldest-first one
        Moderation.objects.filter(pk=pk).update(helpful=(n * 7919) % 97)
    urls = {"oldest first": post.url, "most helpful": post.url + "?order=helpful"}
    cold = best_of_rounds(client, list(urls.values()))
    queries = {}
    for name, url in urls.items():
        empty_caches()
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)
    print(f"\n5,000 comments, {len(roots)} threads with helpful counts:")
    for name, url in urls.items():
        print(f"  {name:<13} cold {cold[url]:7.1f} ms  queries {queries[name]}")
    same = queries["most helpful"] == queries["oldest first"]
    print(f"most helpful costs the same queries as oldest first: {'yes' if same else 'NO'}")


def spanish_against_english(client: Client, english: BlogPage) -> None:
    """The same 500-comment discussion on a post's Spanish version: a cold render within 10% of
    the English one (taken in turns, best of each), and answered from the page cache as often."""
    spanish = discussion(500, spanish=True)
    cold = best_of_rounds(client, [english.url, spanish.url])
    ratio = cold[spanish.url] / cold[english.url]
    verdict = "within" if ratio <= SPANISH_LIMIT else "OVER"
    print(
        f"cold 500 Spanish {cold[spanish.url]:.1f} ms / English {cold[english.url]:.1f} ms = {ratio:.2f} "
        f"({verdict} the {SPANISH_LIMIT:.2f} x goal)"
    )
    hits = {}
    for post in (english, spanish):
        empty_caches()
        client.get(post.url)
        hits[post.url] = sum(client.get(post.url)["X-Page-Cache"] == "hit" for _ in range(100)) / 100
    print(f"page-cache hit ratio: Spanish {hits[spanish.url]:.2f}, English {hits[english.url]:.2f}")


# Pathological single comments (the hardening issue): each must cost under 50 ms to cook, check
# and show, whatever its nesting or length. Each is the deepest reply of a chain as deep as threads go.
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


def chain(title: str, last_text: str) -> tuple[BlogPage, Comment]:
    post = new_post(title)
    parent = None
    for _level in range(settings.COMMENTS_XTD_MAX_THREAD_LEVEL):
        parent = add_comment(NewComment(comment_for(post, "Plain words.", parent=parent)))
    return post, add_comment(NewComment(comment_for(post, last_text, parent=parent)))


def worst_single_comment(client: Client) -> None:
    discussion_policy = Discussion.objects.first()
    baseline_post, _comment = chain("One plain comment", "Plain words.")
    posts, cooks, checks = {}, {}, {}
    for name, text in PATHOLOGICAL.items():
        posts[name], comment = chain(f"Pathological: {name}", text)
        cook_times, check_times = [], []
        for _ in range(REPEATS):
            start = time.perf_counter()
            comment_html(text)
            cook_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            rules.assess(discussion_policy, comment, staff=False)
            check_times.append(time.perf_counter() - start)
        cooks[name], checks[name] = min(cook_times) * 1000, min(check_times) * 1000
    pages = best_of_rounds(client, [baseline_post.url, *(post.url for post in posts.values())])
    baseline = pages[baseline_post.url]
    print(f"\n{'single comment':<24}  {'cook ms':>7}  {'rules ms':>8}  {'page ms':>8}  {'added ms':>8}")
    print(f"{'(a plain comment)':<24}  {'':>7}  {'':>8}  {baseline:8.1f}")
    worst = 0.0
    for name, post in posts.items():
        page = pages[post.url]
        # What this one comment adds to a page: the page beside a plain comment's, measured in turns.
        added = page - baseline
        worst = max(worst, cooks[name], checks[name], added)
        print(f"{name:<24}  {cooks[name]:7.2f}  {checks[name]:8.2f}  {page:8.1f}  {added:8.1f}")
    verdict = "under" if worst < LIMIT_MS else "OVER"
    print(f"worst single comment: {worst:.1f} ms to cook, check or show ({verdict} the {LIMIT_MS} ms limit)")


if __name__ == "__main__":
    main()
