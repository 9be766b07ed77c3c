"""Follow by email: who subscribed, what each post's mailing sent to whom, and the digest day.

A Delivery is one post for one subscriber, unique on (subscriber, post): whatever republishes,
edits, crashes or doubles a worker, the database refuses a second one. Its `state` says where the
message is, and sending.py moves it there: a delivery is claimed by one worker before any byte of
it goes to the mail server, and marked `sending` (a wave of them in one commit) just before the
mail server is told to accept it, so a worker killed mid-batch leaves rows that are either safe to
send again (claimed) or never sent again (sending: the server may have taken it).
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

__all__ = ["Delivery", "Mailing", "MailSettings", "SubscribeRequest", "Subscriber"]

# An unconfirmed address is forgotten after this long (forget_unconfirmed).
UNCONFIRMED_DAYS = 7
# An address that fails hard this many times is suspended.
HARD_FAILURES_TO_SUSPEND = 3


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> "SubscriberQuerySet":
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def by_email(self, email: str) -> "SubscriberQuerySet":
        return self.filter(email=(email or "").strip().lower())


class Subscriber(models.Model):
    """An address that asked for new posts. Nothing is mailed to it but the confirmation link
    until its owner pressed Confirm (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        SUSPENDED = "suspended", _("Suspended (mail bounced)")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Each new post at once")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(
        _("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last confirmation email: at most one a day per address.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    hard_failures = models.PositiveSmallIntegerField(_("hard failures"), default=0)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status", "frequency"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def may_send_confirmation(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        sent = self.confirmation_sent_at
        return sent is None or now - sent >= datetime.timedelta(days=1)

    def confirm(self) -> None:
        """The owner pressed Confirm (or re-subscribed after unsubscribing and confirmed again)."""
        if self.status == self.Status.CONFIRMED:
            return
        self.status = self.Status.CONFIRMED
        self.confirmed_at = timezone.now()
        self.hard_failures = 0
        self.save(update_fields=["status", "confirmed_at", "hard_failures"])

    def unsubscribe(self) -> None:
        """No more mail: every delivery not yet on its way is stopped too."""
        Subscriber.objects.filter(pk=self.pk).update(status=self.Status.UNSUBSCRIBED)
        self.status = self.Status.UNSUBSCRIBED
        Delivery.objects.filter(subscriber=self, state__in=Delivery.WAITING).update(
            state=Delivery.State.STOPPED
        )

    @classmethod
    def forget_unconfirmed(cls, now: datetime.datetime | None = None) -> int:
        """Delete addresses nobody confirmed within UNCONFIRMED_DAYS (and their request rows)."""
        before = (now or timezone.now()) - datetime.timedelta(days=UNCONFIRMED_DAYS)
        SubscribeRequest.objects.filter(created_at__lt=before).delete()
        deleted, _rows = cls.objects.filter(status=cls.Status.PENDING, created_at__lt=before).delete()
        return deleted


class SubscribeRequest(models.Model):
    """One subscribe form accepted, kept for the rate limits (per reader and per address, counted
    from these rows as comments' limits count comments). The address is kept as a keyed digest."""

    reader = models.CharField(max_length=64, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.reader} at {self.created_at:%Y-%m-%d %H:%M}"


class Mailing(models.Model):
    """A post's mailing, made once, the first time the post is published: a republish finds it."""

    post = models.OneToOneField("blog.BlogPage", on_delete=models.CASCADE, related_name="mailing")
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return str(self.post)


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Waiting for the weekly digest")
        CLAIMED = "claimed", _("Claimed by a worker")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        UNKNOWN = "unknown", _("Unknown (worker stopped while sending)")
        STOPPED = "stopped", _("Stopped")

    # Not yet on its way: what an unpublish, an unsubscribe or a suspension stops.
    WAITING = (State.QUEUED, State.HELD, State.CLAIMED)

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    post = models.ForeignKey("blog.BlogPage", on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "post"], name="subscriptions_one_delivery_per_post")
        ]
        indexes = [models.Index(fields=["post", "state"])]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.subscriber_id} ({self.state})"


@register_setting(icon="mail")
class MailSettings(BaseSiteSetting):
    """Settings > Email to readers: the weekly digest's day."""

    class Day(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    digest_day = models.PositiveSmallIntegerField(
        _("weekly digest day"),
        choices=Day.choices,
        default=Day.MONDAY,
        help_text=_("Readers who chose the weekly digest get it on this day."),
    )

    class Meta:
        verbose_name = _("email to readers")
