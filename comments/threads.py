"""Whole new threads written in bulk, for creation.add_comments (an import of thousands).

xtd's save() computes each comment's place in its thread with several queries and renumbers the
thread; for threads that are wholly new that place is known in advance (depth-first order, as xtd
keeps it), so they are written here with a few queries for the whole batch, row for row what
xtd's save and the moderation-row receiver would have written.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_comments.models import Comment as ContribComment
from django_comments_xtd.models import XtdComment

from .cooking import cook
from .models import Moderation
from .states import flags_for

if TYPE_CHECKING:
    from .creation import NewComment

__all__ = ["store_new_threads"]


def _placed(entries: list["NewComment"]) -> tuple[list[tuple], dict[int, int]]:
    """Depth-first, as xtd numbers a thread: (entry, root, level, order) for each comment, and how
    many replies lie below each (by the entry's id())."""
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    children: dict[int, list] = {}
    roots = []
    for entry in entries:
        if entry.parent is None:
            roots.append(entry)
        else:
            children.setdefault(id(entry.parent), []).append(entry)
    placed: list[tuple] = []
    descendants: dict[int, int] = {}
    for root in roots:
        order = 0
        stack = [(root, 0, [])]
        while stack:
            entry, level, ancestors = stack.pop()
            if level > max_level:
                raise ValueError("a reply nests deeper than COMMENTS_XTD_MAX_THREAD_LEVEL")
            order += 1
            placed.append((entry, root, level, order))
            for ancestor in ancestors:
                descendants[id(ancestor)] = descendants.get(id(ancestor), 0) + 1
            stack.extend(
                (child, level + 1, [*ancestors, entry]) for child in reversed(children.get(id(entry), []))
            )
    return placed, descendants


def store_new_threads(entries: list["NewComment"], rows: list[Moderation]) -> None:
    """Store `entries` (roots, and replies to other entries among them) with their moderation
    `rows` (one per entry, in the same order)."""
    if not entries:
        return
    row_for = {id(entry): row for entry, row in zip(entries, rows, strict=True)}
    placed, descendants = _placed(entries)
    # django_comments' rows first (bulk_create returns their ids), then xtd's table that extends
    # them (Django cannot bulk-create a multi-table child), then the moderation rows.
    base_fields = [f for f in ContribComment._meta.concrete_fields if not f.primary_key]
    bases = []
    for entry, _root, _level, _order in placed:
        comment = entry.comment
        for name, value in flags_for(entry.status).items():
            setattr(comment, name, value)
        if comment.submit_date is None:  # as django_comments' save() does
            comment.submit_date = timezone.now()
        bases.append(ContribComment(**{f.attname: getattr(comment, f.attname) for f in base_fields}))
    ContribComment.objects.bulk_create(bases)
    for (entry, _root, _level, _order), base in zip(placed, bases, strict=True):
        entry.comment.pk = entry.comment.id = base.pk
        entry.comment._state.adding = False
        entry.comment._state.db = base._state.db
    threads = []
    for entry, root, level, order in placed:
        comment = entry.comment
        comment.thread_id = root.comment.pk
        comment.parent_id = entry.parent.comment.pk if entry.parent else comment.pk
        comment.level, comment.order = level, order
        comment.nested_count = descendants.get(id(entry), 0)
        threads.append(
            (comment.pk, comment.thread_id, comment.parent_id, level, order, comment.followup,
             comment.nested_count)
        )  # fmt: skip
    quote = connection.ops.quote_name
    columns = ["comment_ptr_id", "thread_id", "parent_id", "level", "order", "followup", "nested_count"]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values as parameters
        quote(XtdComment._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, threads)
    moderations = []
    for entry, _root, _level, _order in placed:
        row = row_for[id(entry)]
        row.comment_id = entry.comment.pk
        cook(row, entry.comment.comment)  # bulk_create sends no pre_save, which cooks a saved row
        moderations.append(row)
    Moderation.objects.bulk_create(moderations)
