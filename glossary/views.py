"""The A-Z index and the term pages, cached for anonymous readers in the glossary group."""

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import get_language

from pagecache.keys import Group, cached_as

from .models import Term, alphabet, sort_key
from .usage import posts_using


def anchor(letter: str) -> str:
    return f"letter-{letter.lower()}" if letter != "#" else "letter-other"


@cached_as(Group.GLOSSARY)
def index(request: HttpRequest) -> HttpResponse:
    """The A-Z index of the reader's language, sorted as that language sorts (Ñ after N): one
    query, whatever the number of terms."""
    language = get_language()
    letters = [*alphabet(language), "#"]
    terms = sorted(
        Term.objects.in_language(language),
        key=lambda term: (letters.index(term.initial_in(language)), sort_key(term.term), term.pk),
    )
    groups = [
        {"letter": letter, "anchor": anchor(letter), "terms": list(items)}
        for letter, items in groupby(terms, key=lambda term: term.initial_in(language))
    ]
    present = {group["letter"] for group in groups}
    return TemplateResponse(
        request,
        "glossary/index.html",
        {
            "groups": groups,
            "letters": [
                {"letter": letter, "anchor": anchor(letter), "present": letter in present}
                for letter in letters
            ],
            "terms": terms,
            "structured_data": Term.index_structured_data(terms),
        },
    )


@cached_as(Group.GLOSSARY)
def term(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Term.objects.in_language(get_language()), slug=slug)
    return TemplateResponse(
        request,
        "glossary/term.html",
        {
            "term": term,
            "translation_object": term,
            "related": term.related_terms.alphabetical(),
            "posts": posts_using(term),
            "structured_data": term.structured_data(),
        },
    )
