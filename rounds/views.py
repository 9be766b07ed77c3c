from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from blog.models import BlogPage, prepare_cards
from glossary.models import Term

from .pagination import paginate

SEARCH_RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    """Site search over live posts (Wagtail's database backend: full-text on PostgreSQL)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = BlogPage.objects.none()
    if query:
        results = BlogPage.objects.listed().search(query)
    page = paginate(request, results, SEARCH_RESULTS_PER_PAGE)
    page.object_list = prepare_cards(page.object_list)
    return TemplateResponse(
        request,
        "pages/search.html",
        {
            "search_query": query,
            "results": page,
            "glossary_terms": Term.objects.matching(query) if query else [],
        },
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "robots.txt", content_type="text/plain")
