"""Which language a request is in: the path's prefix (/es/...), or the default language.

Never the Accept-Language header or a cookie: the page cache keys pages by their path, so a page
must say the same thing to every reader who asks for that path. Django's LocaleMiddleware already
uses the default language for unprefixed paths when `prefix_default_language=False`, but it still
adds `Vary: Accept-Language` to them, which would make Varnish keep one copy per header value.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from wagtail.models import Locale

# The one rule for a path's language; the page cache keys and purges by it too.
from pagecache.keys import language_of

__all__ = ["PathLocaleMiddleware", "language_of_locale"]


def language_of_locale(locale_id: int | None) -> list[str] | None:
    """The languages a purge for an object in this locale covers: its own, or every language
    (None) when the locale is unknown, as when `loaddata` restores an object before its locale."""
    if locale_id is None:
        return None
    code = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    return [code] if code else None


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
