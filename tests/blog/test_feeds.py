import pytest
from defusedxml import ElementTree as ET

from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_rss_feed_lists_latest_posts_with_intro_author_and_date(client, post, settings):
    response = client.get("/blog/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    item = channel.find("item")
    assert item.findtext("title") == post.title
    assert item.findtext("description") == post.intro
    assert item.findtext("link") == f"{settings.BASE_URL}{post.url}"
    assert post.authors[0].name in item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert item.findtext("pubDate")


def test_feed_links_ignore_a_forged_host_header(client, post, settings):
    response = client.get("/blog/feed/", HTTP_HOST="evil.example")
    assert b"evil.example" not in response.content


def test_every_page_advertises_the_feed(client, post):
    for url in ["/", "/blog/", post.url, "/search/"]:
        html = client.get(url).text
        assert '<link rel="alternate" type="application/rss+xml"' in html, url


def test_sitemap_lists_posts(client, site, settings):
    post = BlogPageFactory(parent=site["index"])
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", ns)]
    assert any(loc.endswith(post.url) for loc in locations)
    assert any(loc.endswith("/blog/") for loc in locations)
