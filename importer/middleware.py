"""Redirects that only ever lead where the reader may go.

Old WordPress links that name a post by a query parameter, `/?p=123` (every post's shortlink, and
the only link a blog with "plain" permalinks has) and `/?page_id=45`: Wagtail's
RedirectMiddleware looks for a redirect only when a page is not found, and `/` is always found
(the home page, often straight from the page cache, which ignores these parameters). So these
requests are answered here, before the page cache, from the same redirects the importer made
(wagtail.contrib.redirects); only a request carrying one of these parameters pays for the lookup.

Every redirect to a page (these, and Wagtail's for old paths: `RedirectMiddleware` replaces
Wagtail's) is followed only when the page is live and the reader may see it (`may_follow`): a
301's Location names the page's slug, which for a draft or a private post is not for readers.
"""

from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects import middleware as wagtail_redirects
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

from .records import QUERY_IDS

__all__ = ["QueryLinkRedirectMiddleware", "RedirectMiddleware", "may_follow"]


def may_follow(request: HttpRequest, redirect: Redirect) -> bool:
    """Whether `request` may be sent where `redirect` leads: anywhere an editor linked by address,
    or a page that is live and whose view restrictions (a login, a password) this reader passes.
    Before the session is read (no `request.user`), a restricted page is never followed."""
    page = redirect.redirect_page
    if page is None:
        return redirect.link is not None
    if not page.live:
        return False
    restrictions = page.get_view_restrictions()
    if not hasattr(request, "user"):
        return not restrictions.exists()
    return all(restriction.accept_request(request) for restriction in restrictions)


def _answer(redirect: Redirect) -> HttpResponse:
    answer = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
    return answer(redirect.link)


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
            if redirect is not None and may_follow(request, redirect):
                return _answer(redirect)
        return self.get_response(request)


class RedirectMiddleware(wagtail_redirects.RedirectMiddleware):
    """Wagtail's redirects for paths no page answers (its 404s), followed only as `may_follow`
    allows: otherwise the 404 stands, as if there were no redirect."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code != 404:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None and path != urlparse(path).path:
            redirect = get_redirect(request, urlparse(path).path)
        if redirect is None or not may_follow(request, redirect):
            return response
        return _answer(redirect)
