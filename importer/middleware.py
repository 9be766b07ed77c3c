"""Old WordPress links that name a post by a query parameter: `/?p=123` (every post's shortlink,
and the only link a blog with "plain" permalinks has) and `/?page_id=45`.

Wagtail's RedirectMiddleware looks for a redirect only when a page is not found, and `/` is always
found (the home page, often straight from the page cache, which ignores these parameters). So
these requests are answered here, before the page cache, from the same redirects the importer made
(wagtail.contrib.redirects); only a request carrying one of these parameters pays for the lookup.
"""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from .records import QUERY_IDS

__all__ = ["QueryLinkRedirectMiddleware"]


class QueryLinkRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Most requests carry no query string: they pay neither for parsing one nor for the lookup.
        if (
            request.META.get("QUERY_STRING")
            and request.method in ("GET", "HEAD")
            and not QUERY_IDS.isdisjoint(request.GET.keys())
        ):
            path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link is not None:
                answer = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
                return answer(redirect.link)
        return self.get_response(request)
