"""A subscriber's data in the commenter export and erasure (comments/personal_data.py runs these
through its `export_commenter` and `erase_commenter` hooks, registered in wagtail_hooks.py)."""

from .models import Delivery, Subscriber, SubscribeRequest
from .tokens import address_digest

__all__ = ["erase", "export"]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def export(email: str) -> dict:
    subscriber = Subscriber.objects.by_email(email).first()
    if subscriber is None:
        return {"email_subscription": None}
    deliveries = Delivery.objects.filter(subscriber=subscriber).select_related("post").order_by("pk")
    return {
        "email_subscription": {
            "email": subscriber.email,
            "name": subscriber.name,
            "status": subscriber.status,
            "frequency": subscriber.frequency,
            "subscribed_at": _iso(subscriber.created_at),
            "confirmed_at": _iso(subscriber.confirmed_at),
            "hard_failures": subscriber.hard_failures,
            "deliveries": [
                {"post": d.post.title, "post_id": d.post_id, "state": d.state, "sent_at": _iso(d.sent_at)}
                for d in deliveries
            ],
        }
    }


def erase(email: str) -> None:
    """The address, its deliveries (cascade) and its rate-limit rows go; links sent to it stop
    working (they name a row that is gone)."""
    Subscriber.objects.by_email(email).delete()
    SubscribeRequest.objects.filter(address=address_digest(email)).delete()
