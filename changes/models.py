"""What the organisation did about what readers said: topics, feedback on comments, and changes.

A leaf of the app: the tables, their validation and their structured data. Which citations a reader
may see is decided in citations.py (through comments' visibility rule); purges.py and tasks.py react
to changes once they are committed.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable, PreviewableMixin, RevisionMixin, TranslatableMixin
from wagtail.search import index

from comments.models import Comment

from . import visible

__all__ = [
    "Change",
    "ChangeComment",
    "ChangePost",
    "Feedback",
    "FeedbackStatus",
    "Topic",
]


class Topic(TranslatableMixin, models.Model):
    """What readers' feedback is about (scheduling, phone lines, billing): a snippet editors keep."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        # Unique within a language: /changes/topic/billing/ and /es/changes/topic/facturacion/.
        constraints = [
            models.UniqueConstraint(fields=["locale", "name"], name="changes_topic_name_per_locale"),
            models.UniqueConstraint(fields=["locale", "slug"], name="changes_topic_slug_per_locale"),
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class FeedbackStatus(models.TextChoices):
    HEARD = "heard", _("Heard")
    IN_PROGRESS = "in_progress", _("In progress")
    CHANGED = "changed", _("Changed")
    NOT_CHANGING = "not_changing", _("Not changing")


class Feedback(models.Model):
    """A moderator's note that a published comment is feedback on a topic, and where it stands.

    The reason is public: readers are told why something is not changing, never just "no".
    """

    comment = models.OneToOneField(
        XtdComment, primary_key=True, on_delete=models.CASCADE, related_name="changes_feedback"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="feedback", verbose_name=_("topic")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.HEARD
    )
    reason = models.TextField(
        _("public reason"),
        max_length=500,
        blank=True,
        help_text=_("Shown to readers. Required when nothing will change: say why."),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("marked at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"Feedback on comment #{self.comment_id}"

    def clean(self) -> None:
        super().clean()
        if self.status == FeedbackStatus.NOT_CHANGING and not self.reason.strip():
            raise ValidationError({"reason": _("Tell readers why this is not changing.")})

    @classmethod
    def mark_changed(cls, comment_ids: list[int], topic: Topic) -> int:
        """Citing comments in a change moves their feedback to "changed" (made when missing)."""
        existing = set(cls.objects.filter(comment_id__in=comment_ids).values_list("comment_id", flat=True))
        cls.objects.filter(comment_id__in=existing).exclude(status=FeedbackStatus.CHANGED).update(
            status=FeedbackStatus.CHANGED, updated_at=timezone.now()
        )
        cls.objects.bulk_create(
            [
                cls(comment_id=pk, topic=topic, status=FeedbackStatus.CHANGED)
                for pk in comment_ids
                if pk not in existing
            ]
        )
        return len(comment_ids)


class ChangeQuerySet(models.QuerySet):
    def in_language(self, language: str) -> "ChangeQuerySet":
        """Each language lists its own changes (/changes/, /es/changes/)."""
        return self.filter(locale__language_code=language)

    def newest(self) -> "ChangeQuerySet":
        return self.select_related("topic").order_by("-date", "-pk")

    def listed_before(self, change: "Change") -> "ChangeQuerySet":
        """The changes `newest()` lists before `change` (the same order: date, then pk)."""
        return self.filter(models.Q(date__gt=change.date) | models.Q(date=change.date, pk__gt=change.pk))

    def for_post(self, page) -> "ChangeQuerySet":
        """The changes a post prompted: cited directly, or through one of its comments."""
        comment_ids = Comment.objects.for_page(page).values("pk")
        return (
            self.filter(locale_id=page.locale_id)
            .filter(
                models.Q(cited_posts__post_id=page.pk) | models.Q(cited_comments__comment_id__in=comment_ids)
            )
            .distinct()
        )


class Change(TranslatableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel):
    """Something the hospital changed, and the posts and comments that prompted it.

    Saved changes are public at once (no draft state): revisions keep what each save said, and the
    preview shows the change as readers will see it before it is saved.
    """

    title = models.CharField(
        _("what changed"),
        max_length=200,
        help_text=_("One sentence readers can scan: “The phone menu now offers ‘change an appointment’.”"),
    )
    description = models.TextField(_("details"), max_length=2000, blank=True)
    date = models.DateField(_("when"), default=datetime.date.today)
    department = models.CharField(_("department"), max_length=120)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="changes", verbose_name=_("topic")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("department"), FieldPanel("topic")], heading=_("Who and when")
        ),
        FieldPanel("description"),
        InlinePanel("cited_posts", label=_("Posts that prompted it")),
        InlinePanel(
            "cited_comments",
            label=_("Comments that prompted it"),
            help_text=_(
                "Only published comments can be cited. Their authors are told, if they asked for emails."
            ),
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.SearchField("department"),
    ]

    objects = ChangeQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        ordering = ["-date", "-pk"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return self.title

    @property
    def anchor(self) -> str:
        return f"change-{self.pk or 'preview'}"

    def get_absolute_url(self) -> str:
        # /changes/<pk>/ finds the page of /changes/ that lists it, which moves as changes are added:
        # emails, the feed and JSON-LD keep working links.
        return reverse("changes:change", args=[self.pk])

    def get_preview_template(self, request, mode_name) -> str:
        return "changes/preview.html"

    def save(self, *args, **kwargs):
        # ClusterableModel.save stores the citations with the change; citing moves feedback to
        # "changed", in the same transaction.
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Only what readers see: a citation whose comment was hidden since keeps no feedback.
            cited = visible.visible_comment_ids(
                row.comment_id for row in self.cited_comments.all() if row.comment_id
            )
            if cited:
                Feedback.mark_changed(sorted(cited), self.topic)

    def structured_data(self, citations: list | None = None) -> dict:
        """schema.org UpdateAction: the hospital updated how it works, with the date and who did it."""
        data = {
            "@type": "UpdateAction",
            "name": self.title,
            "description": self.description,
            "startTime": self.date.isoformat(),
            "agent": {"@type": "Organization", "name": self.department},
            "about": self.topic.name,
            "url": settings.BASE_URL + self.get_absolute_url(),
        }
        if citations:
            data["object"] = [{"@type": "Comment", "url": settings.BASE_URL + c.url} for c in citations]
        return data


class ChangePost(Orderable):
    change = ParentalKey(Change, on_delete=models.CASCADE, related_name="cited_posts")
    post = models.ForeignKey(
        "blog.BlogPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("post")
    )

    panels = [PageChooserPanel("post", "blog.BlogPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("cited post")
        constraints = [models.UniqueConstraint(fields=["change", "post"], name="changes_post_once")]

    def __str__(self) -> str:
        return f"Change #{self.change_id} cites post #{self.post_id}"


class ChangeComment(Orderable):
    change = ParentalKey(Change, on_delete=models.CASCADE, related_name="cited_comments")
    comment = models.ForeignKey(
        XtdComment,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("comment number"),
        help_text=_("The number in the comment's address (#c123) or in the moderation queue."),
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # A number, not a list of every comment ever written; clean() checks readers can see it.
    panels = [FieldPanel("comment", widget=forms.NumberInput(attrs={"min": 1}))]

    class Meta(Orderable.Meta):
        verbose_name = _("cited comment")
        constraints = [models.UniqueConstraint(fields=["change", "comment"], name="changes_comment_once")]

    def __str__(self) -> str:
        return f"Change #{self.change_id} cites comment #{self.comment_id}"

    def clean(self) -> None:
        super().clean()
        if self.comment_id and not visible.is_citable(self.comment_id):
            raise ValidationError(
                {
                    "comment": _(
                        "Only a published comment can be cited; comment #%(pk)s is not shown to readers."
                    )
                    % {"pk": self.comment_id}
                }
            )
