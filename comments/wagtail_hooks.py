"""Wagtail wiring: the moderation queue at /admin/comments/ (views in admin_views.py, bulk actions in
bulk_actions.py, both from the table in actions.py), its menu item with the waiting count, the
dashboard panel (dashboard.py), the audit-log actions its decisions write (audit.py), and comment
counts on the blog's post cards."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from core import converters  # noqa: F401 - registers "rowid" (ids too long are a 404)

from . import actions, admin_views, bulk_actions, dashboard
from .counts import attach_comment_counts
from .models import Moderation


class QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)

    def render_component(self, request):
        component = super().render_component(request)
        waiting = Moderation.objects.waiting_count()
        if waiting:
            component.label = _("Comments (%(count)s waiting)") % {"count": waiting}
        return component


def register_bulk_actions(table: list[actions.Action]) -> None:
    """Register the bulk action of every entry of the table that runs in bulk, once each."""
    registered = set(hooks.get_hooks("register_bulk_action"))
    for action_class in bulk_actions.bulk_action_classes(table):
        if action_class not in registered:
            hooks.register("register_bulk_action", action_class)


# Ours at once; those other apps add to the table (their hooks load after ours) once every app's
# hooks are in, when the admin's URLs are first read (before any listing asks Wagtail for them).
register_bulk_actions(actions.BUILTIN)


@hooks.register("register_admin_urls")
def register_admin_urls():
    register_bulk_actions(actions.table())
    urls = [
        path("", admin_views.moderator_required(admin_views.QueueView.as_view()), name="queue"),
        path(
            "results/",
            admin_views.moderator_required(admin_views.QueueView.as_view(results_only=True)),
            name="queue_results",
        ),
        path("decide/", admin_views.decide, name="decide"),
        path("<rowid:pk>/reject/", admin_views.reject, name="reject"),
        path("<rowid:pk>/edit/", admin_views.edit, name="edit"),
        path("<rowid:pk>/reply/", admin_views.staff_reply, name="reply"),
    ]
    return [path("comments/", include((urls, "comments_admin"), namespace="comments_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return QueueMenuItem(
        _("Comments"), reverse("comments_admin:queue"), name="comments", icon_name="comment", order=250
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("comments.approve", _("Approve comment"), _("Approved comment"))
    actions.register_action("comments.reject", _("Reject comment"), _("Rejected comment"))
    actions.register_action("comments.spam", _("Mark comment as spam"), _("Marked comment as spam"))
    actions.register_action("comments.edit", _("Edit comment"), _("Edited comment"))
    actions.register_action("comments.redact", _("Redact comment"), _("Redacted comment"))
    actions.register_action(
        "comments.route", _("Send comment to Patient Relations"), _("Sent comment to Patient Relations")
    )
    actions.register_action("comments.highlight", _("Highlight comment"), _("Highlighted comment"))
    actions.register_action("comments.question", _("Mark comment as a question"), _("Marked as a question"))
    actions.register_action("comments.unquestion", _("Mark comment as not a question"), _("Not a question"))
    actions.register_action("comments.answer", _("Mark the official answer"), _("Marked the official answer"))
    actions.register_action(
        "comments.unhighlight", _("Take the highlight off a comment"), _("Took the highlight off a comment")
    )
    actions.register_action(
        "comments.requeue",
        _("Return reported comment to the queue"),
        _("Returned reported comment to the queue"),
    )


# The blog's post cards show comment counts: blog.models.prepare_cards runs this hook over the
# posts one listing shows.
hooks.register("annotate_post_cards", attach_comment_counts)


@hooks.register("construct_homepage_panels")
def add_discussion_panel(request, panels):
    if dashboard.can_see(request.user):
        panels.append(dashboard.DiscussionPanel())
