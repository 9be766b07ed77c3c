"""Subscriptions and deliveries in the commenter export and erasure (comments' hooks)."""

import pytest

from comments.personal_data import erase_commenter, export_commenter
from subscriptions.models import Delivery, Subscriber
from tests.factories import BlogPageFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_subscription_and_its_deliveries(site):
    _home, index = site
    post = BlogPageFactory(parent=index, title="Night shifts")
    subscriber = SubscriberFactory(email="pat@example.org", name="Pat")
    Delivery.objects.create(subscriber=subscriber, post=post, state=Delivery.State.SENT)
    data = export_commenter("Pat@Example.org")["email_subscription"]
    assert data["email"] == "pat@example.org" and data["name"] == "Pat"
    assert data["deliveries"] == [
        {"post": "Night shifts", "post_id": post.pk, "state": "sent", "sent_at": None}
    ]
    assert export_commenter("nobody@example.org")["email_subscription"] is None


def test_erasing_a_commenter_forgets_their_subscription_and_deliveries(site):
    _home, index = site
    post = BlogPageFactory(parent=index)
    subscriber = SubscriberFactory(email="pat@example.org")
    other = SubscriberFactory(email="sam@example.org")
    Delivery.objects.create(subscriber=subscriber, post=post)
    Delivery.objects.create(subscriber=other, post=post)
    erase_commenter("pat@example.org")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["sam@example.org"]
    assert Delivery.objects.count() == 1
