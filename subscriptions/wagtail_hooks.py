"""Wagtail wiring: the Subscribers and Mailings listings (admin_views.py) under one menu item, and
this app's part of the commenter export and erasure (personal_data.py, through comments' hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, personal_data


class SubscribersMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return admin_views._may_see_listing(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    guard = admin_views.staff_required
    urls = [
        path("", guard(admin_views.SubscribersView.as_view()), name="subscribers"),
        path(
            "results/",
            guard(admin_views.SubscribersView.as_view(results_only=True)),
            name="subscribers_results",
        ),
        path("mailings/", guard(admin_views.MailingsView.as_view()), name="mailings"),
        path(
            "mailings/results/",
            guard(admin_views.MailingsView.as_view(results_only=True)),
            name="mailings_results",
        ),
    ]
    return [path("subscribers/", include((urls, "subscriptions_admin"), namespace="subscriptions_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return SubscribersMenuItem(
        _("Subscribers"),
        reverse("subscriptions_admin:subscribers"),
        name="subscribers",
        icon_name="mail",
        order=260,
    )


hooks.register("export_commenter", personal_data.export)
hooks.register("erase_commenter", personal_data.erase)
