"""The posts that use a term, found by the same rules as the annotation readers see.

Apart from models.py because it needs the blog and the annotator: the table stays a leaf, and this
is the one glossary module that reads posts.
"""

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from blog.models import BlogPage, prepare_cards

from .annotation import annotate_html
from .models import Term

__all__ = ["POSTS_SHOWN", "posts_using"]

POSTS_SHOWN = 20
# Stream blocks whose text is never annotated (rendered as headings, or not prose at all).
UNANNOTATED_BLOCKS = {"heading", "embed", "image"}


def _stream_html(data) -> list[str]:
    """The annotatable strings of a StreamField's raw data: rich text HTML and plain text."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [text for item in data for text in _stream_html(item)]
    if isinstance(data, dict):
        if "type" in data and "value" in data:
            return [] if data["type"] in UNANNOTATED_BLOCKS else _stream_html(data["value"])
        return [
            text
            for key, value in data.items()
            if key not in {"alt_text", "id"}
            for text in _stream_html(value)
        ]
    return []


def posts_using(term: Term, limit: int = POSTS_SHOWN) -> list[BlogPage]:
    """Live posts that mention `term`, newest first, ready for post cards.

    The database narrows the posts to those whose body contains a form in any case; each
    candidate's body is then run through the annotator with a matcher for this term alone, so
    whole words, case and excluded elements (links, headings) count exactly as on the page.
    Queries: the posts, their authors and tags, and whatever `prepare_cards` adds for the cards,
    however many posts are shown.
    """
    contains = Q()
    for form in term.forms:
        contains |= Q(body_text__icontains=form)
    candidates = (
        BlogPage.objects.newest()
        .filter(locale_id=term.locale_id)  # a term is annotated only on pages of its language
        .defer(None)  # the body is what is searched here
        .filter(glossary_enabled=True)
        .annotate(body_text=Cast("body", output_field=TextField()))
        .filter(contains)
    )
    matcher = term.matcher()
    found = []
    for post in candidates[: limit * 5]:
        seen: set[str] = set()
        for html in _stream_html(list(post.body.raw_data)):
            annotate_html(html, seen, matcher=matcher)
            if seen:
                found.append(post)
                break
        if len(found) == limit:
            break
    return prepare_cards(found)
