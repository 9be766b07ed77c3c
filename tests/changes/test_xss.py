"""Reader and editor text on the changes pages and the post's section is inert (server's HTML)."""

from xml.etree import ElementTree

import pytest

from tests.changes.hostile import hostile_changes
from tests.xss_checks import assert_html_safe

pytestmark = pytest.mark.django_db


def test_the_whole_corpus_is_inert_on_every_page_that_shows_changes(client, post):
    for path in hostile_changes(post):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_html_safe(response.content.decode())


def test_the_feed_carries_no_live_markup_for_feed_readers(client, post):
    hostile_changes(post)
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    for item in feed.iter("item"):
        assert_html_safe(item.findtext("description") or "")
        assert_html_safe(item.findtext("title") or "")
