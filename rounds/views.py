import re

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from wagtail.models import Locale
from wagtail.search.query import And, Phrase, PlainText, SearchQuery

from blog.models import BlogPage, prepare_cards
from core.pagination import paginate
from glossary.models import Term

SEARCH_RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
_WORD = re.compile(r"\w+")


def search_query(text: str) -> SearchQuery | None:
    """What a reader typed, as a query of plain words and quoted phrases (None: nothing to find).

    Each database backend has its own query grammar (SQLite's FTS5 reads quotes, NEAR, *, ^,
    colons and parentheses; PostgreSQL's tsquery reads &, |, !, <->), and the search backends pass
    some of a term's characters through unescaped, so a stray quote was a 500. Only words ever reach
    the backend: every other character separates words, operators are words like any other, and a
    pair of double quotes still asks for a phrase.
    """
    parts = text.split('"')
    queries: list[SearchQuery] = []
    budget = MAX_QUERY_WORDS
    for position, part in enumerate(parts):
        words = _WORD.findall(part)[:budget]
        if not words:
            continue
        budget -= len(words)
        closed = position % 2 == 1 and position < len(parts) - 1  # between a pair of quotes
        if closed and len(words) > 1:
            queries.append(Phrase(" ".join(words)))
        else:
            queries.append(PlainText(" ".join(words), operator="and"))
        if not budget:
            break
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else And(queries)


def search(request: HttpRequest) -> HttpResponse:
    """Site search over live posts (Wagtail's database backend: full-text on PostgreSQL)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = BlogPage.objects.none()
    terms = search_query(query)
    if terms is not None:
        # The reader's language only: its posts, parsed with its stemmer (core/search.py).
        results = BlogPage.objects.listed().filter(locale=Locale.get_active()).search(terms)
    page = paginate(request, results, SEARCH_RESULTS_PER_PAGE)
    page.object_list = prepare_cards(page.object_list)
    return TemplateResponse(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "results": page,
            "glossary_terms": Term.objects.in_language(get_language()).matching(query) if query else [],
        },
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "robots.txt", content_type="text/plain")
