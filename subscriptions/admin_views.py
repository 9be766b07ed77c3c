"""The Subscribers listing (Wagtail's generic IndexView: filters, search, counts, a CSV export for
leadership) and the Mailings listing (each post's deliveries: queued, sent, failed).

Moderators may see the figures but not the addresses: only a user with `view_subscriber` (editors'
and leadership's groups, superusers) sees, searches or exports addresses; a comment moderator sees
the listing with each address hidden.
"""

import django_filters
from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView

from .models import Delivery, Mailing, Subscriber

__all__ = ["ADDRESS_PERMISSION", "MailingsView", "SubscribersView", "may_see_addresses", "staff_required"]

ADDRESS_PERMISSION = "subscriptions.view_subscriber"
MODERATOR_PERMISSION = "django_comments.can_moderate"


def may_see_addresses(user) -> bool:
    return user.has_perm(ADDRESS_PERMISSION)


def _may_see_listing(user) -> bool:
    return user.is_active and (may_see_addresses(user) or user.has_perm(MODERATOR_PERMISSION))


staff_required = user_passes_test(_may_see_listing)


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Subscriber.Status.choices)
    frequency = django_filters.ChoiceFilter(label=_("Frequency"), choices=Subscriber.Frequency.choices)

    class Meta:
        model = Subscriber
        fields = ["status", "frequency"]


class AddressColumn(Column):
    """The address, or "hidden" for a reader of the listing who may not see addresses."""

    def get_value(self, instance):
        if self.show:
            return instance.email
        return _("hidden")

    def __init__(self, *args, show: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.show = show


class SubscribersView(IndexView):
    model = Subscriber
    template_name = "subscriptions/admin/subscribers.html"
    index_url_name = "subscriptions_admin:subscribers"
    index_results_url_name = "subscriptions_admin:subscribers_results"
    any_permission_required = None  # staff_required guards the URL
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "name"]
    search_backend_name = None
    paginate_by = 50
    page_title = _("Subscribers")
    header_icon = "mail"
    default_ordering = "-created_at"
    FORMATS = ("csv",)
    list_export = ["email", "name", "status", "frequency", "created_at", "confirmed_at", "hard_failures"]
    export_filename = "subscribers"

    @property
    def show_export_buttons(self) -> bool:
        return may_see_addresses(self.request.user)

    @property
    def header_more_buttons(self):
        # CSV only (no XLSX: openpyxl is not installed, and leadership asked for CSV).
        return [b for b in super().header_more_buttons if "csv" in (b.url or "")]

    @property
    def columns(self):
        return [
            AddressColumn("email", label=_("Email"), show=may_see_addresses(self.request.user)),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("frequency", label=_("Frequency"), accessor="get_frequency_display"),
            Column("hard_failures", label=_("Hard failures")),
            Column("created_at", label=_("Subscribed")),
        ]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not may_see_addresses(request.user) and (self.is_export or request.GET.get("q")):
            # Searching by address would tell a moderator who subscribed.
            raise PermissionDenied

    def get_base_queryset(self):
        return Subscriber.objects.all()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = dict(Subscriber.objects.values_list("status").annotate(n=Count("pk")).order_by())
        context["counts"] = [(label, counts.get(value, 0)) for value, label in Subscriber.Status.choices]
        return context


def _count(state: str | tuple) -> Count:
    states = [state] if isinstance(state, str) else list(state)
    return Count("post__deliveries", filter=Q(post__deliveries__state__in=states))


class MailingsView(IndexView):
    model = Mailing
    index_url_name = "subscriptions_admin:mailings"
    index_results_url_name = "subscriptions_admin:mailings_results"
    any_permission_required = None
    paginate_by = 50
    page_title = _("Mailings")
    header_icon = "mail"
    columns = [
        Column("post", label=_("Post")),
        Column("created_at", label=_("Started")),
        Column("queued", label=_("Queued")),
        Column("sent", label=_("Sent")),
        Column("failed", label=_("Failed")),
        Column("stopped", label=_("Stopped")),
    ]

    def get_base_queryset(self):
        return (
            Mailing.objects.select_related("post")
            .annotate(
                queued=_count((*Delivery.WAITING,)),
                sent=_count(Delivery.State.SENT),
                failed=_count((Delivery.State.FAILED, Delivery.State.UNKNOWN)),
                stopped=_count(Delivery.State.STOPPED),
            )
            .order_by("-created_at")
        )
