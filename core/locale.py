"""Which language a request is in: the path's prefix (/es/...), or the default language.

Never the Accept-Language header or a cookie: the page cache keys pages by their path, so a page
must say the same thing to every reader who asks for that path. Django's LocaleMiddleware already
uses the default language for unprefixed paths when `prefix_default_language=False`, but it still
adds `Vary: Accept-Language` to them, which would make Varnish keep one copy per header value.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

# The one rule for a path's language; the page cache keys and purges by it too.
from pagecache.keys import language_of

__all__ = ["PathLocaleMiddleware"]


class PathLocaleMiddleware:
    """Activate the path's language for the request; answer with its Content-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = language_of(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
