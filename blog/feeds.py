import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import BlogPage

FEED_LENGTH = 20
# XML 1.0 cannot carry C0 control characters (a title pasted from a terminal may hold ESC).
_XML_UNSAFE = {code: None for code in range(32) if chr(code) not in "\t\n\r"}


def xml_text(text: str) -> str:
    return text.translate(_XML_UNSAFE)


class LatestPostsFeed(Feed):
    """RSS 2.0 of the latest posts. Links use BASE_URL, not the request's Host header."""

    feed_type = Rss201rev2Feed
    title = settings.WAGTAIL_SITE_NAME
    description = settings.SITE_DESCRIPTION
    link = settings.BASE_URL + "/blog/"
    feed_url = settings.BASE_URL + "/blog/feed/"
    language = "en"

    def items(self):
        return BlogPage.objects.newest()[:FEED_LENGTH]

    def item_title(self, item: BlogPage) -> str:
        return xml_text(item.title)

    def item_description(self, item: BlogPage) -> str:
        # Feed readers render a description as HTML; the intro is plain text, so escape it.
        return escape(xml_text(item.intro))

    def item_link(self, item: BlogPage) -> str:
        return settings.BASE_URL + item.url

    def item_author_name(self, item: BlogPage) -> str:
        return xml_text(", ".join(author.name for author in item.authors)) or str(_("Rounds"))

    def item_pubdate(self, item: BlogPage) -> datetime.datetime:
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)

    def item_categories(self, item: BlogPage) -> list[str]:
        return [xml_text(tag.name) for tag in item.tags.all()]
