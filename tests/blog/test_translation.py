"""Translated pages remember the source version they were made from, and the editor is warned when
the source has changed since (blog/translation.py, with Wagtail's simple_translation)."""

import pytest
from bs4 import BeautifulSoup

from blog.translation import TranslationOrigin, origin_of
from tests.factories import BlogPageFactory, make_spanish_site, spanish, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("editor", password="pw", is_superuser=True))
    return client


@pytest.fixture
def pair(site):
    make_spanish_site(site["home"], site["index"])
    english = BlogPageFactory(parent=site["index"], slug="visiting")
    english.save_revision().publish()
    spanish_post = translate(english, title="Visitas", slug="visitas")
    return english, spanish_post


def panel(editor_client, page) -> BeautifulSoup:
    response = editor_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("[data-translation-origin]")


def test_copy_for_translation_records_the_source_revision(pair):
    english, spanish_post = pair
    origin = origin_of(spanish_post)
    assert origin.source_id == english.pk
    assert origin.source_revision_id == english.latest_revision_id
    assert origin.source_changed is False


def test_the_editor_sees_which_revision_the_translation_was_made_from(editor_client, pair):
    english, spanish_post = pair
    shown = panel(editor_client, spanish_post)
    assert f"#{english.latest_revision_id}" in shown.get_text()
    assert english.title in shown.get_text()
    assert shown.select_one("[data-translation-outdated]") is None


def test_the_editor_is_warned_when_the_source_changed_since(editor_client, pair):
    english, spanish_post = pair
    made_from = english.latest_revision_id
    english.intro = "A new introduction."
    english.save_revision().publish()
    warning = panel(editor_client, spanish_post).select_one("[data-translation-outdated]")
    assert warning is not None
    compare = warning.select_one('a[href*="/revisions/compare/"]')["href"]
    assert compare == f"/admin/pages/{english.pk}/revisions/compare/{made_from}...latest/"
    assert editor_client.get(compare).status_code == 200


def test_saving_the_translation_in_the_editor_keeps_its_origin(pair):
    english, spanish_post = pair
    spanish_post.title = "Horario de visitas"
    spanish_post.save_revision().publish()
    assert origin_of(spanish_post).source_revision_id == english.latest_revision_id


def test_marking_the_translation_up_to_date_clears_the_warning(editor_client, pair):
    english, spanish_post = pair
    english.save_revision().publish()
    url = f"/admin/blog/translation/{spanish_post.pk}/current/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(url)
    assert response.status_code == 302
    origin = TranslationOrigin.objects.get(page=spanish_post)
    assert origin.source_revision_id == english.latest_revision_id
    assert panel(editor_client, spanish_post).select_one("[data-translation-outdated]") is None


def test_marking_up_to_date_needs_edit_permission(client, django_user_model, pair):
    _english, spanish_post = pair
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    response = client.post(f"/admin/blog/translation/{spanish_post.pk}/current/")
    assert response.status_code in (302, 403)
    assert origin_of(spanish_post).source_changed is False


def test_an_untranslated_page_shows_no_panel(editor_client, pair):
    english, _spanish = pair
    assert panel(editor_client, english) is None


def test_unknown_page_is_a_404(editor_client, site):
    assert editor_client.get("/admin/blog/translation/999999/current/").status_code == 404


def test_simple_translation_translate_view_records_the_origin(editor_client, site):
    spanish()
    english = BlogPageFactory(parent=site["index"], slug="from-admin")
    make_spanish_site(site["home"], site["index"])
    response = editor_client.post(
        f"/admin/translation/submit/page/{english.pk}/",
        {"locales": [str(spanish().pk)], "include_subtree": ""},
    )
    assert response.status_code == 302
    translated = english.get_translation(spanish())
    assert origin_of(translated).source_revision_id == english.latest_revision_id
