"""Indexes for a million comments (bench/scale.py): the moderation queue's "Reported" tab and the
dashboard's decision times on our table; on django_comments' and xtd's tables, which their apps
own, plain SQL (the same on PostgreSQL and SQLite): each thread in order, for the visibility rule
(comments/visibility.py), each post's comments by date, for its feed, and
emails in any case, for the queue's commenter histories."""

from django.db import migrations, models

THREAD_ORDER = (
    'CREATE INDEX IF NOT EXISTS comments_xtd_thread_order ON django_comments_xtd_xtdcomment (thread_id, "order", level)'
)
POST_DATE = "CREATE INDEX IF NOT EXISTS comments_post_submitted ON django_comments (object_pk, submit_date)"
# The queue's commenter histories and email filter compare emails in any case.
EMAIL = "CREATE INDEX IF NOT EXISTS comments_email_lower ON django_comments (LOWER(user_email))"


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0008_conversation"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="moderation",
            index=models.Index(
                condition=models.Q(("report_count__gt", 0)), fields=["status"], name="comments_moderation_reported"
            ),
        ),
        migrations.AddIndex(
            model_name="moderation",
            index=models.Index(fields=["decided_at"], name="comments_moderation_decided"),
        ),
        migrations.RunSQL(THREAD_ORDER, "DROP INDEX IF EXISTS comments_xtd_thread_order"),
        migrations.RunSQL(POST_DATE, "DROP INDEX IF EXISTS comments_post_submitted"),
        migrations.RunSQL(EMAIL, "DROP INDEX IF EXISTS comments_email_lower"),
    ]
