import json

import pytest
from bs4 import BeautifulSoup

from rounds.views import SEARCH_RESULTS_PER_PAGE
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_posts_by_title_intro_and_body(client, site):
    by_title = BlogPageFactory(parent=site["index"], title="Dermatology waiting times")
    by_body = BlogPageFactory(
        parent=site["index"],
        body=json.dumps([{"type": "paragraph", "value": "<p>The voicemail box was full.</p>"}]),
    )
    unrelated = BlogPageFactory(parent=site["index"], title="Night shift")
    assert by_title.title in client.get("/search/", {"q": "dermatology"}).text
    html = client.get("/search/", {"q": "voicemail"}).text
    assert by_body.title in html
    assert unrelated.title not in html


def test_result_pages_keep_the_query_and_say_results(client, site):
    for n in range(2 * SEARCH_RESULTS_PER_PAGE + 1):
        BlogPageFactory(parent=site["index"], title=f"Dermatology waiting times {n}")
    html = client.get("/search/", {"q": 'dermatology "waiting times"', "page": "2"}).text
    nav = BeautifulSoup(html, "html.parser").select_one("nav.pagination")
    assert nav["aria-label"] == "Pages of results"
    previous, more = nav.select_one('a[rel="prev"]'), nav.select_one('a[rel="next"]')
    query = "q=dermatology%20%22waiting%20times%22"
    assert (previous["href"], previous.contents[0]) == (f"/search/?{query}", "Previous results")
    assert (more["href"], more.contents[0]) == (f"/search/?{query}&page=3", "More results")


def test_search_never_shows_drafts(client, site):
    live = BlogPageFactory(parent=site["index"], title="Dermatology waiting times")
    draft = BlogPageFactory(parent=site["index"], title="Secret dermatology plan", live=False)
    html = client.get("/search/", {"q": "dermatology"}).text
    assert live.title in html  # the search did run and find what it should
    assert draft.title not in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "\x00",
        "a" * 5000,
        "'; DROP TABLE blog_blogpage; --",
        "<script>alert(1)</script>",
        "((",
        '"',
        "%",
    ],
)
def test_hostile_search_queries_are_answered_calmly(client, site, query):
    response = client.get("/search/", {"q": query, "page": "x"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
