"""Batches sent in waves over a few connections: one copy each, one commit per wave, and a batch's
one rendered email made each subscriber's own."""

import datetime
import email
import email.policy

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from subscriptions import emails, sending, tasks
from subscriptions.models import Delivery, Mailing, Subscriber
from tests.subscriptions.factories import SubscriberFactory, draft_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(site):
    _home, index = site
    post = draft_post(index, title="Longer visiting hours")
    post.live = True
    post.save()
    Mailing.objects.create(post=post)  # set up by hand: the tests drive the sending
    return post


def queued(post, count):
    for subscriber in SubscriberFactory.create_batch(count):
        Delivery.objects.create(subscriber=subscriber, post=post)
    return Delivery.objects.filter(post=post)


def units_of(post, claimed):
    mail = emails.PostMail(emails.PostContent.of(post))
    return [
        sending.Unit(
            row.subscriber,
            [row.pk],
            lambda r=row: mail.message(r.subscriber, r.pk),
            lambda r=row: mail.envelope(r.subscriber, r.pk),
        )
        for row in claimed
    ]


def copies(sink, post):
    return sorted(n for (_address, post_id), n in sink.by_post.items() if post_id == post.pk)


def test_a_batchs_copy_is_the_email_built_for_that_subscriber(post, monkeypatch):
    # Both emails' signed links in the same second, as if built at once: a link carries its time.
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(1_800_000_000))
    reader = SubscriberFactory(email="ward.manager@example.org")
    content = emails.PostContent.of(post)
    fast = emails.PostMail(content).envelope(reader, 41)
    assert fast.recipients == [reader.email]
    got = email.message_from_bytes(fast.data, policy=email.policy.default)
    want = email.message_from_bytes(
        emails.new_post(content, reader, 41).message().as_bytes(linesep="\r\n"), policy=email.policy.default
    )
    for header in (
        "To",
        "From",
        "Subject",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "List-Id",
    ):
        assert str(got[header]).strip() == str(want[header]).strip(), header
    for kind in ("plain", "html"):
        assert got.get_body((kind,)).get_content() == want.get_body((kind,)).get_content()
    assert "@@" not in fast.data.decode() and "stand-in" not in fast.data.decode()


def test_each_subscriber_gets_their_own_links_and_message_id(sink, post):
    rows = queued(post, 3)
    token, claimed = sending.claim(rows)
    assert sending.send_units(token, units_of(post, claimed)) == 3
    ids = {r.message["Message-ID"] for r in sink.received}
    links = {r.message["List-Unsubscribe"] for r in sink.received}
    assert len(ids) == 3 and len(links) == 3
    for received in sink.received:
        subscriber = Subscriber.objects.get(email=received.recipients[0])
        assert f".s{subscriber.pk}." in received.message["Message-ID"]


def test_a_wave_is_recorded_in_one_commit_not_one_per_message(sink, post, settings):
    settings.SUBSCRIPTIONS_SMTP_CONNECTIONS = 5
    rows = queued(post, 10)
    token, claimed = sending.claim(rows)
    units = units_of(post, claimed)
    with CaptureQueriesContext(connection) as queries:
        assert sending.send_units(token, units) == 10
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    # Two waves of five: each marks its rows sending (and the one before it sent), then the last
    # wave's rows are marked sent: four statements for ten messages.
    assert len(updates) == 4
    assert rows.filter(state=Delivery.State.SENT).count() == 10
    assert sink.connections == 5


def test_two_workers_at_once_send_each_subscriber_one_copy(sink, post):
    rows = queued(post, 6)
    first, held_by_first = sending.claim(rows, size=3)
    tasks.send_mailing.call(post.pk)  # a second worker, while the first holds its claim
    assert len(sink.received) == 3
    sending.send_units(first, units_of(post, held_by_first))
    assert copies(sink, post) == [1] * 6
    assert rows.filter(state=Delivery.State.SENT).count() == 6


def test_a_worker_whose_claim_was_taken_back_sends_nothing(sink, post):
    rows = queued(post, 4)
    slow, held = sending.claim(rows, size=4)
    rows.update(claimed_at=timezone.now() - datetime.timedelta(hours=1))  # its claim expired
    tasks.send_mailing.call(post.pk)  # another worker takes the rows back and sends them
    assert sending.send_units(slow, units_of(post, held)) == 0  # the rows are no longer its own
    assert copies(sink, post) == [1] * 4


def test_rows_a_killed_worker_marked_sending_are_never_sent_again(sink, post):
    rows = queued(post, 3)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    # A worker killed after a wave's commit, before (or after) its final dots reached the server.
    rows.update(state=Delivery.State.SENDING, claim="dead", claimed_at=long_ago)
    assert tasks.resume() == 0
    tasks.send_mailing.call(post.pk)
    assert sink.received == []
    assert rows.filter(state=Delivery.State.UNKNOWN).count() == 3
