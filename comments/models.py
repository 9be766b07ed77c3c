"""The comments app's tables: the comment (django-comments-xtd's, behind a proxy), its moderation
state, its edit history, reader reports, reply-notification subscribers (the site's policy,
`Discussion`, is in discussion.py).

Only the tables, their choices and the simple filters every module shares live here (readers'
marks on a comment, reports and "This helped", in marks.py, and the policy, imported here). What happens
to a comment lives beside them, each job in its own module: why one is held (rules.py), the
moderation state machine (moderation.py), personal data (personal_data.py), the reader's tree
(listing.py), counts for listings (counts.py). This module imports none of them.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment

from .discussion import Discussion
from .marks import CommentReport, HelpfulMark
from .sanitize import shown_name

__all__ = [
    "Comment",
    "CommentQuerySet",
    "CommentReport",
    "CommentRevision",
    "Discussion",
    "HelpfulMark",
    "Moderation",
    "ModerationQuerySet",
    "Reason",
    "RejectReason",
    "Role",
    "Status",
    "Subscriber",
    "TAB_COUNT_CAP",
    "is_visible",
]


class Status(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    STAFF = "staff", _("Staff")
    AUTHOR = "author", _("Author")


class Reason(models.TextChoices):
    """Why a comment needs care: the codes stored in `Moderation.reasons` (rules.py finds them)."""

    POLICY = "policy", _("Every reader comment is held for review")
    FIRST_TIME = "first_time", _("First-time commenter")
    LINKS = "links", _("Too many links")
    HOLD_WORD = "hold_word", _("Matches the hold list")
    PHI = "phi", _("Possible private health information")
    REPORTED = "reported", _("Reported by readers")
    # Staff and author comments are never hidden by reports: reaching the threshold flags them.
    REPORTED_KEPT = "reported_kept", _("Reported by readers (a staff or author comment: still published)")
    BLOCKED = "blocked", _("Matches the block list")
    IMPORTED = "imported", _("Imported, not approved")
    # The writer saw the warning about private health information and chose to post anyway.
    WARNED = "warned", _("The writer was warned about private health information and posted anyway")


class RejectReason(models.TextChoices):
    PHI = "phi", _("Contains private health information")
    OFF_TOPIC = "off_topic", _("Off topic")
    ABUSIVE = "abusive", _("Abusive")
    MEDICAL_ADVICE = "medical_advice", _("Asks for or gives medical advice")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")


def is_visible(comment: XtdComment) -> bool:
    """Whether readers see this comment: django-contrib-comments' two flags, read the same way as
    `CommentQuerySet.published` filters them (any XtdComment: model signals send xtd's own)."""
    return comment.is_public and not comment.is_removed


class CommentQuerySet(models.QuerySet):
    def for_page(self, page) -> "CommentQuerySet":
        content_type = ContentType.objects.get_for_model(page.specific_class)
        return self.filter(content_type=content_type, object_pk=str(page.pk))

    def published(self) -> "CommentQuerySet":
        """The comment's own flags (`is_visible`, as a filter). What readers may see also depends on
        the post and on the comments above it: pages ask comments/visibility.py."""
        return self.filter(is_public=True, is_removed=False)

    def thread_order(self) -> "CommentQuerySet":
        # xtd keeps each thread in depth-first order, so a parent always comes before its replies.
        return self.order_by("thread_id", "order")

    def by_email(self, email: str) -> "CommentQuerySet":
        email = (email or "").strip()
        return self.filter(user_email__iexact=email) if email else self.none()

    def is_known_email(self, email: str) -> bool:
        """Whether this email has had a comment approved before. Typing it proves nothing: the
        rules also ask for the reader's proof of owning it (rules.has_email_proof)."""
        return self.published().by_email(email).exists()


class Comment(XtdComment):
    """django-comments-xtd's comment with our rules for storing and showing it.

    A proxy: the rows are xtd's, so its threading (thread_id, parent_id, level, order) and
    django-contrib-comments' flags (is_public, is_removed) stay the source of truth for what shows.
    Every comment has a moderation row: `creation.add_comment` stores one with it, and a
    receiver (creation.connect) gives one to a comment saved any other way.
    """

    objects = models.Manager.from_queryset(CommentQuerySet)()

    class Meta:
        proxy = True
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        # Never the text: this string goes into Wagtail's audit log, and held text stays out of logs.
        return f"Comment #{self.pk}"

    def save(self, *args, **kwargs):
        # xtd inserts, then computes the thread fields and saves again; one transaction makes it
        # all or nothing. Locking the thread's first comment serialises concurrent replies within
        # one thread, whose order values would otherwise collide (SQLite's BEGIN IMMEDIATE already
        # serialises writers; PostgreSQL needs the row lock).
        with transaction.atomic():
            if self.pk is None and self.parent_id:
                thread = XtdComment.norel_objects.filter(pk=self.parent_id).values_list(
                    "thread_id", flat=True
                )
                XtdComment.norel_objects.select_for_update().filter(pk__in=thread).first()
            super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return shown_name(self.user_name)

    def get_absolute_url(self) -> str:
        # django_comments' own goes through a redirect view this site does not mount.
        return self.permalink

    @property
    def is_reply(self) -> bool:
        return self.parent_id != self.pk

    @property
    def permalink(self) -> str:
        """/comments/<pk>/: it finds the page of the post's comments that shows this comment (which
        moves as threads are added or hidden), so emails, feeds and the queue link through it."""
        return reverse("comments:comment", args=[self.pk])


# The queue counts a tab's comments up to this many, then says "5,000+" (and pages that many).
TAB_COUNT_CAP = 5000


class ModerationQuerySet(models.QuerySet):
    def with_status(self, status: str) -> "ModerationQuerySet":
        if status == "reported":
            return self.filter(report_count__gt=0, status__in=[Status.WAITING, Status.PUBLISHED])
        return self.filter(status=status)

    def waiting_count(self) -> int:
        return self.filter(status=Status.WAITING).count()

    def capped_count(self) -> int:
        """How many rows, counted no further than TAB_COUNT_CAP + 1: a count over a million rows
        cannot be fast, so past the cap the queue says "5,000+" (admin_views)."""
        return self.order_by().values("pk")[: TAB_COUNT_CAP + 1].count()

    def tab_counts(self) -> dict[str, int]:
        """How many comments each status tab of the moderation queue holds, each capped
        (`capped_count`): one bounded query per tab, whatever the number of comments."""
        tabs = [*Status.values, "reported"]
        counts = {tab: self.with_status(tab).capped_count() for tab in tabs}
        counts["all"] = self.capped_count()
        return counts


class Moderation(models.Model):
    """What django-contrib-comments' two flags cannot say: why a comment was held, spam or
    rejected, who decided and when. moderation.py changes it and keeps the flags in step."""

    comment = models.OneToOneField(
        XtdComment, primary_key=True, on_delete=models.CASCADE, related_name="moderation"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    reasons = models.JSONField(_("why it needs care"), default=list, blank=True)
    role = models.CharField(_("commenter"), max_length=8, choices=Role.choices, default=Role.READER)
    reject_reason = models.CharField(_("reason"), max_length=32, choices=RejectReason.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    routed_at = models.DateTimeField(_("sent to Patient Relations at"), null=True, blank=True)
    moderators_notified_at = models.DateTimeField(null=True, blank=True)
    ever_published = models.BooleanField(default=False)
    # The commenter showed proof of owning the email (rules.has_email_proof): only such comments
    # count towards that email's rate limit, so typing someone's address cannot use up theirs.
    email_proven = models.BooleanField(_("email proven"), default=False)
    # The commenter asked to be told what happens to this comment (published, a staff reply,
    # highlighted): signals.reader_news tells the app that mails them (subscriptions).
    wants_notices = models.BooleanField(_("wants notices"), default=False)
    # A moderator's pick, listed above the discussion while the comment is published.
    highlighted_at = models.DateTimeField(_("highlighted at"), null=True, blank=True, db_index=True)
    # Who posted it, for a limit (core.http.reader_key: an address, an IPv6 /64 or "unknown"); the
    # rate limits count comments per reader. Cleared with the address after 30 days.
    reader = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The comment's text "cooked" (sanitised HTML) when it was written, and the version of the
    # sanitising rules that made it (sanitize.POLICY): pages join these instead of sanitising on
    # every render. comments/cooking.py keeps them in step with the text.
    html = models.TextField(_("HTML shown"), blank=True, editable=False)
    html_policy = models.PositiveSmallIntegerField(default=0, editable=False)
    # A question for the hospital (the writer's box, or a moderator's mark), and the staff reply a
    # moderator marked as its official answer. Whether it counts as answered is visibility.py's
    # rule (the answer must be shown), so hiding the answer un-answers the question everywhere.
    question = models.BooleanField(_("question for the hospital"), default=False, db_index=True)
    answer = models.OneToOneField(
        XtdComment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_question",
        verbose_name=_("official answer"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Readers who marked it "This helped" (HelpfulMark rows), kept here for the order and the queue.
    helpful = models.PositiveIntegerField(_("marked helpful"), default=0, editable=False)

    objects = ModerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation")
        indexes = [
            # The queue's "Reported" tab and the dashboard's count: a few rows among a million.
            models.Index(
                fields=["status"], condition=models.Q(report_count__gt=0), name="comments_moderation_reported"
            ),
            # The dashboard's decision times read the last 30 days of decisions.
            models.Index(fields=["decided_at"], name="comments_moderation_decided"),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.comment_id}: {self.status}"

    def reason_list(self) -> list[str]:
        """The reasons as a moderator reads them: label, and what matched in brackets."""
        labels = dict(Reason.choices)
        shown = []
        for reason in self.reasons:
            label = str(labels.get(reason.get("code"), reason.get("code")))
            shown.append(f"{label} ({reason['detail']})" if reason.get("detail") else label)
        return shown


class CommentRevision(models.Model):
    """The text a comment had before a moderator edited or redacted it."""

    comment = models.ForeignKey(XtdComment, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(_("previous text"))
    redacted = models.BooleanField(_("redaction"), default=False)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
        verbose_name = _("comment revision")

    def __str__(self) -> str:
        return f"Revision of comment #{self.comment_id}"


class Subscriber(models.Model):
    """An email address that confirmed, through a signed link, that it wants reply notifications."""

    email = models.EmailField(_("email"), unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscriber")

    def __str__(self) -> str:
        return self.email

    @classmethod
    def confirm(cls, email: str) -> "Subscriber":
        subscriber, _created = cls.objects.get_or_create(email=email.lower())
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at = timezone.now()
            subscriber.save(update_fields=["confirmed_at"])
        return subscriber

    @classmethod
    def is_confirmed(cls, email: str) -> bool:
        return bool(email) and cls.objects.filter(email=email.lower(), confirmed_at__isnull=False).exists()
