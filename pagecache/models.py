"""The page cache's tables: what it must share between processes when there is no Redis, and what
it must not lose while Redis is unreachable. They keep the names they had in the project package
(`rounds_...`), so moving them here moved no data (migrations/0001)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["PageCacheStamp", "PendingPurge"]


class PageCacheStamp(models.Model):
    """One version stamp of the page cache (a path's, a group's) or one render lock.

    Without Redis, every gunicorn worker and every `manage.py` process reads and writes the same
    rows, so a purge made anywhere is seen everywhere at once. A lock row's value is the moment
    (ns) it expires; 0 when free.
    """

    key = models.CharField(_("key"), max_length=100, primary_key=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        db_table = "rounds_pagecachestamp"
        verbose_name = _("page cache stamp")
        verbose_name_plural = _("page cache stamps")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PendingPurge(models.Model):
    """A purge that could not reach Redis. Kept here until a process sees Redis again and applies
    it, so an edit made during an outage is never followed by its stale page once Redis is back
    (with the data it held before the outage)."""

    paths = models.JSONField(_("paths"), default=list)
    groups = models.JSONField(_("groups"), default=list)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "rounds_pendingpurge"
        verbose_name = _("pending purge")
        verbose_name_plural = _("pending purges")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{len(self.paths)} paths, groups {', '.join(self.groups) or '-'}"
