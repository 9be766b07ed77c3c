"""Plain language in Chromium: the userbar's content checker in a post's preview shows the
undefined jargon, with its "Define in the glossary" link, and the reading grade, all computed by
the Python analysis (the script only shows them)."""

import json

import pytest

from tests.factories import BlogPageFactory, make_site
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
HARD = (
    "Consequently, the interdisciplinary committee authorized comprehensive institutional "
    "modifications regarding electronic documentation interoperability."
)


@pytest.fixture
def editor_tab(tab, live_site, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example-hospital.org", PASSWORD)
    tab.goto(live_site + "/admin/login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/admin/")
    return tab


@pytest.fixture
def draft_url(live_site):
    _, index = make_site()
    TermFactory(term="EHR", slug="ehr", case_sensitive=True)
    paragraphs = ["Your EHR and your PHR do not agree.", HARD, "Ask us about the <b>PHR</b>."]
    post = BlogPageFactory(
        parent=index,
        body=json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]),
    )
    return f"{live_site}/admin/pages/{post.pk}/view_draft/"


def open_checker(tab) -> None:
    tab.locator("#wagtail-userbar-trigger").click()
    tab.locator("#checker-trigger").click()
    tab.locator("[data-plain-language-panel]").wait_for(state="visible")


def test_the_checker_shows_undefined_jargon_with_a_define_link(editor_tab, draft_url):
    editor_tab.goto(draft_url)
    open_checker(editor_tab)
    jargon = editor_tab.locator("[data-plain-language-jargon]")
    assert "PHR" in jargon.inner_text()
    assert "EHR" not in jargon.inner_text()  # the glossary defines it
    link = jargon.get_by_role("link", name="Define in the glossary")
    assert link.get_attribute("href").endswith("/admin/snippets/glossary/term/add/?term=PHR")
    rows = editor_tab.locator(".w-content-checker__name").all_inner_texts()
    assert "Undefined jargon: PHR" in rows


def test_the_checker_shows_the_reading_grade_and_flags_it_above_the_target(editor_tab, draft_url):
    editor_tab.goto(draft_url)
    open_checker(editor_tab)
    grade = editor_tab.locator("[data-plain-language-grade]")
    assert grade.inner_text().startswith("Reading grade ")
    assert "(target 8)" in grade.inner_text()
    assert float(grade.get_attribute("data-plain-language-grade")) > 8
    rows = editor_tab.locator(".w-content-checker__name").all_inner_texts()
    assert any(row.startswith("Reading grade ") and row.endswith("(target 8)") for row in rows)


def test_the_define_link_opens_the_new_term_form_filled_in(editor_tab, draft_url, live_site):
    editor_tab.goto(draft_url)
    open_checker(editor_tab)
    href = editor_tab.locator("[data-plain-language-jargon] a").first.get_attribute("href")
    editor_tab.goto(live_site + href)
    assert editor_tab.locator("#id_term").input_value() == "PHR"
