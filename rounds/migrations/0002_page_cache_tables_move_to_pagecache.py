# The page cache's tables now belong to the `pagecache` app (pagecache.0001, same table names):
# forget them here without dropping them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("rounds", "0001_page_cache_stamps"),
        ("pagecache", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PageCacheStamp"),
                migrations.DeleteModel(name="PendingPurge"),
            ],
            database_operations=[],
        ),
    ]
