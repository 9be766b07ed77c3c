"""Plain language in the admin: the content checker's configuration, the summary on publishing,
the two reports and the "Define in the glossary" link. Hostile text is escaped everywhere."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.models import Site

from blog.models import BlogPage
from comments.models import Status
from glossary import registry
from glossary.models import Term
from plainlanguage.checker import RULES
from plainlanguage.models import PlainLanguage
from tests.blog.test_editorial import _post_form
from tests.comments.factories import make_comment
from tests.factories import AuthorFactory, BlogPageFactory
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db

HARD = (
    "Consequently, the interdisciplinary committee authorized comprehensive institutional "
    "modifications regarding electronic documentation interoperability."
)
HOSTILE = "<script>alert('PWN')</script>"


@pytest.fixture(autouse=True)
def _fresh_matcher():
    registry.forget()
    yield
    registry.forget()


def body(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs])


def json_script(html: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


@pytest.fixture
def jargon_post(site):
    TermFactory(term="EHR", slug="ehr", case_sensitive=True)
    return BlogPageFactory(parent=site["index"], body=body("Your EHR and your PHR.", HARD))


def test_the_userbar_on_a_post_carries_our_rules_and_the_analysis(admin_client, jargon_post):
    response = admin_client.get(jargon_post.url)
    config = json_script(response.text, "checker-axe-configuration")
    assert set(RULES) <= set(config["options"]["runOnly"])
    assert "alt-text-quality" in config["options"]["runOnly"]  # Wagtail's own checks stay
    checks = {check["id"]: check.get("options") for check in config["spec"]["checks"]}
    assert checks["plain-language-jargon-check"] == {"fails": True}
    assert config["messages"]["plain-language-jargon"]["error_name"] == "Undefined jargon: PHR"
    assert config["messages"]["plain-language-reading-level"]["error_name"].startswith("Reading grade ")
    analysis = json_script(response.text, "plain-language-analysis")
    assert [item["term"] for item in analysis["undefined"]] == ["PHR"]
    assert analysis["undefined"][0]["define_url"] == Term.add_url("PHR")
    assert analysis["defined"] == [{"slug": "ehr", "term": "EHR", "count": 1}]
    assert "plainlanguage/js/checker.js" in response.text


def test_the_preview_analyses_the_unsaved_text(admin_client, site):
    url = reverse("wagtailadmin_pages:preview_on_add", args=("blog", "blogpage", site["index"].pk))
    form = _post_form(AuthorFactory(), intro="Ask about the CMS rules.")
    assert admin_client.post(url, form).json()["is_valid"]
    analysis = json_script(admin_client.get(url).text, "plain-language-analysis")
    assert [item["term"] for item in analysis["undefined"]] == ["CMS"]


def test_the_editor_side_panel_has_our_rules_with_messages_that_cannot_go_stale(admin_client, jargon_post):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[jargon_post.pk]))
    config = json_script(response.text, "checker-axe-configuration")
    assert set(RULES) <= set(config["options"]["runOnly"])
    assert config["messages"]["plain-language-jargon"]["error_name"] == "Undefined jargon"


def test_other_pages_keep_wagtails_checker(admin_client, site):
    config = json_script(admin_client.get(site["home"].url).text, "checker-axe-configuration")
    assert not set(RULES) & set(config["options"]["runOnly"])


def test_the_site_setting_sets_the_target(admin_client, jargon_post, site):
    PlainLanguage.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"target_grade": 6}
    )
    analysis = json_script(admin_client.get(jargon_post.url).text, "plain-language-analysis")
    assert analysis["target"] == 6


def test_publishing_warns_with_the_summary_and_still_publishes(admin_client, site):
    author = AuthorFactory()
    url = reverse("wagtailadmin_pages:add", args=("blog", "blogpage", site["index"].pk))
    form = _post_form(
        author, intro=f"The PHR, the CMS and the HIPAA rules. {HARD}", **{"action-publish": "p"}
    )
    response = admin_client.post(url, form, follow=True)
    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert any(
        re.fullmatch(r"Plain language: 3 undefined terms, reading grade [\d.]+ \(target 8\)\.", m)
        for m in shown
    )
    assert BlogPage.objects.live().count() == 1


def test_a_plain_post_publishes_without_a_warning(admin_client, site):
    url = reverse("wagtailadmin_pages:add", args=("blog", "blogpage", site["index"].pk))
    form = _post_form(AuthorFactory(), intro="We fixed it.", **{"action-publish": "p"})
    response = admin_client.post(url, form, follow=True)
    assert not [m for m in response.context["messages"] if "Plain language" in str(m)]


def test_the_reading_level_report_orders_posts(admin_client, site):
    hard = BlogPageFactory(parent=site["index"], title="Hard", body=body(HARD))
    jargon = BlogPageFactory(parent=site["index"], title="Jargon", body=body("The PHR, CMS and HHS. We sat."))
    url = reverse("plainlanguage_reading_level")
    by_grade = admin_client.get(url).text
    assert by_grade.index(f'data-post="{hard.pk}"') < by_grade.index(f'data-post="{jargon.pk}"')
    by_terms = admin_client.get(url + "?order=undefined").text
    assert by_terms.index(f'data-post="{jargon.pk}"') < by_terms.index(f'data-post="{hard.pk}"')
    assert admin_client.get(url + "?order=%00<x>").status_code == 200


def test_the_glossary_gap_report_counts_posts_and_visible_comments(admin_client, site):
    post = BlogPageFactory(parent=site["index"], body=body("Your PHR."))
    make_comment(post, comment="What is a PHR? And the CMS?")
    make_comment(post, comment="The HELD acronym XYZ.", status=Status.WAITING)
    TermFactory(term="CMS", slug="cms", case_sensitive=True)
    response = admin_client.get(reverse("plainlanguage_glossary_gaps"))
    rows = re.findall(
        r"<tr>\s*<td>(\w+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", response.text
    )
    assert rows == [("PHR", "2", "1", "1")]
    assert Term.add_url("PHR").replace("&", "&amp;") in response.text


def test_the_define_link_opens_the_new_term_form_with_the_acronym(admin_client):
    response = admin_client.get(Term.add_url("PHR"))
    assert response.status_code == 200
    assert re.search(r'<input[^>]*name="term"[^>]*value="PHR"', response.text)


def test_the_define_link_escapes_what_it_prefills(admin_client):
    response = admin_client.get(Term.add_url(HOSTILE))
    assert response.status_code == 200
    assert HOSTILE not in response.text


def test_hostile_text_reaches_the_checker_and_the_reports_escaped(admin_client, site):
    post = BlogPageFactory(
        parent=site["index"],
        title=HOSTILE,
        intro=HOSTILE,
        body=body("&lt;script&gt;alert('PWN')&lt;/script&gt;"),
    )
    make_comment(post, comment=HOSTILE)
    for url in (post.url, reverse("plainlanguage_reading_level"), reverse("plainlanguage_glossary_gaps")):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert HOSTILE not in response.text, url
    analysis = json_script(admin_client.get(post.url).text, "plain-language-analysis")
    assert [item["term"] for item in analysis["undefined"]] == ["PWN"]


def test_a_huge_post_with_deep_markup_is_no_500(admin_client, site):
    deep = "<div>" * 5000 + "The EHR. " * 5000 + "</div>" * 5000
    post = BlogPageFactory(parent=site["index"], body=body(deep, "word " * 50000))
    response = admin_client.get(post.url)
    assert response.status_code == 200
    analysis = json_script(response.text, "plain-language-analysis")
    assert analysis["long_sentence_count"] == 1


def test_the_reports_need_the_admin(client):
    assert client.get(reverse("plainlanguage_reading_level")).status_code in {302, 403}
