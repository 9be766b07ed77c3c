"""The {% glossary %} tag and the annotated post page."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from glossary import registry
from glossary.annotation import page_memory
from tests.factories import BlogPageFactory
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def body(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs])


def terms_in(html: str) -> list[str]:
    return [link["data-term"] for link in BeautifulSoup(html, "html.parser").select("a[data-term]")]


@pytest.fixture
def ehr():
    return TermFactory(term="EHR", slug="ehr", expansion="Electronic Health Record", case_sensitive=True)


TWO_BLOCKS = Template(
    "{% load glossary_tags %}{% glossary %}<p>EHR</p>{% endglossary %}"
    "{% with x=1 %}{% glossary %}<p>EHR again</p>{% endglossary %}{% endwith %}"
)


def test_first_occurrence_spans_blocks_of_one_render(ehr):
    assert terms_in(TWO_BLOCKS.render(Context())) == ["ehr"]


def test_each_render_starts_afresh(ehr):
    TWO_BLOCKS.render(Context())
    assert terms_in(TWO_BLOCKS.render(Context())) == ["ehr"]


def test_first_occurrence_spans_an_included_template(ehr, tmp_path):
    (tmp_path / "part.html").write_text("{% load glossary_tags %}{% glossary %}<p>EHR</p>{% endglossary %}")
    engine = Engine(dirs=[tmp_path], libraries={"glossary_tags": "glossary.templatetags.glossary_tags"})
    template = engine.from_string(
        '{% load glossary_tags %}{% glossary %}<p>EHR</p>{% endglossary %}{% include "part.html" %}'
    )
    assert terms_in(template.render(Context())) == ["ehr"]


def test_first_occurrence_spans_the_new_context_of_an_inclusion_tag(ehr):
    block = Template("{% load glossary_tags %}{% glossary %}<p>EHR</p>{% endglossary %}")
    context = Context()
    html = block.render(context) + block.render(context.new({"other": 1}))
    assert terms_in(html) == ["ehr"]


def test_first_occurrence_spans_an_include_with_only(ehr, tmp_path):
    (tmp_path / "part.html").write_text("{% load glossary_tags %}{% glossary %}<p>EHR</p>{% endglossary %}")
    engine = Engine(dirs=[tmp_path], libraries={"glossary_tags": "glossary.templatetags.glossary_tags"})
    template = engine.from_string('{% include "part.html" only %}{% include "part.html" only %}')
    assert terms_in(template.render(Context())) == ["ehr"]


def test_the_page_memory_is_one_set_across_new_contexts_of_one_render():
    context = Context()
    page_memory(context).add("ehr")
    assert page_memory(context.new({"other": 1})) == {"ehr"}


def test_the_page_memory_of_a_new_render_is_empty():
    page_memory(Context()).add("ehr")
    assert page_memory(Context()) == set()


@override_settings(GLOSSARY_ANNOTATE="every")
def test_every_mode_annotates_each_occurrence(ehr):
    assert terms_in(TWO_BLOCKS.render(Context())) == ["ehr", "ehr"]


def test_a_false_condition_leaves_the_block_alone(ehr):
    template = Template("{% load glossary_tags %}{% glossary on %}<p>EHR</p>{% endglossary %}")
    assert template.render(Context({"on": False})) == "<p>EHR</p>"


def test_the_tag_takes_at_most_one_argument():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load glossary_tags %}{% glossary a b %}{% endglossary %}")


def test_a_post_body_is_annotated(client, site, ehr):
    post = BlogPageFactory(parent=site["index"], body=body("Our EHR.", "The EHR again."))
    html = client.get(post.url).text
    assert terms_in(html) == ["ehr"]
    assert BeautifulSoup(html, "html.parser").select_one('script[src*="glossary/tooltip"][defer]') is not None


def test_the_post_title_and_intro_are_not_annotated(client, site, ehr):
    post = BlogPageFactory(parent=site["index"], title="About EHR", intro="EHR intro.", body=body("Nothing."))
    assert terms_in(client.get(post.url).text) == []


def test_a_post_with_the_glossary_switched_off_is_not_annotated(client, site, ehr):
    post = BlogPageFactory(parent=site["index"], body=body("Our EHR."), glossary_enabled=False)
    assert terms_in(client.get(post.url).text) == []


def test_a_heading_block_is_not_annotated(client, site, ehr):
    post = BlogPageFactory(
        parent=site["index"],
        body=json.dumps([{"type": "heading", "value": "EHR"}, {"type": "paragraph", "value": "<p>EHR</p>"}]),
    )
    soup = BeautifulSoup(client.get(post.url).text, "html.parser")
    assert soup.select_one(".post__body h2").get_text() == "EHR"
    assert len(soup.select(".post__body a[data-term]")) == 1


def test_the_preview_shows_annotations(rf, site, ehr, admin_user):
    post = BlogPageFactory(parent=site["index"], body=body("Nothing yet."))
    post.body = body("A draft about the EHR.")
    request = rf.get(post.url)
    request.user = admin_user
    response = post.make_preview_request(request)
    assert terms_in(response.render().content.decode()) == ["ehr"]


@pytest.mark.no_page_cache  # counts the queries of real renders
def test_a_warm_glossary_adds_no_query_to_a_post_page(client, site, ehr):
    annotated = BlogPageFactory(parent=site["index"], body=body("Our EHR."))
    plain = BlogPageFactory(parent=site["index"], body=body("Our EHR."), glossary_enabled=False)
    client.get(annotated.url)
    client.get(plain.url)
    with CaptureQueriesContext(connection) as with_glossary:
        client.get(annotated.url)
    with CaptureQueriesContext(connection) as without:
        client.get(plain.url)
    assert len(without) > 0  # a real render, not a cached response
    assert len(with_glossary) == len(without)


@pytest.mark.no_page_cache  # counts the queries of real renders
def test_a_cold_glossary_adds_at_most_one_query_to_a_post_page(client, site, ehr):
    post = BlogPageFactory(parent=site["index"], body=body("Our EHR."))
    client.get(post.url)
    with CaptureQueriesContext(connection) as warm:
        client.get(post.url)
    assert len(warm) > 0  # a real render, not a cached response
    registry.forget()
    with CaptureQueriesContext(connection) as cold:
        client.get(post.url)
    assert len(cold) <= len(warm) + 1
