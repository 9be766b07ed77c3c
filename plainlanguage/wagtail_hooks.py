"""Admin wiring: the plain-language checks in the userbar's content checker (preview and page
editor), the summary after publishing, and the two reports under Reports."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem

from blog.models import BlogPage

from . import views
from .checker import PlainLanguageCheckerItem
from .posts import analyse_post


@hooks.register("construct_wagtail_userbar")
def add_plain_language_checks(request, items, page) -> None:
    """On a post, Wagtail's checker item becomes ours: the same checks plus plain language."""
    if not isinstance(page, BlogPage):
        return
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, PlainLanguageCheckerItem):
            items[index] = PlainLanguageCheckerItem(analyse_post(page), in_editor=item.in_editor)


@hooks.register("after_publish_page")
def summarise_on_publish(request, page) -> None:
    """A warning the editor may act on; the post is published either way."""
    post = page.specific
    if not isinstance(post, BlogPage):
        return
    analysis = analyse_post(post)
    if analysis.undefined_count or analysis.over_target:
        messages.warning(request, views.summary(analysis))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/reading-level/", views.reading_level, name="plainlanguage_reading_level"),
        path("reports/glossary-gaps/", views.glossary_gaps, name="plainlanguage_glossary_gaps"),
    ]


@hooks.register("register_reports_menu_item")
def reading_level_menu_item():
    return MenuItem(
        _("Reading level"), reverse("plainlanguage_reading_level"), icon_name="glasses", order=900
    )


@hooks.register("register_reports_menu_item")
def glossary_gaps_menu_item():
    return MenuItem(_("Glossary gaps"), reverse("plainlanguage_glossary_gaps"), icon_name="help", order=901)
