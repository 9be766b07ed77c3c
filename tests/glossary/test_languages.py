"""The glossary per language (README "Languages"): a Spanish page is annotated with Spanish terms
only, and each language has its own A-Z index, sorted as that language sorts (Ñ after N)."""

import json

import pytest
from bs4 import BeautifulSoup

from glossary.models import Term, sort_key
from tests.factories import BlogPageFactory, make_spanish_site, spanish, translate
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db

BODY_ES = json.dumps([{"type": "paragraph", "value": "<p>La HCE del hospital y su EHR en inglés.</p>"}])
BODY_EN = json.dumps([{"type": "paragraph", "value": "<p>The EHR, which Spanish readers call HCE.</p>"}])


@pytest.fixture
def spanish_site(site):
    home_es, index_es = make_spanish_site(site["home"], site["index"])
    return {**site, "home_es": home_es, "index_es": index_es}


@pytest.fixture
def terms(spanish_site):
    ehr = TermFactory(term="EHR", slug="ehr", expansion="Electronic Health Record", case_sensitive=True)
    hce = Term.objects.create(
        locale=spanish(),
        translation_key=ehr.translation_key,
        term="HCE",
        slug="hce",
        expansion="Historia clínica electrónica",
        definition="El registro que guarda el hospital.",
        case_sensitive=True,
    )
    return ehr, hce


def annotated(html: str) -> list[str]:
    return [a["data-term"] for a in BeautifulSoup(html, "html.parser").select("a.glossary-term__link")]


def test_a_spanish_post_is_annotated_with_spanish_terms_only(client, spanish_site, terms):
    english = BlogPageFactory(parent=spanish_site["index"], body=BODY_EN)
    spanish_post = translate(english, title="La HCE", slug="la-hce", body=BODY_ES)
    assert annotated(client.get(spanish_post.url).text) == ["hce"]
    html = client.get(spanish_post.url).text
    assert 'href="/es/glossary/hce/"' in html and "Historia clínica electrónica" in html
    assert annotated(client.get(english.url).text) == ["ehr"]


def test_the_same_form_may_belong_to_one_term_in_each_language(spanish_site):
    TermFactory(term="alta", slug="alta-en")
    term = Term(locale=spanish(), term="alta", slug="alta", definition="Salir del hospital.")
    term.full_clean()  # no "already belongs" error: the English term is another language's


def test_a_form_is_still_claimed_once_within_a_language(spanish_site):
    Term.objects.create(locale=spanish(), term="alta", slug="alta", definition="Salir del hospital.")
    duplicate = Term(locale=spanish(), term="Alta", slug="alta-2", definition="Otra.")
    with pytest.raises(Exception, match="already belongs"):
        duplicate.full_clean()


def test_term_pages_are_per_language(client, terms):
    assert client.get("/es/glossary/hce/").status_code == 200
    assert client.get("/glossary/hce/").status_code == 404
    assert client.get("/es/glossary/ehr/").status_code == 404


def test_a_term_page_switches_to_its_translation(client, terms):
    html = client.get("/glossary/ehr/").text
    assert 'href="/es/glossary/hce/" lang="es" hreflang="es"' in html


def test_spanish_index_lists_only_spanish_terms(client, terms):
    page = BeautifulSoup(client.get("/es/glossary/").content, "html.parser")
    assert [dt.a.get_text() for dt in page.select(".glossary-list dt")] == ["HCE"]


def test_spanish_index_sorts_as_spanish_does(client, spanish_site):
    for word in ["ñandú", "nutrición", "óptica", "ácido", "azúcar", "obstetricia", "niño"]:
        Term.objects.create(locale=spanish(), term=word, slug=word.encode("ascii", "ignore").decode()
                            or "x", definition=f"{word}.")  # fmt: skip
    page = BeautifulSoup(client.get("/es/glossary/").content, "html.parser")
    assert [dt.a.get_text() for dt in page.select(".glossary-list dt")] == [
        "ácido", "azúcar", "niño", "nutrición", "ñandú", "obstetricia", "óptica",
    ]  # fmt: skip
    letters = [a.get_text() for a in page.select(".glossary-letters a")]
    assert letters == ["A", "N", "Ñ", "O"]


def test_english_index_has_no_n_with_tilde(client, site):
    TermFactory(term="EHR")
    page = BeautifulSoup(client.get("/glossary/").content, "html.parser")
    assert "Ñ" not in page.select_one(".glossary-letters").get_text()


def test_sort_key_puts_n_with_tilde_after_n_and_ignores_accents():
    assert sorted(["ñu", "nz", "o", "ná"], key=sort_key) == ["ná", "nz", "ñu", "o"]
