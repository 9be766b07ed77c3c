"""Topics, feedback and changes built through the models' own paths (Change.save cites and moves
feedback, exactly as the admin does)."""

import datetime
import itertools

from changes.models import Change, ChangeComment, ChangePost, Topic

_numbers = itertools.count(1)


def make_topic(name: str = "") -> Topic:
    return Topic.objects.create(name=name or f"Topic {next(_numbers)}")


def make_change(*, topic=None, posts=(), comments=(), **fields) -> Change:
    n = next(_numbers)
    change = Change(
        title=fields.pop("title", f"Change number {n}"),
        description=fields.pop("description", "What we did, in a few words."),
        date=fields.pop("date", datetime.date(2026, 10, 1)),
        department=fields.pop("department", "Patient Access Center"),
        topic=topic or make_topic(),
        **fields,
    )
    for post in posts:
        change.cited_posts.add(ChangePost(post=post))
    for comment in comments:
        change.cited_comments.add(ChangeComment(comment_id=comment.pk))
    change.save()
    return change
