"""RSS 2.0 of the latest posts, served by the blog index at `<index>/feed/` (BlogIndexPage.feed)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.text import xml_text

FEED_LENGTH = 20


class LatestPostsFeed(Feed):
    """Links use BASE_URL, not the request's Host header."""

    feed_type = Rss201rev2Feed
    title = settings.WAGTAIL_SITE_NAME
    description = settings.SITE_DESCRIPTION
    language = None  # the active language: the index's, whose path chose it (/es/blog/feed/)

    def get_object(self, request: HttpRequest, index: Page) -> Page:
        return index

    def link(self, index: Page) -> str:
        return settings.BASE_URL + index.url

    def feed_url(self, index: Page) -> str:
        return settings.BASE_URL + index.url + "feed/"

    def items(self, index: Page):
        return index.latest_posts(FEED_LENGTH)

    def item_title(self, item: Page) -> str:
        return xml_text(item.title)

    def item_description(self, item: Page) -> str:
        # Feed readers render a description as HTML; the intro is plain text, so escape it.
        return escape(xml_text(item.intro))

    def item_link(self, item: Page) -> str:
        return settings.BASE_URL + item.url

    def item_author_name(self, item: Page) -> str:
        return xml_text(", ".join(author.name for author in item.authors)) or str(_("Rounds"))

    def item_pubdate(self, item: Page) -> datetime.datetime:
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)

    def item_categories(self, item: Page) -> list[str]:
        return [xml_text(tag.name) for tag in item.tags.all()]
