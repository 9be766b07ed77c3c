"""The site's discussion policy, a Wagtail site setting (a table of the comments app, imported by
models.py): guidelines, whether comments are open, and what the hold rules read (rules.py)."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

__all__ = ["DEFAULT_GUIDELINES", "Discussion"]

# Marked for translation: while a site keeps these default guidelines, each language shows its own
# translation of them (Discussion.guidelines_shown); guidelines an editor wrote are shown as written.
DEFAULT_GUIDELINES = gettext_noop(
    "<p><b>Before you comment:</b> this is not the place for emergencies or medical advice. "
    "If you need care now, call 911 or your care team. Please do not post private health "
    "information about yourself or anyone else (names, dates of birth, record numbers, phone "
    "numbers). Every comment is read by a moderator before it appears.</p>"
)


@register_setting(icon="comment")
class Discussion(BaseSiteSetting):
    """The discussion policy, edited by editors under Settings: WordPress's discussion settings.

    The rules that read it are in rules.py (`assess`).
    """

    class Mode(models.TextChoices):
        HOLD_ALL = "hold_all", _("Hold every reader comment for review")
        RULES = "rules", _("Publish unless a rule holds it")

    class Notify(models.TextChoices):
        EACH = "each", _("An email for each held comment")
        HOURLY = "hourly", _("An hourly digest")
        NEVER = "never", _("No email")

    mode = models.CharField(_("moderation"), max_length=16, choices=Mode.choices, default=Mode.HOLD_ALL)
    max_links = models.PositiveSmallIntegerField(_("hold comments with more links than"), default=2)
    hold_words = models.TextField(
        _("hold list"),
        blank=True,
        help_text=_("One word or phrase per line. A comment that uses one is held."),
    )
    block_words = models.TextField(
        _("block list"),
        blank=True,
        help_text=_("One word or phrase per line. A comment that uses one is kept as spam and never shown."),
    )
    reports_to_requeue = models.PositiveSmallIntegerField(
        _("reports that return a comment to the queue"), default=2
    )
    close_after_days = models.PositiveIntegerField(
        _("close comments on posts older than (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep comments open on every post that allows them."),
    )
    guidelines = RichTextField(
        _("community guidelines"), features=["bold", "italic", "link"], default=DEFAULT_GUIDELINES
    )
    moderators_email = models.EmailField(_("moderators' email"), blank=True)
    notify = models.CharField(
        _("tell moderators about held comments"), max_length=8, choices=Notify.choices, default=Notify.EACH
    )
    patient_relations_email = models.EmailField(_("Patient Relations email"), blank=True)
    # Who official answers come from: "Answer from <this>" under a staff reply marked as the answer.
    hospital_name = models.CharField(
        _("the hospital's name"),
        max_length=100,
        default="the hospital",
        help_text=_("Shown on official answers: “Answer from <the hospital's name>”."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("max_links"),
                FieldPanel("hold_words"),
                FieldPanel("block_words"),
                FieldPanel("reports_to_requeue"),
                FieldPanel("close_after_days"),
            ],
            heading=_("Moderation"),
        ),
        FieldPanel("guidelines"),
        FieldPanel("hospital_name"),
        MultiFieldPanel(
            [FieldPanel("moderators_email"), FieldPanel("notify"), FieldPanel("patient_relations_email")],
            heading=_("Email"),
        ),
    ]

    class Meta:
        verbose_name = _("Discussion")

    @property
    def guidelines_shown(self) -> str:
        """The guidelines in the reader's language while they are the default ones."""
        return gettext(DEFAULT_GUIDELINES) if self.guidelines == DEFAULT_GUIDELINES else self.guidelines

    def is_open(self, page) -> bool:
        """Comments are open on a post whose switch is on and that is not older than the limit."""
        if not getattr(page, "comments_enabled", False):
            return False
        if self.close_after_days is None:
            return True
        return page.date >= timezone.localdate() - datetime.timedelta(days=self.close_after_days)
