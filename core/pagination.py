"""Pagination of public listings: one rule for the blog's listings and site search."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

__all__ = ["paginate"]


def paginate(request: HttpRequest, items, per_page: int) -> Page:
    """The page of `items` that `?page=` asks for. A value that is not a page number gives the
    first page and one past the end gives the last, so a stale or mistyped link still shows posts."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
