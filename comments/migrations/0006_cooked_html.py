"""Each comment's sanitised HTML stored on its moderation row (render on write, comments/cooking.py),
filled for the comments that exist: pages then never sanitise on render."""

from django.db import migrations, models

from comments.sanitize import POLICY, comment_html

BATCH = 500


def cook_existing(apps, schema_editor):
    Moderation = apps.get_model("comments", "Moderation")
    rows = Moderation.objects.select_related("comment").order_by("pk")
    last = None
    while True:
        batch = list((rows if last is None else rows.filter(pk__gt=last))[:BATCH])
        if not batch:
            return
        for moderation in batch:
            moderation.html = str(comment_html(moderation.comment.comment))
            moderation.html_policy = POLICY
        Moderation.objects.bulk_update(batch, ["html", "html_policy"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_moderation_rows_and_readers"),
    ]

    operations = [
        migrations.AddField(
            model_name="moderation",
            name="html",
            field=models.TextField(blank=True, editable=False, verbose_name="HTML shown"),
        ),
        migrations.AddField(
            model_name="moderation",
            name="html_policy",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        # Reversing drops the columns; nothing to undo here.
        migrations.RunPython(cook_existing, migrations.RunPython.noop),
    ]
