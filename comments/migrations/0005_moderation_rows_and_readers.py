"""Every comment has its moderation row, and rows and reports know their reader.

Comments stored outside the reader's form (a shell, an import, xtd's own API) had no moderation
row, and reporting one was a 500: each gets a row read from its flags. Each moderation row and
reader report gets `reader` (an IPv4 address, an IPv6 /64, as core.http.reader_key makes them)
from the address stored beside it; a report repeated by one reader keeps no reader, so the
one-report-per-reader constraint can be added.
"""

import ipaddress

from django.db import migrations, models


def _reader(address):
    # core.http.reader_key_for as it stood when this migration was written (kept here so that
    # a later change to it cannot change what this migration did).
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def backfill(apps, schema_editor):
    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    Moderation = apps.get_model("comments", "Moderation")
    CommentReport = apps.get_model("comments", "CommentReport")
    # select_related(None): xtd's manager joins users and content types, which only() cannot defer.
    missing = (
        XtdComment.objects.select_related(None)
        .filter(moderation__isnull=True)
        .only("pk", "is_public", "is_removed", "ip_address")
    )
    rows = []
    for comment in missing.iterator():
        if comment.is_removed:
            status = "rejected"
        else:
            status = "published" if comment.is_public else "waiting"
        rows.append(
            Moderation(
                comment_id=comment.pk,
                status=status,
                ever_published=status == "published",
                reader=_reader(comment.ip_address),
            )
        )
    Moderation.objects.bulk_create(rows, batch_size=500)
    for moderation in Moderation.objects.filter(reader="").select_related("comment").iterator():
        reader = _reader(moderation.comment.ip_address)
        if reader:
            Moderation.objects.filter(pk=moderation.pk).update(reader=reader)
    seen = set()
    for report in CommentReport.objects.order_by("pk").iterator():
        reader = _reader(report.ip_address)
        if not reader or (report.comment_id, reader) in seen:
            continue
        seen.add((report.comment_id, reader))
        CommentReport.objects.filter(pk=report.pk).update(reader=reader)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_moderation_highlighted_at"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [
        migrations.AddField(
            model_name="commentreport",
            name="reader",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="moderation",
            name="reader",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="commentreport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reader", ""), _negated=True),
                fields=("comment", "reader"),
                name="comments_one_report_per_reader",
            ),
        ),
        # After the schema changes, so PostgreSQL alters no table with pending trigger events.
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
