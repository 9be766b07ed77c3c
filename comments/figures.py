"""The moderation queue's figures for the metrics endpoint (ops.registry, registered in
`apps.ready()`): how many comments wait for a moderator, and for how long the oldest has."""

from django.db.models import Min
from django.utils import timezone

from ops import registry

from .models import Moderation, Status

__all__ = ["oldest_wait_seconds", "register", "waiting"]


def waiting() -> int:
    return Moderation.objects.waiting_count()


def oldest_wait_seconds() -> float:
    """Seconds since the oldest waiting comment was posted; 0 when none waits."""
    oldest = Moderation.objects.filter(status=Status.WAITING).aggregate(oldest=Min("comment__submit_date"))[
        "oldest"
    ]
    return max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0


def register() -> None:
    registry.register("rounds_comments_waiting", "Comments waiting for a moderator.", waiting)
    registry.register(
        "rounds_comments_oldest_wait_seconds",
        "How long the oldest waiting comment has waited.",
        oldest_wait_seconds,
    )
