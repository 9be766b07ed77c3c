"""Search-engine syntax typed into /search/ is answered calmly on every database backend.

Run on PostgreSQL too: DATABASE_URL=postgres://... pytest tests/rounds/test_search_syntax.py.
SQLite's FTS5 and PostgreSQL's tsquery each have their own grammar, and a reader's quote or
parenthesis must never reach either as syntax.
"""

import json

import pytest

from tests.factories import BlogPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.no_page_cache]

SEARCH_SYNTAX = [
    '"',
    '""',
    '"""',
    '"unbalanced phrase',
    'phrase" after',
    '"nested "quotes" inside"',
    "NEAR",
    "NEAR(portal waiting)",
    "NEAR(portal waiting, 3)",
    "portal NEAR waiting",
    "*",
    "port*",
    "*tal",
    "**",
    "(",
    ")",
    "((portal)",
    "(portal))",
    "((portal OR (waiting AND times))",
    "AND",
    "OR",
    "NOT",
    "portal AND",
    "OR portal",
    "NOT portal",
    "portal NOT NOT",
    "portal AND OR NOT waiting",
    "^",
    "^portal",
    "portal^2",
    ":",
    "title:portal",
    "body:",
    ":portal:",
    "\\",
    "portal\\",
    '\\"',
    "\\\\(",
    "-portal",
    "+portal",
    "portal -",
    "{portal}",
    "[portal]",
    "portal~",
    "portal & waiting",
    "portal | waiting",
    "!portal",
    "portal <-> waiting",
    "portal:*",
    "'",
    "''",
    "portal's",
    "a" * 300,
    "(" * 200,
    '"' * 199,
    "portal " * 40,
    "NEAR(" * 50,
    "ü ñ 東京 \u200b",
    "\u0000portal",
]


@pytest.fixture
def indexed_post(site):
    return BlogPageFactory(
        parent=site["index"],
        title="Patient portal waiting times",
        body=json.dumps([{"type": "paragraph", "value": "<p>The patient portal and its waiting times.</p>"}]),
    )


@pytest.mark.parametrize("query", SEARCH_SYNTAX)
def test_search_syntax_is_answered_without_a_server_error(client, indexed_post, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_a_query_with_a_stray_quote_still_finds_the_post(client, indexed_post):
    response = client.get("/search/", {"q": 'portal "'})
    assert indexed_post.title in response.text


def test_a_quoted_phrase_still_finds_the_post(client, indexed_post):
    response = client.get("/search/", {"q": '"waiting times"'})
    assert indexed_post.title in response.text


def test_a_quoted_phrase_in_another_order_finds_nothing(client, indexed_post):
    response = client.get("/search/", {"q": '"times waiting"'})
    assert response.status_code == 200
    assert indexed_post.title not in response.text
