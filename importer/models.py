"""What the importer remembers: which page, comment, author or image each source item became.

Blog and comments need no field of their own for it, and a second run over the same file finds
every item here: unchanged ones (same digest) are left alone, changed ones are updated.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ImportedItem"]


class ImportedItem(models.Model):
    class Kind(models.TextChoices):
        POST = "post", _("post")
        COMMENT = "comment", _("comment")
        IMAGE = "image", _("image")

    # The blog the export came from (its address, or Blogger's blog id): source ids are unique
    # only within one blog.
    source = models.CharField(_("source"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    source_id = models.CharField(_("id in the source"), max_length=255)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # A hash of what the source said last time: a newer export with a different digest updates.
    digest = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("first imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated at"), auto_now=True)

    class Meta:
        verbose_name = _("imported item")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="importer_unique_source_item"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id}"
