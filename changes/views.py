"""/changes/: every change, newest first, by topic, and its RSS feed. Cached in the changes group.

The topic filter is a path (/changes/topic/<slug>/), not a query parameter: the page cache keys
on the path and `?page=` only, so a `?topic=` page would be served to everyone as the unfiltered one.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from rounds.pagecache import Group, cached_as, mark_page
from rounds.pagination import paginate

from .citations import shown_changes
from .models import Change, Topic

PER_PAGE = 20


def _listing(request: HttpRequest, topic: Topic | None) -> HttpResponse:
    changes = Change.objects.newest()
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
            "topics": Topic.objects.filter(changes__isnull=False).distinct(),
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
    return _listing(request, get_object_or_404(Topic, slug=slug))
