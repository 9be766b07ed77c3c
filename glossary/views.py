"""The A-Z index and the term pages, cached for anonymous readers in the glossary group."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from pagecache.keys import Group, cached_as

from .models import Term
from .usage import posts_using

LETTERS = [chr(code) for code in range(ord("A"), ord("Z") + 1)] + ["#"]


def anchor(letter: str) -> str:
    return f"letter-{letter.lower()}" if letter != "#" else "letter-other"


@cached_as(Group.GLOSSARY)
def index(request: HttpRequest) -> HttpResponse:
    """The A-Z index: one query, whatever the number of terms."""
    terms = sorted(
        Term.objects.alphabetical(), key=lambda term: (LETTERS.index(term.initial), term.term.casefold())
    )
    groups = [
        {"letter": letter, "anchor": anchor(letter), "terms": list(items)}
        for letter, items in groupby(terms, key=lambda term: term.initial)
    ]
    present = {group["letter"] for group in groups}
    return TemplateResponse(
        request,
        "glossary/index.html",
        {
            "groups": groups,
            "letters": [
                {"letter": letter, "anchor": anchor(letter), "present": letter in present}
                for letter in LETTERS
            ],
            "terms": terms,
            "structured_data": Term.index_structured_data(terms),
        },
    )


@cached_as(Group.GLOSSARY)
def term(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Term, slug=slug)
    return TemplateResponse(
        request,
        "glossary/term.html",
        {
            "term": term,
            "related": term.related_terms.alphabetical(),
            "posts": posts_using(term),
            "structured_data": term.structured_data(),
        },
    )
