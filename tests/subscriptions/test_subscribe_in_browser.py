"""The footer form in Chromium: axe finds no WCAG violation, and subscribing works without help."""

import pytest

from subscriptions.models import Subscriber
from tests.chromium import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_footer_form_passes_axe_and_subscribes(tab, demo):
    assert tab.goto(demo + "/").status == 200
    form = tab.locator("footer form.subscribe-form")
    assert form.is_visible()
    assert_accessible(tab)
    form.get_by_label("Email").fill("reader@example.org")
    form.get_by_role("button", name="Subscribe").click()
    tab.wait_for_load_state()
    assert tab.locator("h1").inner_text() == "Check your email"
    assert Subscriber.objects.get(email="reader@example.org").status == Subscriber.Status.PENDING
    assert_accessible(tab)
