"""A post's mailing, through a real SMTP server: once per subscriber whatever happens."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from subscriptions import sending, tasks
from subscriptions.models import Delivery, Mailing, MailSettings, Subscriber
from tests.subscriptions.factories import SubscriberFactory, draft_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(site):
    _home, index = site
    return draft_post(index, title="New visiting hours")


def test_publishing_mails_each_confirmed_subscriber_once(sink, post, publish):
    readers = SubscriberFactory.create_batch(3)
    SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    publish(post)
    assert sorted(r.recipients[0] for r in sink.received) == sorted(s.email for s in readers)
    assert Delivery.objects.filter(post=post, state=Delivery.State.SENT).count() == 3


def test_a_mailing_reuses_its_few_smtp_connections_for_every_batch(
    sink, post, publish, settings, monkeypatch
):
    settings.SUBSCRIPTIONS_SMTP_CONNECTIONS = 2
    monkeypatch.setattr(sending, "BATCH_SIZE", 2)  # three batches of 2, 2 and 1
    SubscriberFactory.create_batch(5)
    publish(post)
    assert len(sink.received) == 5
    assert sink.connections == 2


def test_a_short_batch_opens_only_the_connections_it_needs(sink, post, publish):
    SubscriberFactory.create_batch(3)
    publish(post)
    assert len(sink.received) == 3
    assert sink.connections == 3


def test_republishing_and_editing_mail_nobody_again(sink, post, publish):
    SubscriberFactory.create_batch(2)
    publish(post)
    post.title = "New visiting hours (edited)"
    publish(post)
    tasks.queue_mailing.enqueue(post.pk)  # even a doubled task finds the rows
    assert len(sink.received) == 2
    assert Mailing.objects.filter(post=post).count() == 1


def test_the_email_is_multipart_accessible_and_carries_rfc_8058_headers(sink, post, publish):
    reader = SubscriberFactory()
    publish(post)
    message = sink.to(reader.email)[0].message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = (part.strip(" <>") for part in message["List-Unsubscribe"].split(","))
    assert https.startswith("http") and "/subscribe/unsubscribe/" in https
    assert mailto.startswith("mailto:unsubscribe@")
    assert message["List-Id"].endswith(">")
    assert message["Message-ID"].startswith(f"<rounds.post{post.pk}.s{reader.pk}.")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "New visiting hours" in part
        assert "A short introduction to the post." in part
        assert "The first paragraph of the post." in part
        assert "The second." not in part
        assert "Read and comment" in part
    assert '<html lang="en' in html and "<h1>New visiting hours</h1>" in html
    assert "<img" not in html and "style" not in html  # no tracking pixel, readable without CSS
    assert f'href="http://127.0.0.1:8000{post.url}"' in html  # the post's own address, not rewritten


def test_private_and_draft_posts_are_never_mailed(sink, site, publish):
    _home, index = site
    SubscriberFactory()
    draft = draft_post(index)
    draft.save_revision()  # saved, never published
    restricted = draft_post(index)
    restricted.view_restrictions.create(restriction_type="login")
    publish(restricted)
    assert sink.received == []
    assert not Mailing.objects.exists()


def test_unpublishing_before_the_mailing_went_out_stops_the_rest(sink, post, settings, publish):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing answers: the mailing waits for a retry
    SubscriberFactory.create_batch(3)
    publish(post)
    assert Delivery.objects.filter(post=post, state=Delivery.State.QUEUED).count() == 3
    post.unpublish()
    assert Delivery.objects.filter(post=post, state=Delivery.State.STOPPED).count() == 3
    settings.EMAIL_PORT = sink.port
    Delivery.objects.update(not_before=None)
    tasks.send_mailing.enqueue(post.pk)
    assert sink.received == []


def test_a_worker_killed_mid_batch_resends_only_what_never_reached_the_server(sink, post):
    readers = SubscriberFactory.create_batch(4)
    publish_without_mailing(post)
    for reader in readers:
        Delivery.objects.create(subscriber=reader, post=post)
    rows = list(Delivery.objects.order_by("pk"))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    # The dead worker: it claimed two (never sent), and had marked one sending (the server may have it).
    Delivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        state=Delivery.State.CLAIMED, claim="dead", claimed_at=long_ago
    )
    Delivery.objects.filter(pk=rows[2].pk).update(
        state=Delivery.State.SENDING, claim="dead", claimed_at=long_ago
    )
    tasks.send_mailing.enqueue(post.pk)
    got = sorted(r.recipients[0] for r in sink.received)
    assert got == sorted([readers[0].email, readers[1].email, readers[3].email])
    assert Delivery.objects.get(pk=rows[2].pk).state == Delivery.State.UNKNOWN


def publish_without_mailing(post):
    """Live, with no mailing row yet and none queued (the mailing is set up by hand)."""
    post.live = True
    post.save()
    Mailing.objects.create(post=post)
    return post


def test_two_workers_never_claim_the_same_delivery(post):
    SubscriberFactory.create_batch(6)
    publish_without_mailing(post)
    for subscriber in Subscriber.objects.all():
        Delivery.objects.create(subscriber=subscriber, post=post)
    rows = Delivery.objects.filter(post=post)
    first, claimed_first = sending.claim(rows, size=4)
    second, claimed_second = sending.claim(rows, size=4)
    assert len(claimed_first) == 4 and len(claimed_second) == 2
    assert not {d.pk for d in claimed_first} & {d.pk for d in claimed_second}


def test_an_address_that_fails_hard_three_times_is_suspended(sink, site, publish):
    _home, index = site
    bouncing = SubscriberFactory(email="gone@example.org")
    sink.refuse["gone@example.org"] = "550 No such user"
    for _ in range(3):
        publish(draft_post(index))
    bouncing.refresh_from_db()
    assert bouncing.status == Subscriber.Status.SUSPENDED
    assert bouncing.hard_failures == 3
    row = Delivery.objects.filter(subscriber=bouncing).first()
    assert row.state in (Delivery.State.QUEUED, Delivery.State.STOPPED) and "550" in row.error


def test_a_failed_send_is_retried_later_with_backoff(sink, post, publish):
    reader = SubscriberFactory(email="busy@example.org")
    sink.refuse["busy@example.org"] = "451 Try again later"
    publish(post)
    row = Delivery.objects.get(subscriber=reader)
    assert row.state == Delivery.State.QUEUED and row.attempts == 1
    assert row.not_before > timezone.now() + datetime.timedelta(seconds=50)
    reader.refresh_from_db()
    assert reader.hard_failures == 0  # a 4xx is not a hard failure
    del sink.refuse["busy@example.org"]
    Delivery.objects.update(not_before=None)
    tasks.resume()
    assert len(sink.to("busy@example.org")) == 1


def test_the_weekly_digest_gathers_held_posts_in_one_email(sink, site, publish):
    _home, index = site
    weekly = SubscriberFactory(frequency=Subscriber.Frequency.WEEKLY)
    SubscriberFactory()
    first = publish(draft_post(index, title="First post"))
    second = publish(draft_post(index, title="Second post"))
    assert sink.to(weekly.email) == []
    tasks.send_digests.enqueue(force=True)
    digests = sink.to(weekly.email)
    assert len(digests) == 1
    text = digests[0].message.get_body(("plain",)).get_content()
    assert first.title in text and second.title in text
    tasks.send_digests.enqueue(force=True)
    assert len(sink.to(weekly.email)) == 1  # each post once


def test_one_digest_a_day_whatever_is_published_after_it(sink, site, publish):
    """The scheduler asks for the digest every hour of its day: a post published after the day's
    digest waits for next week's."""
    _home, index = site
    weekly = SubscriberFactory(frequency=Subscriber.Frequency.WEEKLY)
    publish(draft_post(index, title="Morning post"))
    from_settings = MailSettings.for_site(Site.objects.get(is_default_site=True))
    from_settings.digest_day = timezone.localdate().weekday()
    from_settings.save()
    tasks.send_digests.enqueue()
    publish(draft_post(index, title="Afternoon post"))
    tasks.send_digests.enqueue()
    digests = sink.to(weekly.email)
    assert len(digests) == 1
    assert "Afternoon post" not in digests[0].message.get_body(("plain",)).get_content()
    assert Delivery.objects.filter(subscriber=weekly, state=Delivery.State.HELD).count() == 1


def test_the_digest_waits_for_the_sites_day(sink, site, publish):
    _home, index = site
    weekly = SubscriberFactory(frequency=Subscriber.Frequency.WEEKLY)
    publish(draft_post(index))
    from_settings = MailSettings.for_site(Site.objects.get(is_default_site=True))
    from_settings.digest_day = (timezone.localdate().weekday() + 1) % 7
    from_settings.save()
    tasks.send_digests.enqueue()
    assert sink.to(weekly.email) == []
