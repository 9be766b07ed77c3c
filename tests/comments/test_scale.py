"""What keeps a million comments affordable (bench/scale.py measures it): the visibility rule's
query shape gives the same answers as walking each comment's parents, the queue's counts stop at
a cap and say so, and the pages that list comments cost a fixed number of queries."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments import admin_views, models
from comments.models import Comment, Status
from comments.visibility import in_discussion, visible
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
QUEUE = "/admin/comments/"


def shown_by_walking_parents(comments: list[Comment]) -> set[int]:
    """The rule read the slow way: published, and every parent up the chain published."""
    by_pk = {c.pk: c for c in comments}
    shown = set()
    for comment in comments:
        node, ok = comment, True
        while ok:
            ok = node.is_public and not node.is_removed
            if node.parent_id == node.pk:
                break
            node = by_pk[node.parent_id]
        if ok:
            shown.add(comment.pk)
    return shown


def test_the_rule_agrees_with_walking_the_parents_of_random_threads(post):
    rng = random.Random(24)
    statuses = [Status.PUBLISHED] * 6 + [Status.WAITING, Status.REJECTED, Status.SPAM]
    made: list[Comment] = []
    for _ in range(60):
        candidates = [c for c in made if c.level < 3]
        parent = rng.choice(candidates) if candidates and rng.random() < 0.7 else None
        made.append(make_comment(post, parent=parent, status=rng.choice(statuses)))
    stored = list(Comment.objects.for_page(post))
    expected = shown_by_walking_parents(stored)
    assert 0 < len(expected) < len(stored)  # the threads have hidden branches to leave out
    assert set(in_discussion(Comment.objects.for_page(post)).values_list("pk", flat=True)) == expected
    assert set(visible().values_list("pk", flat=True)) == expected


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(models, "TAB_COUNT_CAP", 3)
    monkeypatch.setattr(admin_views, "TAB_COUNT_CAP", 3)


def test_a_tab_past_the_cap_says_so_and_pages_up_to_it(mod_client, post, discussion, cap_of_three):
    for _ in range(5):
        make_comment(post, status=Status.WAITING)
    response = mod_client.get(QUEUE, {"status": "waiting"})
    html = response.content.decode()
    assert 'data-queue-count="waiting">3+</span>' in html
    assert "data-queue-capped" in html
    assert response.context["paginator"].count == 3
    assert 'data-queue-count="spam">0</span>' in html


def test_a_tab_within_the_cap_shows_its_exact_count(mod_client, post, discussion, cap_of_three):
    for _ in range(3):
        make_comment(post, status=Status.WAITING)
    html = mod_client.get(QUEUE, {"status": "waiting"}).content.decode()
    assert 'data-queue-count="waiting">3</span>' in html
    assert "data-queue-capped" not in html


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def add_threads(post, n: int) -> None:
    for _ in range(n):
        root = make_comment(post)
        reply = make_comment(post, parent=root)
        make_comment(post, parent=reply, status=Status.WAITING)


@pytest.mark.no_page_cache
def test_the_post_page_and_feeds_cost_the_same_queries_for_3_or_30_threads(client, post, discussion):
    add_threads(post, 3)
    paths = [post.url, "/comments/feed/", f"/comments/feed/{post.pk}/"]
    for path in paths:
        count_queries(client, path)  # warm what is read once per process
    few = [count_queries(client, path) for path in paths]
    add_threads(post, 27)
    assert [count_queries(client, path) for path in paths] == few


def test_the_queue_page_costs_the_same_queries_for_3_or_60_rows(mod_client, post, discussion):
    add_threads(post, 1)
    count_queries(mod_client, f"{QUEUE}?status=all")
    few = count_queries(mod_client, f"{QUEUE}?status=all")
    add_threads(post, 19)
    assert count_queries(mod_client, f"{QUEUE}?status=all") == few
