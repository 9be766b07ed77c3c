"""The plain-language targets, edited by editors under Settings (one row per site)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

__all__ = ["PlainLanguage"]


@register_setting(icon="glasses")
class PlainLanguage(BaseSiteSetting):
    """The NIH and the AMA advise health information at a 6th to 8th grade reading level; 8 is the
    default target, and sentences past 25 words are flagged (the CDC's Clear Communication Index
    scores both)."""

    target_grade = models.PositiveSmallIntegerField(
        _("target reading grade"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
        help_text=_("US school grade. Posts read above it are flagged before they are published."),
    )
    long_sentence_words = models.PositiveSmallIntegerField(
        _("long sentence (words)"),
        default=25,
        validators=[MinValueValidator(5), MaxValueValidator(200)],
        help_text=_("Sentences with more words than this are listed as long."),
    )

    panels = [FieldPanel("target_grade"), FieldPanel("long_sentence_words")]

    class Meta:
        verbose_name = _("Plain language")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
