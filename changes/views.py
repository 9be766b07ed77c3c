"""/changes/: every change, newest first, by topic, and its RSS feed. Cached in the changes group.
/changes/<pk>/ is one change's lasting address.

The topic filter is a path (/changes/topic/<slug>/), not a query parameter: the page cache keys
on the path and `?page=` only, so a `?topic=` page would be served to everyone as the unfiltered one.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.pagination import paginate
from pagecache.keys import Group, cached_as, mark_page

from .citations import shown_changes
from .models import Change, Topic

PER_PAGE = 20


def _listing(request: HttpRequest, topic: Topic | None) -> HttpResponse:
    changes = Change.objects.in_language(get_language()).newest()
    if topic is not None:
        changes = changes.filter(topic=topic)
    page = paginate(request, changes, PER_PAGE)
    mark_page(request, page.number)
    shown = shown_changes(Change.objects.filter(pk__in=[c.pk for c in page.object_list]).newest())
    return TemplateResponse(
        request,
        "changes/index.html",
        {
            "changes": page,
            "shown": shown,
            "topic": topic,
            "translation_object": topic,
            "topics": Topic.objects.filter(
                locale__language_code=get_language(), changes__isnull=False
            ).distinct(),
            "structured_data": {
                "@context": "https://schema.org",
                "@type": "ItemList",
                "itemListElement": [
                    {"@type": "ListItem", "position": page.start_index() + n, "item": item.structured_data()}
                    for n, item in enumerate(shown)
                ],
            },
        },
    )


@cached_as(Group.CHANGES)
def index(request: HttpRequest) -> HttpResponse:
    return _listing(request, None)


@cached_as(Group.CHANGES)
def by_topic(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, get_object_or_404(Topic, locale__language_code=get_language(), slug=slug))


@require_GET
@never_cache
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """/changes/<pk>/: redirects to the page of /changes/ that lists the change, at its anchor. That
    page moves as newer changes are added, so links that last (emails, the feed) come here. Two
    queries."""
    change = get_object_or_404(Change.objects.select_related("locale"), pk=pk)
    language = change.locale.language_code
    number = Change.objects.in_language(language).listed_before(change).count() // PER_PAGE + 1
    page = f"?page={number}" if number > 1 else ""
    with override(language):  # the listing of the change's own language
        index = reverse("changes:index")
    return HttpResponseRedirect(f"{index}{page}#{change.anchor}")
