"""Which version of the source a translated page was made from, and whether the source moved since.

Wagtail's simple_translation copies a page into another locale and leaves the rest to the editor;
it keeps no record of the source version. `TranslationOrigin` is that record: the source's latest
revision when the copy was made (`copy_for_translation_done`), or when the editor says the
translation has caught up with the source. It is a row of its own, not a field of the page, so a
page revision saved from the editor (which writes every page field back) never overwrites it.
The editor sees it in `TranslationOriginPanel`; `mark_current` is the "caught up" action.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Page, Revision

__all__ = ["TranslationOrigin", "TranslationOriginPanel", "mark_current", "origin_of", "record_origin"]


class TranslationOrigin(models.Model):
    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="translation_origin", verbose_name=_("translation")
    )
    source = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="+", verbose_name=_("source page")
    )
    source_revision = models.ForeignKey(
        Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("translation origin")

    def __str__(self) -> str:
        return f"Page #{self.page_id} from revision #{self.source_revision_id} of page #{self.source_id}"

    @property
    def source_changed(self) -> bool:
        """The source has a newer revision than the one this translation was made from."""
        latest = self.source.latest_revision_id
        return latest is not None and latest != self.source_revision_id


def record_origin(source: Page, target: Page) -> TranslationOrigin:
    """Remember that `target` now matches `source`'s latest revision."""
    source = source.specific
    origin, _created = TranslationOrigin.objects.update_or_create(
        page_id=target.pk, defaults={"source_id": source.pk, "source_revision_id": source.latest_revision_id}
    )
    return origin


def origin_of(page: Page) -> TranslationOrigin | None:
    return (
        TranslationOrigin.objects.select_related("source", "source_revision").filter(page_id=page.pk).first()
    )


def mark_current(page: Page) -> TranslationOrigin | None:
    """The editor has brought the translation up to date with its source's latest revision."""
    origin = origin_of(page)
    if origin is None:
        return None
    return record_origin(origin.source, page)


def copied_for_translation(sender, source_obj, target_obj, **kwargs) -> None:
    """Receiver of Wagtail's `copy_for_translation_done` (connected in BlogConfig.ready())."""
    if isinstance(source_obj, Page):
        record_origin(source_obj, target_obj)


class TranslationOriginPanel(Panel):
    """In a translated page's editor: the source version it was made from, and a warning with a
    comparison link when the source has changed since."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/translation_origin_panel.html"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.origin = origin_of(self.instance) if self.instance and self.instance.pk else None

        def is_shown(self) -> bool:
            return self.origin is not None

        def get_context_data(self, parent_context=None) -> dict:
            context = super().get_context_data(parent_context)
            context["origin"] = self.origin
            return context
