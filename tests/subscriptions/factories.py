import json

import factory
from django.utils import timezone

from subscriptions.models import Subscriber
from tests.factories import BlogPageFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = Subscriber.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscriber


def draft_post(index, **fields):
    """A post that is not live yet: publishing its revision is what editors and publish_scheduled do."""
    body = json.dumps(
        [
            {"type": "heading", "value": "Why"},
            {"type": "paragraph", "value": "<p>The first paragraph of the post.</p><p>The second.</p>"},
        ]
    )
    return BlogPageFactory(parent=index, live=False, body=body, **fields)
