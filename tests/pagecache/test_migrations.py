"""The page cache's tables moved from the project package to `pagecache` without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pagecache.models import PageCacheStamp, PendingPurge

BEFORE = [("rounds", "0001_page_cache_stamps"), ("pagecache", None)]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_move_keeps_its_stamps_and_kept_purges():
    _migrate(BEFORE)  # the schema today's main had: the tables are the rounds app's
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO rounds_pagecachestamp (key, value) VALUES ('g:posts', 42)")
        cursor.execute(
            "INSERT INTO rounds_pendingpurge (paths, groups, created) VALUES (%s, %s, %s)",
            ['["/blog/a/"]', '["posts"]', "2026-12-01 10:00:00"],
        )
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert PageCacheStamp.objects.get(key="g:posts").value == 42
    assert PendingPurge.objects.get().paths == ["/blog/a/"]
