"""The Subscribers listing (Wagtail's IndexView): filters, search, counts, CSV; moderators see no
addresses; the Mailings listing's delivery counts."""

import pytest
from django.contrib.auth.models import Group

from subscriptions.models import Delivery, Mailing, Subscriber
from tests.factories import BlogPageFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db
URL = "/admin/subscribers/"


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example-hospital.org", "pw")


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example-hospital.org", "pw")
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


@pytest.fixture
def readers(site):
    SubscriberFactory(email="weekly@example.org", frequency=Subscriber.Frequency.WEEKLY)
    SubscriberFactory(email="daily@example.org")
    SubscriberFactory(email="bounced@example.org", status=Subscriber.Status.SUSPENDED, hard_failures=3)


def test_the_listing_filters_searches_and_counts(client, boss, readers):
    client.force_login(boss)
    html = client.get(URL).content.decode()
    assert "weekly@example.org" in html and "bounced@example.org" in html
    assert "Suspended (mail bounced): <strong>1</strong>" in html
    weekly = client.get(URL, {"frequency": "weekly"}).content.decode()
    assert "weekly@example.org" in weekly and "daily@example.org" not in weekly
    suspended = client.get(URL, {"status": "suspended"}).content.decode()
    assert "bounced@example.org" in suspended and "daily@example.org" not in suspended
    found = client.get(URL, {"q": "daily"}).content.decode()
    assert "daily@example.org" in found and "weekly@example.org" not in found


def test_leadership_exports_csv(client, boss, readers):
    client.force_login(boss)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].lower().startswith("email")
    assert "bounced@example.org" in body
    assert client.get(URL, {"export": "xlsx"}).status_code == 200  # not an export format: the page


def test_moderators_see_the_figures_but_no_addresses(client, moderator, readers):
    client.force_login(moderator)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "@example.org" not in html and "hidden" in html
    for refused in (client.get(URL, {"q": "daily"}), client.get(URL, {"export": "csv"})):
        # Wagtail's admin turns PermissionDenied into a redirect home with a message.
        assert refused.status_code in (302, 403)
        assert b"@example.org" not in refused.content


def test_other_admin_users_are_refused(client, django_user_model, readers):
    user = django_user_model.objects.create_user("ed", "ed@example-hospital.org", "pw")
    client.force_login(user)
    assert client.get(URL).status_code in (302, 403)


def test_each_mailing_shows_its_delivery_counts(client, boss, site):
    _home, index = site
    post = BlogPageFactory(parent=index, title="Parking")
    Mailing.objects.create(post=post)
    states = ["sent", "sent", "queued", "failed", "unknown"]
    for n, state in enumerate(states):
        Delivery.objects.create(
            subscriber=SubscriberFactory(email=f"m{n}@example.org"), post=post, state=state
        )
    client.force_login(boss)
    response = client.get(URL + "mailings/")
    rows = response.context["object_list"]
    assert [(m.queued, m.sent, m.failed) for m in rows] == [(1, 2, 2)]
