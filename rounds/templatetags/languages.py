"""The language switcher and the hreflang alternates, for every page (templates/base.html).

Each language links to the same page in that language when it exists (a Wagtail page's live public
translation, or the translation of the object a view names as `translation_object`: a glossary
term, a topic), to the same list in that language for views without arguments (/glossary/,
/changes/, search), and otherwise to that language's home: a switch never leads to a 404.
"""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils.translation import get_language, get_language_info, override
from wagtail.models import Page, TranslatableMixin

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # the language named in itself: "Español"
    url: str
    current: bool
    translated: bool  # the same page exists in this language (an hreflang alternate)


def home_url(code: str) -> str:
    with override(code):
        return reverse("wagtail_serve", args=[""])


def _object_urls(obj: object) -> dict[str, str]:
    if isinstance(obj, Page):
        translations = obj.get_translations(inclusive=True).live().public().select_related("locale")
        return {page.locale.language_code: page.url for page in translations if page.url}
    if isinstance(obj, TranslatableMixin) and hasattr(obj, "get_absolute_url"):
        urls = {}
        for translation in obj.get_translations(inclusive=True).select_related("locale"):
            code = translation.locale.language_code
            with override(code):
                urls[code] = translation.get_absolute_url()
        return urls
    return {}


def _list_urls(request: HttpRequest | None) -> dict[str, str]:
    """A view without arguments (a list, search) exists in every language."""
    if request is None:
        return {}
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return {}
    if match.args or match.kwargs or match.url_name == "wagtail_serve":
        return {}
    query = request.GET.urlencode()
    urls = {}
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        urls[code] = f"{url}?{query}" if query else url
    return urls


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[LanguageLink]:
    current = get_language()
    obj = context.get("translation_object") or context.get("page")
    urls = _object_urls(obj) if obj is not None else _list_urls(context.get("request"))
    links = []
    for code, _name in settings.LANGUAGES:
        links.append(
            LanguageLink(
                code=code,
                name=get_language_info(code)["name_local"][:1].upper()
                + get_language_info(code)["name_local"][1:],
                url=urls.get(code) or home_url(code),
                current=code == current,
                translated=code in urls,
            )
        )
    return links
