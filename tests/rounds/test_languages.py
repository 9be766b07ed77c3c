"""Languages: English at today's addresses, Spanish under /es/, a switcher and alternates on every
page, the sitemap, and hostile language input (README "Languages")."""

import re

import pytest

from tests.factories import BlogPageFactory, make_spanish_site, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_site(site):
    home_es, index_es = make_spanish_site(site["home"], site["index"])
    return {**site, "home_es": home_es, "index_es": index_es}


@pytest.fixture
def post_pair(spanish_site):
    english = BlogPageFactory(parent=spanish_site["index"], title="Rescheduling", slug="rescheduling")
    spanish = translate(english, title="Cambiar la cita", slug="cambiar-la-cita")
    return english, spanish


def switcher(html: str) -> list[tuple[str, str, str]]:
    """(lang, hreflang, href) of each link in the language switcher."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)"', nav)
    return [(lang, hreflang, href) for href, lang, hreflang in links]


def test_english_pages_stay_at_their_addresses(client, post_pair):
    english, _spanish = post_pair
    assert english.url == "/blog/rescheduling/"
    for path in ["/", "/blog/", english.url, "/blog/feed/", "/glossary/", "/changes/", "/comments/feed/"]:
        assert client.get(path).status_code == 200, path


def test_spanish_pages_live_under_es(client, post_pair):
    _english, spanish = post_pair
    assert spanish.url == "/es/blog/cambiar-la-cita/"
    for path in ["/es/", "/es/blog/", spanish.url, "/es/blog/feed/", "/es/glossary/", "/es/changes/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == "es"


def test_html_lang_follows_the_language(client, post_pair):
    english, spanish = post_pair
    assert '<html lang="en">' in client.get(english.url).text
    assert '<html lang="es">' in client.get(spanish.url).text
    assert '<html lang="es">' in client.get("/es/glossary/").text


def test_switcher_links_to_the_same_post_in_the_other_language(client, post_pair):
    english, spanish = post_pair
    assert switcher(client.get(english.url).text) == [("en", "en", english.url), ("es", "es", spanish.url)]
    assert switcher(client.get(spanish.url).text) == [("en", "en", english.url), ("es", "es", spanish.url)]


def test_switcher_names_each_language_in_itself_and_marks_the_current_one(client, post_pair):
    html = client.get(post_pair[1].url).text
    assert ">English</a>" in html and ">Español</a>" in html
    assert re.search(r'hreflang="es" aria-current="true">Español</a>', html)


def test_switcher_without_a_translation_leads_to_that_languages_home(client, spanish_site):
    untranslated = BlogPageFactory(parent=spanish_site["index"], slug="only-english")
    links = {lang: href for lang, _hreflang, href in switcher(client.get(untranslated.url).text)}
    assert links["es"] == "/es/"
    assert client.get(links["es"]).status_code == 200


def test_switcher_on_a_list_view_keeps_the_list(client, spanish_site):
    links = {lang: href for lang, _h, href in switcher(client.get("/glossary/").text)}
    assert links == {"en": "/glossary/", "es": "/es/glossary/"}


def test_alternates_in_the_head_name_each_existing_translation(client, post_pair, settings):
    english, spanish = post_pair
    html = client.get(english.url).text
    assert f'<link rel="alternate" hreflang="es" href="{settings.BASE_URL}{spanish.url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{settings.BASE_URL}{english.url}">' in html


def test_sitemap_lists_both_languages_with_alternates(client, post_pair):
    english, spanish = post_pair
    xml = client.get("/sitemap.xml").text
    assert f"{spanish.url}</loc>" in xml
    assert f'hreflang="es" href="http://localhost{spanish.url}"' in xml
    assert f'hreflang="en" href="http://localhost{english.url}"' in xml


def test_unknown_language_prefix_is_a_404(client, site):
    for path in ["/fr/", "/en/", "/xx/blog/", "/es-zz/"]:
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "header", ["es;q=junk", ",,;;", "x" * 5000, "zz-ZZ, *;q=0.1", "es-ES;q=1.5\x00", "🙂", "en;q=-1"]
)
def test_junk_accept_language_never_changes_or_breaks_a_page(client, site, header):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Accept-Language" not in response.get("Vary", "")


@pytest.mark.parametrize("value", ["zz", "es", "../../etc", "%00", "x" * 3000])
def test_junk_lang_parameter_is_ignored(client, site, value):
    response = client.get("/", {"lang": value})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


def test_accept_language_does_not_choose_the_language_of_a_path(client, post_pair):
    english, spanish = post_pair
    assert '<html lang="en">' in client.get(english.url, HTTP_ACCEPT_LANGUAGE="es").text
    assert '<html lang="es">' in client.get(spanish.url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Accept-Language" not in client.get(english.url, HTTP_ACCEPT_LANGUAGE="es").get("Vary", "")


def test_each_language_lists_its_own_posts(client, post_pair):
    english, spanish = post_pair
    home, home_es = client.get("/").text, client.get("/es/").text
    assert english.title in home and spanish.title not in home
    assert spanish.title in home_es and english.title not in home_es


def test_each_language_has_its_own_feed(client, post_pair):
    english, spanish = post_pair
    feed, feed_es = client.get("/blog/feed/").text, client.get("/es/blog/feed/").text
    assert "<language>en</language>" in feed and spanish.title not in feed
    assert "<language>es</language>" in feed_es and spanish.title in feed_es and english.title not in feed_es


def test_dates_are_formatted_for_the_locale(client, post_pair):
    english, spanish = post_pair
    month_en = english.date.strftime("%B")
    assert month_en in client.get(english.url).text
    spanish_months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                      "octubre", "noviembre", "diciembre"]  # fmt: skip
    assert spanish_months[spanish.date.month - 1] in client.get(spanish.url).text
