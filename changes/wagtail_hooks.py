"""Admin wiring: topics and changes as snippets (changes with revisions and preview), the "mark as
feedback" page with its button and key `f` in the moderation queue, and the leadership panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from comments.actions import Action
from comments.models import Status
from core import converters  # noqa: F401 - registers "rowid" (ids too long are a 404)

from . import admin_views
from .models import Change, Topic


class ChangeViewSet(SnippetViewSet):
    model = Change
    icon = "history"
    menu_label = _("Changes")
    list_display = ["title", "date", "department", "topic"]
    list_filter = ["topic", "department"]
    search_fields = ["title", "description", "department"]
    ordering = ["-date", "-pk"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name", "slug"]
    ordering = ["name"]


class ChangesGroup(SnippetViewSetGroup):
    items = (ChangeViewSet, TopicViewSet)
    menu_icon = "history"
    menu_label = _("You said, we changed")
    menu_order = 260


register_snippet(ChangesGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("changes/feedback/<rowid:pk>/", admin_views.feedback, name="changes_feedback")]


@hooks.register("comment_queue_row_actions")
def queue_row_actions() -> list[Action]:
    """A published comment's row offers "Mark as feedback" (key `f`): a page of its own, which
    the row's button posts to (comments/actions.py's table)."""
    return [
        Action(
            "feedback",
            _("Mark as feedback"),
            key="f",
            statuses=frozenset({Status.PUBLISHED}),
            url=lambda moderation: reverse("changes_feedback", args=[moderation.pk]),
            method="post",
            permission=admin_views.PERMISSION,
        )
    ]


class FeedbackPanel(Component):
    name = "changes_feedback"
    order = 160
    template_name = "changes/admin/panel.html"

    def get_context_data(self, parent_context=None) -> dict:
        return admin_views.dashboard_context()


@hooks.register("construct_homepage_panels")
def add_feedback_panel(request, panels) -> None:
    if request.user.has_perm(admin_views.PERMISSION) or request.user.has_perm("changes.view_change"):
        panels.append(FeedbackPanel())
