"""The `backup` serialisation format: Django's JSON, tolerant of references to deleted rows.

`make backup` dumps with natural foreign keys (content types, users and pages by name or path),
so a backup loads into any freshly migrated database. Wagtail keeps audit-log entries of deleted
pages with a page id that no longer exists (no database constraint, on purpose), and Django's
serializer fails on the first one while looking up the missing page's natural key. This format
writes such a reference as the plain id instead, which plain `loaddata` reads back unchanged.
The output is ordinary JSON, read back by plain `loaddata`.

`restore()` is what `make restore` runs: it empties the database, loads the backup and rebuilds
what the backup leaves out on purpose (the search and reference indexes).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.serializers import json as json_serializers
from django.db import connection

__all__ = ["Deserializer", "Serializer", "restore"]

# On SQLite, Wagtail's search keeps a full-text shadow table outside Django's models, filled by
# triggers. Loading a backup leaves rows there with no index entry behind them (seen with
# modelsearch on Wagtail 8.0), and those collide with the rebuilt index, so it is emptied first.
SQLITE_FULL_TEXT_TABLE = "wagtailsearch_indexentry_fts"


class Serializer(json_serializers.Serializer):
    def handle_fk_field(self, obj, field) -> None:
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)


Deserializer = json_serializers.Deserializer


def restore(path: str) -> None:
    """Replace everything in the database with the backup at `path`, then rebuild the indexes.

    The database must be migrated to the code's schema first. Rows that migrations create (the
    root page, the default site and locale, the groups) are flushed and come back from the backup,
    so the page tree is exactly the one that was backed up.
    """
    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", path)
    _empty_sqlite_full_text_table()
    call_command("update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)


def _empty_sqlite_full_text_table() -> None:
    if connection.vendor != "sqlite" or SQLITE_FULL_TEXT_TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SQLITE_FULL_TEXT_TABLE}")  # noqa: S608 (a constant)
