"""What a cached page is filed under: its group (the purge table), its `?page=` number, and the
short fixed-length keys of the stamps that version it."""

import enum
import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path

__all__ = [
    "GROUP_HEADER",
    "GROUP_KEYS",
    "ORDER_PARAM",
    "PAGE_PARAM",
    "Group",
    "base_key",
    "cache_as",
    "cached_as",
    "mark_order",
    "group_key",
    "group_name",
    "group_names",
    "language_of",
    "mark_page",
    "order_value",
    "page_number",
    "path_key",
    "register_order",
    "requested_order",
    "requested_page",
]

# `?page=` is the only query parameter that changes what a cached page shows; the rest (tracking
# tags, a comment permalink ?c=) would only multiply cache entries.
PAGE_PARAM = "page"
# `?order=` names another order of the same list (a discussion's "Most helpful"): one of the orders
# an app registered (`register_order`), else nothing, so junk values share the default's entry.
ORDER_PARAM = "order"
_ORDERS: set[str] = set()
# The header that names a cached response's group, for HTTP caches that purge by group (bans).
GROUP_HEADER = "X-Cache-Group"


class Group(enum.StrEnum):
    """What a change can make stale without listing paths: the purge table's columns."""

    LISTINGS = "listings"  # home, the blog index and its tag, month and author views, post feed, sitemap
    POSTS = "posts"  # each post page (with its discussion and its definitions)
    GLOSSARY = "glossary"  # the A-Z index and the term pages
    COMMENT_FEEDS = "comment-feeds"  # the site's and each post's comment feed
    CHANGES = "changes"  # /changes/, its topic pages and its feed (changes/)


def cache_as(response: HttpResponse, group: Group | str) -> HttpResponse:
    """Declare that `response` may be cached for anonymous readers in `group` (ValueError if no such
    group: a typo must fail loudly, never silently cache or purge nothing)."""
    response.page_cache_group = Group(group)
    return response


def cached_as(group: Group | str) -> Callable:
    """A view decorator: `cache_as` for every response the view returns."""
    group = Group(group)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return cache_as(view(request, *args, **kwargs), group)

        return wrapper

    return decorator


def mark_page(request: HttpRequest, number: int) -> None:
    """A paginating view says which page it showed. A `?page=` request is stored only when the view
    showed exactly that page, so junk and out-of-range values (which the view answers with the first
    or last page) add no cache entry."""
    request.page_cache_page = number


def page_number(value: str | None) -> int:
    """The one `?page=` rule: the page a value names when it is a plain page number (ASCII digits,
    no leading zero, at most six of them), 1 when there is none, 0 for anything else. Every cache
    of a paginated list keys on it (comments.listing too), and deploy/varnish/rounds.vcl's
    `vcl_hash` follows it."""
    if value is None:
        return 1
    if value.isascii() and value.isdigit() and not value.startswith("0") and len(value) <= 6:
        return int(value)
    return 0


def requested_page(request: HttpRequest) -> int | None:
    """The requested page when it is a canonical number above 1; None for none or page 1; 0 for
    anything else."""
    number = page_number(request.GET.get(PAGE_PARAM))
    return None if number == 1 else number


def register_order(name: str) -> None:
    """An app declares an order its views show under `?order=<name>` (from its AppConfig.ready()):
    such a request has an entry of its own. deploy/varnish/rounds.vcl lists the same names."""
    _ORDERS.add(name)


def order_value(value: str | None) -> str:
    """The order a `?order=` value names when it is a registered one; "" (the default) otherwise."""
    return value if value in _ORDERS else ""


def requested_order(request: HttpRequest) -> str:
    return order_value(request.GET.get(ORDER_PARAM))


def mark_order(request: HttpRequest, order: str) -> None:
    """A view says which order it showed (as `mark_page` says which page): a response is stored
    only when that is the order its entry is filed under."""
    request.page_cache_order = order


# Stamp keys are short and fixed-length whatever the path, so they fit a database key column.
def path_key(path: str) -> str:
    return "p:" + hashlib.sha256(path.encode()).hexdigest()[:40]


# Each language's pages are stamped, purged and banned apart: a group's stamp is per language, named
# "posts" for the default language (as before there were languages) and "posts.es" for Spanish. The
# language is the path's prefix (core/locale.py reads it the same way), so a page's entry, its
# stamps and its X-Cache-Group all follow from its path alone.
def language_of(path: str) -> str:
    return get_language_from_path(path) or settings.LANGUAGE_CODE


def group_name(group: Group | str, language: str | None = None) -> str:
    """The name of one language's part of a group (its stamp key and its X-Cache-Group)."""
    group = Group(group)
    return str(group) if language in (None, settings.LANGUAGE_CODE) else f"{group}.{language}"


def group_names(groups: list[Group | str], languages: list[str] | None = None) -> list[str]:
    """Every language's part of these groups, or only the given languages' parts."""
    languages = languages or [code for code, _name in settings.LANGUAGES]
    return [group_name(group, language) for group in groups for language in languages]


def group_key(name: str) -> str:
    return f"g:{name}"


GROUP_KEYS = {group: group_key(group_name(group)) for group in Group}


def base_key(request: HttpRequest) -> str:
    """The entry a request is filed under. Junk page values share the first page's entry: that is
    what the view shows for them; an order other than the default has entries of its own."""
    order = requested_order(request)
    return f"{path_key(request.path)}|{requested_page(request) or 1}" + (f"|{order}" if order else "")
