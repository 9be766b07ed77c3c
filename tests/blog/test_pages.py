import datetime

import pytest
from bs4 import BeautifulSoup

from blog.models import POSTS_PER_PAGE
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_lists_latest_posts(client, site, post):
    response = client.get("/")
    assert response.status_code == 200
    assert post.title in response.text
    assert post.intro in response.text


def test_post_is_served_under_blog(client, post):
    assert post.url == f"/blog/{post.slug}/"
    response = client.get(post.url)
    assert response.status_code == 200
    assert response.text.count("<h1") == 1


def test_post_has_canonical_open_graph_and_json_ld(client, post, settings):
    html = client.get(post.url).text
    assert f'<link rel="canonical" href="{settings.BASE_URL}{post.url}">' in html
    assert '<meta property="og:title"' in html
    assert '"@type": "BlogPosting"' in html


def test_json_ld_cannot_close_its_script_element(client, site):
    post = BlogPageFactory(parent=site["index"], title="</script><script>alert(1)</script>")
    html = client.get(post.url).text
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html


def test_tag_page_lists_only_tagged_posts(client, site, post):
    other = BlogPageFactory(parent=site["index"], tags=["flow"])
    response = client.get("/blog/tag/scheduling/")
    assert response.status_code == 200
    assert post.title in response.text
    assert other.title not in response.text


def test_unknown_tag_is_404(client, site):
    assert client.get("/blog/tag/no-such-tag/").status_code == 404


def test_monthly_archive_lists_posts_of_that_month(client, site):
    inside = BlogPageFactory(parent=site["index"], date=datetime.date(2025, 3, 4))
    outside = BlogPageFactory(parent=site["index"], date=datetime.date(2025, 4, 4))
    response = client.get("/blog/2025/03/")
    assert response.status_code == 200
    assert inside.title in response.text
    assert outside.title not in response.text


@pytest.mark.parametrize("path", ["/blog/2025/13/", "/blog/2025/00/", "/blog/0000/01/"])
def test_impossible_month_is_404(client, site, path):
    assert client.get(path).status_code == 404


def test_author_page_lists_their_posts(client, site, post):
    author = post.authors[0]
    response = client.get(f"/blog/author/{author.slug}/")
    assert response.status_code == 200
    assert post.title in response.text
    assert client.get("/blog/author/nobody/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999", "1.5", "%00"])
def test_bad_page_number_is_never_a_server_error(client, site, post, page):
    response = client.get("/blog/", {"page": page})
    assert response.status_code == 200
    assert post.title in response.text


def test_index_paginates(client, site):
    posts = [BlogPageFactory(parent=site["index"]) for _ in range(12)]
    first = client.get("/blog/").text
    second = client.get("/blog/?page=2").text
    newest, oldest = posts[0], posts[-1]
    assert newest.title in first and newest.title not in second
    assert oldest.title in second and oldest.title not in first


def pages_nav(html: str):
    return BeautifulSoup(html, "html.parser").select_one("nav.pagination")


def test_index_pages_link_newer_and_older_posts(client, site):
    for _ in range(2 * POSTS_PER_PAGE + 1):
        BlogPageFactory(parent=site["index"])
    nav = pages_nav(client.get("/blog/?page=2").text)
    assert nav["aria-label"] == "Pages of posts"
    assert nav.select_one('[aria-current="page"]').get_text() == "Page 2 of 3"
    newer, older = nav.select_one('a[rel="prev"]'), nav.select_one('a[rel="next"]')
    assert (newer["href"], " ".join(newer.get_text().split())) == ("/blog/", "Newer posts (page 1)")
    assert (older["href"], " ".join(older.get_text().split())) == ("/blog/?page=3", "Older posts (page 3)")


def test_one_page_of_posts_has_no_page_links(client, site, post):
    assert pages_nav(client.get("/blog/").text) is None


def test_draft_posts_are_not_listed_or_served(client, site):
    draft = BlogPageFactory(parent=site["index"], live=False)
    assert draft.title not in client.get("/").text
    assert client.get(f"/blog/{draft.slug}/").status_code == 404


def test_unknown_page_uses_custom_404(client, site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We can" in response.text and "find that page" in response.text


def test_robots_txt_points_to_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.BASE_URL}/sitemap.xml" in response.text
