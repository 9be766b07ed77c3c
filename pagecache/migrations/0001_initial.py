# The page cache's tables moved here from the project package (`rounds`) under their old names:
# only Django's idea of which app owns them changes, no data moves. rounds.0002 forgets them there.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("rounds", "0001_page_cache_stamps"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PageCacheStamp",
                    fields=[
                        ("key", models.CharField(max_length=100, primary_key=True, serialize=False, verbose_name="key")),
                        ("value", models.BigIntegerField(verbose_name="value")),
                    ],
                    options={
                        "verbose_name": "page cache stamp",
                        "verbose_name_plural": "page cache stamps",
                        "db_table": "rounds_pagecachestamp",
                    },
                ),
                migrations.CreateModel(
                    name="PendingPurge",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("paths", models.JSONField(default=list, verbose_name="paths")),
                        ("groups", models.JSONField(default=list, verbose_name="groups")),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                    ],
                    options={
                        "verbose_name": "pending purge",
                        "verbose_name_plural": "pending purges",
                        "ordering": ["pk"],
                        "db_table": "rounds_pendingpurge",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
