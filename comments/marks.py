"""Readers' marks on one comment: a report (enough of them return it to the queue) and "This
helped". Each is one per reader (core.http.reader_key), which a constraint keeps under concurrent
requests; the reader is cleared with addresses after 30 days (personal_data.clear_ip_addresses).
Tables of the comments app, imported by models.py."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

__all__ = ["CommentReport", "HelpfulMark"]


class CommentReport(models.Model):
    comment = models.ForeignKey(XtdComment, on_delete=models.CASCADE, related_name="reports")
    ip_address = models.GenericIPAddressField(unpack_ipv4=True, null=True, blank=True)
    # core.http.reader_key of the reporter: one report per reader per comment (the constraint
    # below makes it hold under concurrent requests). Cleared with the address after 30 days.
    reader = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"],
                condition=~models.Q(reader=""),
                name="comments_one_report_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"Report on comment #{self.comment_id}"


class HelpfulMark(models.Model):
    """One reader's "This helped" on one comment (core.http.reader_key: the constraint keeps it to
    one under concurrent requests). The reader is cleared with addresses after 30 days; the mark
    stays, counted in `Moderation.helpful`."""

    comment = models.ForeignKey(XtdComment, on_delete=models.CASCADE, related_name="helpful_marks")
    reader = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("helpful mark")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader"],
                condition=~models.Q(reader=""),
                name="comments_one_helpful_mark_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"Helpful mark on comment #{self.comment_id}"
