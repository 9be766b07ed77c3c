"""Pages under load, for bench/pages.py: approvals and "This helped" clicks while 32 readers read
the 500-comment post (see bench/pages.py's docstring for what each measures and its goals).

Approvals are made from a process of its own (this file with `--approve URL`, Django set up from
the environment bench/pages.py gave it).
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root: see bench/common.py

from bench.common import PYTHON, ROOT, gunicorn, load, marker, report, setup_django

LONG_POST = "/blog/a-post-with-five-hundred-comments/"
GZIP = {"Accept-Encoding": "gzip"}
APPROVALS = 20
LOAD_CONNECTIONS = 32
CLICKS_PER_SECOND = 10
CLICK_SECONDS = 20


def approvals_under_load(env: dict) -> None:
    """32 readers on the long post; one comment approved per second from another process."""
    print(f"\n== approvals under load ({LOAD_CONNECTIONS} connections on the 500-comment post, gzip)")
    seconds = APPROVALS + 1
    with gunicorn(env) as base:
        url = base + LONG_POST
        load(url, seconds=2, concurrency=LOAD_CONNECTIONS, headers=GZIP)  # warm
        quiet = load(url, seconds=seconds, concurrency=LOAD_CONNECTIONS, headers=GZIP)
        report("without approvals", quiet)
        approver = subprocess.Popen(  # a process of its own, with Django set up
            [PYTHON, __file__, "--approve", url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        approver.stdout.readline()  # "ready": Django is set up, the comments are waiting
        figures: dict = {}
        loader = threading.Thread(
            target=lambda: figures.update(load(url, seconds, concurrency=LOAD_CONNECTIONS, headers=GZIP))
        )
        loader.start()
        delays = json.loads(approver.stdout.readline())
        approver.wait(timeout=60)
        loader.join()
        report("with 1 approval/s", figures)
    throughput = figures["rps"] / quiet["rps"]
    p99 = figures["p99_ms"] / quiet["p99_ms"]
    shown = [delay for delay in delays if delay is not None]
    print(
        f"throughput with approvals: {throughput:.2f} x without (goal >= 0.7)  "
        f"p99: {p99:.2f} x without (goal <= 4)"
    )
    print(
        f"approvals shown: {len(shown)}/{len(delays)}  "
        f"delay ms: median {statistics.median(shown) * 1000:.0f}  max {max(shown) * 1000:.0f} (goal <= 2000)"
        if shown
        else f"approvals shown: 0/{len(delays)}"
    )


def approve_every_second(url: str) -> None:
    """(Subprocess) Hold APPROVALS comments, then approve one a second; print each one's delay
    until its page shows it, reached through its lasting address `/comments/<pk>/` (a new thread
    lands on the post's last page of comments), or None if not within 5 s."""
    setup_django()  # the environment filled_site gave this process: bench.settings, its database
    from blog.models import BlogPage
    from comments.creation import NewComment, add_comment, comment_for
    from comments.models import Status
    from comments.moderation import approve

    post = BlogPage.objects.get(slug=LONG_POST.strip("/").split("/")[-1])
    marks = [f"approved-under-load-{marker()}" for _ in range(APPROVALS)]
    held = [comment_for(post, f"Held then approved {mark}") for mark in marks]
    for comment in held:
        add_comment(NewComment(comment, Status.WAITING))
    base = url.removesuffix(LONG_POST)
    print("ready", flush=True)
    delays = []
    started = time.monotonic()
    for n, (comment, mark) in enumerate(zip(held, marks, strict=True)):
        time.sleep(max(0.0, started + n - time.monotonic()))
        approved = time.monotonic()
        approve(comment.moderation, None)
        delay = None
        while time.monotonic() - approved < 5:
            try:
                with urllib.request.urlopen(f"{base}/comments/{comment.pk}/", timeout=10) as response:  # noqa: S310
                    if mark in response.read().decode():
                        delay = time.monotonic() - approved
                        break
            except urllib.error.HTTPError:  # 404 until the approval is committed
                pass
            time.sleep(0.05)
        delays.append(delay)
    print(json.dumps(delays), flush=True)


def _click(base: str, pk: int, reader: str) -> tuple[int, float]:
    """One reader's "This helped" as comments.js sends it: the token, then the POST."""
    headers = {"Accept": "application/json", "X-Forwarded-For": reader}
    start = time.perf_counter()
    try:
        request = urllib.request.Request(f"{base}/comments/helpful/{pk}/token/", headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            token = json.loads(response.read())["token"]
        data = urllib.parse.urlencode({"token": token}).encode()
        request = urllib.request.Request(f"{base}/comments/helpful/{pk}/", data=data, headers=headers)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def _clicking(base: str, pks: list[int], clicks: list, offset: int) -> None:
    """CLICKS_PER_SECOND clicks a second for CLICK_SECONDS, each sent at its time (in threads:
    a slow answer never holds the next click back), each from a reader of its own."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        futures = []
        for n in range(CLICKS_PER_SECOND * CLICK_SECONDS):
            time.sleep(max(0.0, started + n / CLICKS_PER_SECOND - time.monotonic()))
            number = offset + n
            reader = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            futures.append(pool.submit(_click, base, pks[number % len(pks)], reader))
        clicks.extend(future.result() for future in futures)


def helpful_clicks_under_load(env: dict, rounds: int = 2) -> None:
    """32 readers on the long post; 10 "This helped" clicks a second, from distinct readers. Quiet
    and clicking runs alternate (the machine is shared); the best of each is compared."""
    print(
        f'\n== "This helped" under load ({LOAD_CONNECTIONS} connections on the 500-comment post, gzip; '
        f"{CLICKS_PER_SECOND} clicks/s for {CLICK_SECONDS} s; best of {rounds} alternating rounds)"
    )
    env = {**env, "TRUSTED_PROXIES": "127.0.0.1"}  # each click names its reader (X-Forwarded-For)
    quiet_runs, click_runs, clicks = [], [], []
    with gunicorn(env) as base:
        url = base + LONG_POST
        html = urllib.request.urlopen(url).read().decode()  # noqa: S310
        pks = [int(pk) for pk in re.findall(r'data-helpful="(\d+)"', html)]
        load(url, seconds=2, concurrency=LOAD_CONNECTIONS, headers=GZIP)  # warm
        for round_number in range(rounds):
            quiet_runs.append(load(url, seconds=CLICK_SECONDS, concurrency=LOAD_CONNECTIONS, headers=GZIP))
            figures: dict = {}
            loader = threading.Thread(
                target=lambda f=figures: f.update(
                    load(url, CLICK_SECONDS, concurrency=LOAD_CONNECTIONS, headers=GZIP)
                )
            )
            loader.start()
            _clicking(base, pks, clicks, round_number * CLICKS_PER_SECOND * CLICK_SECONDS)
            loader.join()
            click_runs.append(figures)
        time.sleep(6)  # the counts' cache (5 s) has moved on
        counts_url = f"{base}/comments/helpful/counts/{_post_id(html)}/"
        counts = json.loads(urllib.request.urlopen(counts_url).read())  # noqa: S310
    quiet = max(quiet_runs, key=lambda f: f["rps"])
    busy = max(click_runs, key=lambda f: f["rps"])
    report("without clicks", quiet)
    report("with 10 clicks/s", busy)
    ok = sum(status == 200 for status, _ in clicks)
    latencies = sorted(seconds for _, seconds in clicks)
    throughput = busy["rps"] / quiet["rps"]
    p99 = busy["p99_ms"] / quiet["p99_ms"]
    print(
        f"clicks: {ok}/{len(clicks)} counted, click p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms; counts endpoint total {sum(counts['counts'].values())}"
    )
    meets_throughput = "meets" if throughput >= 0.9 else "MISSES"
    meets_p99 = "meets" if p99 <= 2 else "MISSES"
    print(
        f"throughput with clicks: {throughput:.2f} x without (goal >= 0.9: {meets_throughput})  "
        f"p99: {p99:.2f} x without (goal <= 2: {meets_p99})"
    )


def _post_id(html: str) -> str:
    return re.search(r'data-helpful-counts="/comments/helpful/counts/(\d+)/"', html).group(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--approve", metavar="URL", required=True)
    approve_every_second(parser.parse_args().approve)
