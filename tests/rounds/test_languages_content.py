"""Search, the demo and "You said, we changed" in each language (README "Languages")."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from wagtail.models import Page, Revision

from blog.models import BlogPage
from blog.translation import TranslationOrigin
from changes.models import Change, Topic
from glossary.models import Term
from tests.factories import BlogPageFactory, make_spanish_site, spanish, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_site(site):
    home_es, index_es = make_spanish_site(site["home"], site["index"])
    return {**site, "home_es": home_es, "index_es": index_es}


def body(text: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


def test_search_keeps_to_the_readers_language(client, spanish_site):
    english = BlogPageFactory(
        parent=spanish_site["index"], title="Dermatology clinic", body=body("Clinic hours.")
    )
    spanish_post = translate(english, title="Clínica de dermatología", slug="clinica", body=body("Horario."))
    assert spanish_post.title in client.get("/es/search/", {"q": "dermatología"}).text
    assert english.title not in client.get("/es/search/", {"q": "dermatology"}).text
    assert spanish_post.title not in client.get("/search/", {"q": "dermatología"}).text


def test_spanish_search_finds_other_forms_of_a_word(client, spanish_site):
    """PostgreSQL stems with the Spanish configuration; SQLite's FTS5 folds accents."""
    english = BlogPageFactory(parent=spanish_site["index"], title="Waiting rooms")
    translate(english, title="Las salas de espera", slug="salas", body=body("Las clínicas cambiaron."))
    query = "clínica" if connection.vendor == "postgresql" else "clinicas"
    assert "Las salas de espera" in client.get("/es/search/", {"q": query}).text


def test_search_lists_glossary_terms_of_the_readers_language(client, spanish_site):
    Term.objects.create(locale=spanish(), term="HCE", slug="hce", definition="Historia clínica.")
    assert "/es/glossary/hce/" in client.get("/es/search/", {"q": "HCE"}).text
    assert "/es/glossary/hce/" not in client.get("/search/", {"q": "HCE"}).text


def test_changes_are_listed_in_their_own_language(client, spanish_site):
    topic = Topic.objects.create(name="Scheduling")
    topic_es = Topic.objects.create(name="Citas", locale=spanish(), translation_key=topic.translation_key)
    Change.objects.create(
        title="Menu fixed", department="Access", topic=topic, date=datetime.date(2026, 1, 2)
    )
    change_es = Change.objects.create(
        title="Menú arreglado",
        department="Admisión",
        topic=topic_es,
        locale=spanish(),
        date=datetime.date(2026, 1, 2),
    )
    assert "Menú arreglado" not in client.get("/changes/").text
    html = client.get("/es/changes/").text
    assert "Menú arreglado" in html and "Menu fixed" not in html
    assert client.get(f"/es/changes/topic/{topic_es.slug}/").status_code == 200
    assert client.get(f"/changes/topic/{topic_es.slug}/").status_code == 404
    assert client.get(f"/changes/{change_es.pk}/")["Location"].startswith("/es/changes/")


def test_a_topic_name_may_repeat_across_languages_only(spanish_site):
    Topic.objects.create(name="Parking")
    Topic.objects.create(name="Parking", locale=spanish())
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="Parking")


def _snapshot() -> dict:
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "terms": list(Term.objects.order_by("pk").values_list("slug", "locale__language_code")),
        "changes": Change.objects.count(),
        "topics": Topic.objects.count(),
        "origins": TranslationOrigin.objects.count(),
    }


def test_seed_demo_adds_spanish_versions_once(client):
    call_command("seed_demo", stdout=None)
    first = _snapshot()
    call_command("seed_demo", stdout=None)
    assert _snapshot() == first
    spanish_posts = BlogPage.objects.live().filter(locale__language_code="es")
    assert spanish_posts.count() == 3
    story = spanish_posts.get(slug="tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita")
    assert story.get_translation_or_none(story.locale.get_default()) is not None
    html = client.get(story.url).text
    assert '<html lang="es">' in html
    assert 'href="/es/glossary/hce/"' in html  # the Spanish glossary annotates it
    assert "Ya puede hablar con una persona" in html  # the Spanish change shows on it
    assert (
        Term.objects.filter(locale__language_code="es").count()
        == Term.objects.filter(locale__language_code="en").count()
    )
    assert client.get("/es/").status_code == 200
    assert "Ya puede hablar con una persona" in client.get("/es/changes/").text
    assert all(not origin.source_changed for origin in TranslationOrigin.objects.all())
