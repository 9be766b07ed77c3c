"""Admin wiring for translations: the "translation is up to date" confirmation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from .translation import mark_current, origin_of


def translation_current(request: HttpRequest, page_id: int) -> HttpResponse:
    """GET asks, POST records that the translation now matches its source's latest revision."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    origin = origin_of(page)
    if origin is None:
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "POST":
        mark_current(page)
        messages.success(
            request, _("“%(title)s” is marked as up to date with its source.") % {"title": page.title}
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "blog/admin/translation_current.html",
        {"page": page, "origin": origin, "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk])},
    )


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [
        path("blog/translation/<int:page_id>/current/", translation_current, name="blog_translation_current")
    ]
