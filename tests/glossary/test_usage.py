"""The posts that use a term (glossary.usage): the annotation's rules, live posts only, cards ready."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import hooks

from blog.models import CARD_HOOK
from glossary.usage import posts_using
from tests.factories import BlogPageFactory
from tests.glossary.factories import TermFactory

pytestmark = pytest.mark.django_db


def body(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs])


def test_posts_lists_live_posts_that_use_the_term(site):
    term = TermFactory(term="EHR", case_sensitive=True)
    using = BlogPageFactory(parent=site["index"], body=body("Our EHR is new."))
    BlogPageFactory(parent=site["index"], body=body("Their ehr is lower case."))
    BlogPageFactory(parent=site["index"], body=body("Nothing here."))
    BlogPageFactory(parent=site["index"], body=body("A draft EHR."), live=False)
    assert posts_using(term) == [using]


def test_posts_ignores_a_term_only_in_a_heading_block(site):
    term = TermFactory(term="triage")
    BlogPageFactory(parent=site["index"], body=json.dumps([{"type": "heading", "value": "Triage"}]))
    assert posts_using(term) == []


def test_posts_ignores_a_term_only_inside_a_link(site):
    term = TermFactory(term="triage")
    BlogPageFactory(parent=site["index"], body=body('<a href="https://example.org/">triage</a>'))
    assert posts_using(term) == []


def test_posts_ignores_posts_with_the_glossary_switched_off(site):
    term = TermFactory(term="triage")
    BlogPageFactory(parent=site["index"], body=body("triage"), glossary_enabled=False)
    assert posts_using(term) == []


def test_posts_are_newest_first_and_cut_to_the_limit(site):
    term = TermFactory(term="triage")
    newest, second, _ = (BlogPageFactory(parent=site["index"], body=body("At triage.")) for _ in range(3))
    assert posts_using(term, limit=2) == [newest, second]


def test_posts_are_handed_to_the_card_hooks(site):
    term = TermFactory(term="triage")
    BlogPageFactory(parent=site["index"], body=body("At triage."))

    def mark(posts: list) -> None:
        for post in posts:
            post.marked = True

    with hooks.register_temporarily(CARD_HOOK, mark):
        posts = posts_using(term)
    assert [post.marked for post in posts] == [True]


def test_the_cost_of_posts_does_not_grow_with_the_posts_found(site):
    term = TermFactory(term="triage")
    BlogPageFactory(parent=site["index"], body=body("At triage."))
    with CaptureQueriesContext(connection) as one:
        assert len(posts_using(term)) == 1
    for _ in range(4):
        BlogPageFactory(parent=site["index"], body=body("At triage."))
    with CaptureQueriesContext(connection) as five:
        assert len(posts_using(term)) == 5
    assert len(five) == len(one)
