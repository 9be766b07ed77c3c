from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from blog.models import BlogPage, with_comment_counts
from glossary.models import Term

SEARCH_RESULTS_PER_PAGE = 10
MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    """Site search over live posts (Wagtail's database backend: full-text on PostgreSQL)."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    results = BlogPage.objects.none()
    if query:
        results = BlogPage.objects.listed().search(query)
    paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    page.object_list = with_comment_counts(page.object_list)
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
