"""Reader comments: the comment (django-comments-xtd's, behind a proxy), its moderation state,
its edit history, reader reports, reply-notification subscribers, and the site's policy."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.log_actions import log

from . import rules
from .sanitize import strip_invisible
from .signals import discussion_changed

__all__ = [
    "Comment",
    "CommentReport",
    "CommentRevision",
    "Discussion",
    "Moderation",
    "Status",
    "Subscriber",
    "attach_comment_counts",
]

DEFAULT_GUIDELINES = (
    "<p><b>Before you comment:</b> this is not the place for emergencies or medical advice. "
    "If you need care now, call 911 or your care team. Please do not post private health "
    "information about yourself or anyone else (names, dates of birth, record numbers, phone "
    "numbers). Every comment is read by a moderator before it appears.</p>"
)


@register_setting(icon="comment")
class Discussion(BaseSiteSetting):
    """The discussion policy, edited by editors under Settings: WordPress's discussion settings."""

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
        MultiFieldPanel(
            [FieldPanel("moderators_email"), FieldPanel("notify"), FieldPanel("patient_relations_email")],
            heading=_("Email"),
        ),
    ]

    class Meta:
        verbose_name = _("Discussion")

    @staticmethod
    def _lines(value: str) -> list[str]:
        return [" ".join(line.lower().split()) for line in value.splitlines() if line.strip()]

    def is_open(self, page) -> bool:
        """Comments are open on a post whose switch is on and that is not older than the limit."""
        if not getattr(page, "comments_enabled", False):
            return False
        if self.close_after_days is None:
            return True
        return page.date >= timezone.localdate() - datetime.timedelta(days=self.close_after_days)

    def assess(self, comment: "Comment", *, staff: bool) -> rules.Verdict:
        """Run every rule over a new comment; see rules.py."""
        verdict = rules.Verdict()
        text = f"{comment.user_name}\n{comment.comment}"
        blocked = rules.matching_phrases(text, self._lines(self.block_words))
        if blocked:
            verdict.add("blocked", ", ".join(blocked))
            verdict.spam = True
        if not staff:
            if self.mode == self.Mode.HOLD_ALL:
                verdict.add("policy")
            elif not Comment.objects.is_known_email(comment.user_email):
                verdict.add("first_time")
        links = rules.count_links(comment.comment)
        if links > self.max_links:
            verdict.add("links", str(links), hold=not staff)
        held_words = rules.matching_phrases(text, self._lines(self.hold_words))
        if held_words:
            verdict.add("hold_word", ", ".join(held_words), hold=not staff)
        phi = rules.find_phi(comment.comment)
        if phi:
            verdict.add("phi", ", ".join(phi), hold=not staff)
        return verdict


# What an erased commenter's comments say instead (manage.py erase_commenter).
ERASED_TEXT = _("[This comment was removed at the commenter's request.]")


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class Status(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class Role(models.TextChoices):
    READER = "reader", _("Reader")
    STAFF = "staff", _("Staff")
    AUTHOR = "author", _("Author")


class CommentQuerySet(models.QuerySet):
    def for_page(self, page) -> "CommentQuerySet":
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(page.specific_class)
        return self.filter(content_type=content_type, object_pk=str(page.pk))

    def published(self) -> "CommentQuerySet":
        return self.filter(is_public=True, is_removed=False)

    def thread_order(self) -> "CommentQuerySet":
        # xtd keeps each thread in depth-first order, so a parent always comes before its replies.
        return self.order_by("thread_id", "order")

    def tree(self) -> list["Node"]:
        """The visible discussion as nested nodes, from one query, in O(n).

        Ordered by thread then xtd's depth-first order, so every parent is met before its replies;
        a reply whose parent is not in the queryset (held, rejected) is left out with it.
        """
        from .sanitize import comment_html_many

        comments = list(self.select_related("moderation").thread_order())
        htmls = comment_html_many(c.comment for c in comments)
        reply_prefix = reverse("comments:reply", args=[1]).removesuffix("1/")
        report_prefix = reverse("comments:report", args=[1]).removesuffix("1/")
        nodes: dict[int, Node] = {}
        roots: list[Node] = []
        for comment, html in zip(comments, htmls, strict=True):
            node = Node(comment, html, f"{reply_prefix}{comment.pk}/", f"{report_prefix}{comment.pk}/")
            if comment.parent_id == comment.pk:
                roots.append(node)
            elif comment.parent_id in nodes:
                nodes[comment.parent_id].children.append(node)
            else:
                continue
            nodes[comment.pk] = node
        return roots

    def is_known_email(self, email: str) -> bool:
        """Whether this email has had a comment approved before and has confirmed it owns it."""
        if not email:
            return False
        return (
            Subscriber.objects.filter(email__iexact=email, confirmed_at__isnull=False).exists()
            and self.published().filter(user_email__iexact=email).exists()
        )

    # Personal data (README "Personal data"): what the retention commands stand on.

    def by_email(self, email: str) -> "CommentQuerySet":
        email = (email or "").strip()
        return self.filter(user_email__iexact=email) if email else self.none()

    def clear_ip_addresses(self, before: datetime.datetime) -> int:
        """Forget the address of every comment older than `before` (and of reports on comments):
        addresses serve rate limits and abuse checks, which need days, not years."""
        cleared = self.filter(submit_date__lt=before, ip_address__isnull=False).update(ip_address=None)
        return cleared + CommentReport.objects.filter(created_at__lt=before, ip_address__isnull=False).update(
            ip_address=None
        )

    def export_for(self, email: str) -> dict:
        """Everything stored about one commenter's email, as plain data (a subject access request)."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import ModelLogEntry

        comments = list(self.by_email(email).select_related("moderation").order_by("submit_date", "pk"))
        pks = [c.pk for c in comments]
        revisions = CommentRevision.objects.filter(comment_id__in=pks).order_by("replaced_at", "pk")
        # Decisions are logged against our proxy; count xtd's own content type too.
        content_types = ContentType.objects.get_for_models(Comment, XtdComment, for_concrete_models=False)
        log_entries = ModelLogEntry.objects.filter(
            content_type__in=content_types.values(), object_id__in=[str(pk) for pk in pks]
        ).order_by("timestamp", "pk")
        subscriber = Subscriber.objects.filter(email__iexact=(email or "").strip()).first()
        moderation = {c.pk: getattr(c, "moderation", None) for c in comments}
        return {
            "email": (email or "").strip().lower(),
            "comments": [
                {
                    "id": c.pk,
                    "post": {"id": c.object_pk, "url": c.content_object.url if c.content_object else None},
                    "submitted": c.submit_date.isoformat(),
                    "name": c.user_name,
                    "email": c.user_email,
                    "url": c.user_url,
                    "ip_address": c.ip_address,
                    "text": c.comment,
                    "reply_to": c.parent_id if c.parent_id != c.pk else None,
                    "wants_reply_emails": c.followup,
                    "shown": c.is_public and not c.is_removed,
                    "moderation": None
                    if moderation[c.pk] is None
                    else {
                        "status": moderation[c.pk].status,
                        "reasons": moderation[c.pk].reasons,
                        "reject_reason": moderation[c.pk].reject_reason,
                        "decided_at": _iso(moderation[c.pk].decided_at),
                        "reports": moderation[c.pk].report_count,
                        "sent_to_patient_relations_at": _iso(moderation[c.pk].routed_at),
                    },
                }
                for c in comments
            ],
            "revisions": [
                {
                    "comment": r.comment_id,
                    "text": r.text,
                    "redacted": r.redacted,
                    "replaced_at": _iso(r.replaced_at),
                }
                for r in revisions
            ],
            "subscription": None
            if subscriber is None
            else {"email": subscriber.email, "confirmed_at": _iso(subscriber.confirmed_at)},
            "moderation_log": [
                {"comment": int(e.object_id), "action": e.action, "at": _iso(e.timestamp), "data": e.data}
                for e in log_entries
            ],
        }

    def erase_commenter(self, email: str) -> int:
        """Anonymise one commenter: name, email, address and URL cleared, every text (and every
        earlier version of it) replaced by a note. The rows stay, so replies keep their place in
        the thread; the subscription goes. Returns the number of comments erased."""
        comments = self.by_email(email)
        pks = list(comments.values_list("pk", flat=True))
        if not pks:
            Subscriber.objects.filter(email__iexact=(email or "").strip()).delete()
            return 0
        note = str(ERASED_TEXT)
        pages = {
            c.content_object for c in Comment.objects.filter(pk__in=pks, is_public=True, is_removed=False)
        }
        with transaction.atomic():
            # UPDATEs, not save(): xtd's pre_save handler would touch the replies beneath.
            XtdComment.norel_objects.filter(pk__in=pks).update(
                user_name="", user_email="", user_url="", ip_address=None, comment=note, followup=False
            )
            CommentRevision.objects.filter(comment_id__in=pks).update(text=note)
            Subscriber.objects.filter(email__iexact=(email or "").strip()).delete()
        for page in pages - {None}:
            transaction.on_commit(lambda page=page: discussion_changed.send(Comment, page=page), robust=True)
        return len(pks)


class Node:
    """One comment in a rendered discussion: the comment, its safe HTML, its replies, and what the
    template shows of it, worked out once here (a thousand-comment page renders in a fraction of
    the time that per-comment template tags take)."""

    __slots__ = ("children", "comment", "html", "name", "reply_url", "report_url", "when")

    def __init__(self, comment: "Comment", html: str, reply_url: str, report_url: str):
        self.comment = comment
        self.html = html
        self.name = comment.display_name
        self.reply_url = reply_url
        self.report_url = report_url
        self.when = timezone.localtime(comment.submit_date)
        self.children: list[Node] = []

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)


class Comment(XtdComment):
    """django-comments-xtd's comment with our rules for creating and showing it.

    A proxy: the rows are xtd's, so its threading (thread_id, parent_id, level, order) and
    django-contrib-comments' flags (is_public, is_removed) stay the source of truth for what shows.
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
        return strip_invisible(self.user_name).strip() or str(_("Anonymous"))

    def get_absolute_url(self) -> str:
        # django_comments' own goes through a redirect view this site does not mount.
        return self.permalink

    @property
    def is_reply(self) -> bool:
        return self.parent_id != self.pk

    @property
    def permalink(self) -> str:
        return f"{self.content_object.url}#c{self.pk}"

    @classmethod
    def post(
        cls, comment: "Comment", *, page, user=None, ip_address: str | None = None, discussion: Discussion
    ) -> "Comment":
        """Store a new comment with its moderation state, atomically; emails go after commit."""
        from . import notify

        staff = is_staff(user)
        verdict = discussion.assess(comment, staff=staff)
        if verdict.spam:
            status = Status.SPAM
        elif verdict.hold:
            status = Status.WAITING
        else:
            status = Status.PUBLISHED
        comment.ip_address = ip_address
        if user and user.is_authenticated:
            comment.user = user
        comment.is_public = status == Status.PUBLISHED
        comment.is_removed = status == Status.SPAM
        with transaction.atomic():
            comment.save()
            Moderation.objects.create(
                comment=comment,
                status=status,
                reasons=verdict.reasons,
                role=role_for(user, page),
                ever_published=status == Status.PUBLISHED,
            )
        transaction.on_commit(lambda: notify.comment_posted(comment.pk), robust=True)
        if status == Status.PUBLISHED:
            transaction.on_commit(lambda: discussion_changed.send(Comment, page=page), robust=True)
        return comment


def is_staff(user) -> bool:
    """A logged-in Wagtail user: publishes at once and is badged. Wagtail's users need not have
    Django's is_staff flag; access to the Wagtail admin is what makes someone staff here."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")
    )


def role_for(user, page) -> str:
    """Staff replies are badged; the post's author's as "Author" (matched by name: authors are
    snippets, not user accounts)."""
    if not is_staff(user):
        return Role.READER
    full_name = " ".join((user.get_full_name() or "").lower().split())
    if full_name and any(full_name == " ".join(a.name.lower().split()) for a in page.specific.authors):
        return Role.AUTHOR
    return Role.STAFF


class RejectReason(models.TextChoices):
    PHI = "phi", _("Contains private health information")
    OFF_TOPIC = "off_topic", _("Off topic")
    ABUSIVE = "abusive", _("Abusive")
    MEDICAL_ADVICE = "medical_advice", _("Asks for or gives medical advice")
    DUPLICATE = "duplicate", _("Duplicate")
    OTHER = "other", _("Other")


class ModerationQuerySet(models.QuerySet):
    def with_status(self, status: str) -> "ModerationQuerySet":
        if status == "reported":
            return self.filter(report_count__gt=0, status__in=[Status.WAITING, Status.PUBLISHED])
        return self.filter(status=status)

    def waiting_count(self) -> int:
        return self.filter(status=Status.WAITING).count()


def _log_title(comment: XtdComment) -> str:
    # Never the text (django_comments' __str__ starts with it): held text stays out of logs.
    return f"Comment #{comment.pk}"


def _update_flags(instance: XtdComment, **fields) -> None:
    # An UPDATE, not save(): xtd's pre_save handler would copy this comment's flags onto every
    # reply beneath it, publishing held replies or hiding others' state. Each comment keeps its own
    # state; a reply under a hidden comment is simply not shown.
    XtdComment.norel_objects.filter(pk=instance.pk).update(**fields)


class Moderation(models.Model):
    """What django-contrib-comments' two flags cannot say: why a comment was held, spam or
    rejected, who decided and when. The flags on the comment are kept in step by `_decide`."""

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

    objects = ModerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation")

    def __str__(self) -> str:
        return f"Comment #{self.comment_id}: {self.status}"

    def reason_list(self) -> list[str]:
        labels = []
        for reason in self.reasons:
            label = str(rules.REASON_LABELS.get(reason.get("code"), reason.get("code")))
            labels.append(f"{label} ({reason['detail']})" if reason.get("detail") else label)
        return labels

    def _decide(self, status: str, user, action: str, **data) -> None:
        comment = self.comment
        was_public = comment.is_public and not comment.is_removed
        with transaction.atomic():
            self.status = status
            self.decided_by = user
            self.decided_at = timezone.now()
            if status == Status.PUBLISHED:
                self.report_count = 0
            first_publication = status == Status.PUBLISHED and not self.ever_published
            self.ever_published = self.ever_published or status == Status.PUBLISHED
            self.save()
            comment.is_public = status == Status.PUBLISHED
            comment.is_removed = status in (Status.REJECTED, Status.SPAM)
            _update_flags(comment, is_public=comment.is_public, is_removed=comment.is_removed)
            log(
                instance=comment,
                action=action,
                user=user,
                title=_log_title(comment),
                data={"status": status, **data},
            )
        page = comment.content_object
        if was_public != (status == Status.PUBLISHED):
            transaction.on_commit(lambda: discussion_changed.send(Comment, page=page), robust=True)
        if first_publication:
            from . import notify

            transaction.on_commit(lambda: notify.comment_published(comment.pk), robust=True)

    def approve(self, user) -> None:
        self._decide(Status.PUBLISHED, user, "comments.approve")

    def reject(self, user, reason: str) -> None:
        self.reject_reason = reason
        self._decide(Status.REJECTED, user, "comments.reject", reason=reason)

    def mark_spam(self, user) -> None:
        self._decide(Status.SPAM, user, "comments.spam")

    def edit(self, user, text: str, *, redacted: bool = False) -> None:
        """Change the text, keeping the original in the history (a redaction is an edit that
        removes private information; both are logged, neither loses what was written)."""
        comment = self.comment
        if text == comment.comment:
            return
        with transaction.atomic():
            CommentRevision.objects.create(
                comment=comment, text=comment.comment, replaced_by=user, redacted=redacted
            )
            comment.comment = text
            _update_flags(comment, comment=text)
            log(
                instance=comment,
                action="comments.redact" if redacted else "comments.edit",
                user=user,
                title=_log_title(comment),
            )
        if comment.is_public and not comment.is_removed:
            page = comment.content_object
            transaction.on_commit(lambda: discussion_changed.send(Comment, page=page), robust=True)

    def route_to_patient_relations(self, user, discussion: Discussion) -> bool:
        from . import notify

        if not discussion.patient_relations_email:
            return False
        with transaction.atomic():
            self.routed_at = timezone.now()
            self.save(update_fields=["routed_at"])
            log(instance=self.comment, action="comments.route", user=user, title=_log_title(self.comment))
        address = discussion.patient_relations_email
        transaction.on_commit(lambda: notify.route(self.comment_id, address), robust=True)
        return True

    def report(self, ip_address: str | None, threshold: int) -> bool:
        """A reader's report; reaching the threshold returns a published comment to the queue.
        One report per address per comment, so one reader cannot hide a comment alone."""
        with transaction.atomic():
            if (
                ip_address
                and CommentReport.objects.filter(comment_id=self.comment_id, ip_address=ip_address).exists()
            ):
                return False
            CommentReport.objects.create(comment_id=self.comment_id, ip_address=ip_address)
            Moderation.objects.filter(pk=self.pk).update(report_count=F("report_count") + 1)
            self.refresh_from_db()
            if self.status == Status.PUBLISHED and threshold and self.report_count >= threshold:
                self.status = Status.WAITING
                self.reasons = [*self.reasons, {"code": "reported", "detail": str(self.report_count)}]
                self.save(update_fields=["status", "reasons"])
                comment = self.comment
                comment.is_public = False
                _update_flags(comment, is_public=False)
                log(
                    instance=comment,
                    action="comments.requeue",
                    title=_log_title(comment),
                    data={"reports": self.report_count},
                )
                page = comment.content_object
                transaction.on_commit(lambda: discussion_changed.send(Comment, page=page), robust=True)
        return True


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


class CommentReport(models.Model):
    comment = models.ForeignKey(XtdComment, on_delete=models.CASCADE, related_name="reports")
    ip_address = models.GenericIPAddressField(unpack_ipv4=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report")

    def __str__(self) -> str:
        return f"Report on comment #{self.comment_id}"


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


def attach_comment_counts(posts) -> list:
    """Set `comment_count` on each post of one listing, from one query over those posts alone.

    (An annotation on the listing's queryset would count comments for every post it sorts, not
    just the page shown: its cost would grow with the whole blog.)
    """
    from django.contrib.contenttypes.models import ContentType

    from blog.models import BlogPage

    posts = list(posts)
    if not posts:
        return posts
    rows = (
        XtdComment.norel_objects.filter(
            content_type=ContentType.objects.get_for_model(BlogPage),
            object_pk__in=[str(post.pk) for post in posts],
            is_public=True,
            is_removed=False,
        )
        .order_by()
        .values("object_pk")
        .annotate(n=Count("pk"))
    )
    counts = {row["object_pk"]: row["n"] for row in rows}
    for post in posts:
        post.comment_count = counts.get(str(post.pk), 0)
    return posts
