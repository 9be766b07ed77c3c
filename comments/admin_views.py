"""The moderation queue in the Wagtail admin, on Wagtail's own listing (generic IndexView, its
filter drawer, search, pagination and bulk-action footer), with one-by-one decisions, edit or
redact, reply as staff, route to Patient Relations and highlight.

The views are thin over moderation.py, whose every step is audit-logged (it calls audit.py), and
over actions.py, the table of what a moderator may do to which comment. A decision answers JSON to
the queue's script (comments/static/comments/admin.js) and redirects back with a message
otherwise, so every button works without JavaScript too.
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table
from wagtail.admin.views.generic import IndexView

from . import actions, creation
from . import moderation as moderate
from .cooking import stored_html
from .filters import TABS, QueueFilterSet, for_tab
from .forms import ModeratorEditForm, StaffReplyForm
from .models import TAB_COUNT_CAP, Comment, CommentRevision, Discussion, Moderation, RejectReason
from .queue import prepare_rows, remember_shortcuts

__all__ = [
    "PERMISSION",
    "QueueView",
    "RejectForm",
    "decide",
    "edit",
    "listing_ids",
    "reject",
    "staff_reply",
]

PERMISSION = "django_comments.can_moderate"
PER_PAGE = 50
# Oldest first where comments wait for someone, newest first in the archives.
OLDEST_FIRST = {"waiting", "reported", "unanswered"}

moderator_required = permission_required(PERMISSION, raise_exception=True)


def moderator_post_required(view):
    """For the endpoint decisions post to: anyone but a moderator gets a plain 403 (Wagtail would
    turn PermissionDenied into a redirect home, which a script reads as success)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            return HttpResponseForbidden(_("Only moderators may decide about comments."))
        return view(request, *args, **kwargs)

    return wrapped


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back(request: HttpRequest) -> str:
    """Where to return after a decision: the queue page it was made from, never elsewhere."""
    queue = reverse("comments_admin:queue")
    back = request.POST.get("next", "")
    if back.startswith(queue) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return queue


class RejectForm(forms.Form):
    """Asked when rejecting, never beforehand: no reason is preselected."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Why is it rejected?"), choices=RejectReason.choices, widget=forms.RadioSelect
    )


class CellColumn(Column):
    """A column drawn by one of our templates (comments/admin/cells/), the row's data prepared by
    queue.prepare_rows."""

    def __init__(self, name: str, template: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        # A cell is rendered from a plain dict: the row's form needs the token passed on.
        context["csrf_token"] = get_token(parent_context["request"])
        return context


def shown_count(count: int) -> str:
    """A tab's count as the queue shows it: "5,000+" past the cap (models.TAB_COUNT_CAP)."""
    if count > TAB_COUNT_CAP:
        return _("%(count)s+") % {"count": number_format(TAB_COUNT_CAP, force_grouping=True)}
    return number_format(count, force_grouping=True)


class QueuePaginator(WagtailPaginator):
    """Counts comments, not "moderations" (the rows are Moderation rows), and no further than
    TAB_COUNT_CAP: past it the queue pages the first TAB_COUNT_CAP and says so (`capped`)."""

    verbose_name = gettext_lazy("comment")
    verbose_name_plural = gettext_lazy("comments")

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        counted = rows.capped_count() if hasattr(rows, "capped_count") else len(rows)
        self.capped = counted > TAB_COUNT_CAP
        return min(counted, TAB_COUNT_CAP)


class QueueTable(Table):
    def get_row_attrs(self, instance: Moderation) -> dict:
        # Rows are what j/k move between: focusable by script, labelled by their first line.
        return {
            "id": f"row-{instance.pk}",
            "class": "comments-queue__row",
            "tabindex": "-1",
            "data-queue-row": str(instance.pk),
            "aria-labelledby": f"moderation_{instance.pk}_title",
        }


class QueueView(IndexView):
    """/admin/comments/: one tab per status, filters, search, a page of rows, bulk actions."""

    model = Moderation
    template_name = "comments/admin/queue.html"
    results_template_name = "comments/admin/queue_results.html"
    index_url_name = "comments_admin:queue"
    index_results_url_name = "comments_admin:queue_results"
    any_permission_required = None  # moderator_required guards the URL (PERMISSION)
    filterset_class = QueueFilterSet
    search_fields = ["comment__comment", "comment__user_name", "comment__user_email"]
    search_backend_name = None
    paginate_by = PER_PAGE
    paginator_class = QueuePaginator
    table_class = QueueTable
    table_classname = "listing comments-queue"
    page_title = gettext_lazy("Comments")
    header_icon = "comment"
    verbose_name = gettext_lazy("comment")
    verbose_name_plural = gettext_lazy("comments")
    columns = [
        BulkActionsCheckboxColumn("bulk_actions", obj_type="moderation"),
        CellColumn("comment", "comments/admin/cells/comment.html", label=gettext_lazy("Comment")),
        CellColumn("care", "comments/admin/cells/care.html", label=gettext_lazy("Why it needs care")),
        CellColumn("actions", "comments/admin/cells/actions.html", label=gettext_lazy("Decide")),
    ]

    @cached_property
    def tab(self) -> str:
        tab = self.request.GET.get("status", "waiting")
        return tab if tab in dict(TABS) else "waiting"

    def get_base_queryset(self):
        return for_tab(Moderation.objects.select_related("comment", "decided_by"), self.tab)

    def get_ordering(self):
        return "comment__submit_date" if self.tab in OLDEST_FIRST else "-comment__submit_date"

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "pk" if self.ordering.startswith("c") else "-pk")

    def get_table(self, object_list):
        rows = prepare_rows(self.request, object_list)
        remember_shortcuts(self.request, rows)
        return super().get_table(rows)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = Moderation.objects.tab_counts()
        counts["unanswered"] = for_tab(Moderation.objects.all(), "unanswered").capped_count()
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        tabs = []
        for key, label in TABS:
            query["status"] = key
            url = f"?{query.urlencode()}"
            tabs.append({"key": key, "label": label, "count": shown_count(counts[key]), "url": url})
        paginator = context.get("paginator")
        context.update(
            {
                "tab": self.tab,
                "tabs": tabs,
                "capped": getattr(paginator, "capped", False),
                "cap": number_format(TAB_COUNT_CAP, force_grouping=True),
                "reject_form": RejectForm(auto_id="reject-dialog-%s"),
                "model_opts": Moderation._meta,
            }
        )
        return context


def listing_ids(request: HttpRequest) -> list[int]:
    """The keys of every comment the queue lists for this request's tab, filters and search, on
    all its pages: what "select all in listing" means to Wagtail's bulk actions."""
    view = QueueView()
    view.setup(request)
    return list(view.get_queryset().values_list("pk", flat=True))


NO_RELATIONS_EMAIL = gettext_lazy("Set the Patient Relations email under Settings > Discussion first.")
NOTHING_TO_DO = gettext_lazy("Nothing to change for comment #%(pk)s.")
UPDATED = gettext_lazy("%(count)s comment(s) updated.")


def _answer(
    request: HttpRequest, ok: bool, message: str, moderation: Moderation | None = None, status: int = 0
) -> HttpResponse:
    """JSON for the queue's script (status 400 when nothing was done, or `status`), else a
    message and back (or a page with `status`)."""
    if _wants_json(request):
        data = {"ok": ok, "message": message, "waiting": Moderation.objects.waiting_count()}
        if moderation is not None:
            data.update(
                {
                    "pk": moderation.pk,
                    "status": moderation.status,
                    "highlighted": bool(moderation.highlighted_at),
                }
            )
        return JsonResponse(data, status=status or (200 if ok else 400))
    if status:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    (messages.success if ok else messages.error)(request, message)
    return redirect(_back(request))


@moderator_post_required
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """One endpoint for a row's buttons (`do=<action>:<pk>`) and the old bulk form (`action` +
    `ids`), for every action of the table that runs here (actions.py: its preconditions and its
    messages); Wagtail's bulk-action footer uses comments/bulk_actions.py."""
    single = request.POST.get("do", "")
    if single:
        name, _sep, pk = single.partition(":")
        ids = [pk]
        reason = request.POST.get(f"reason_{pk}", "") or request.POST.get("reason", "")
    else:
        name = request.POST.get("action", "")
        ids = request.POST.getlist("ids")
        reason = request.POST.get("reason", "")
    ids = [int(pk) for pk in ids if _is_id(pk)]
    action = actions.find(name)
    if action is None or not ids:
        return _answer(request, False, _("Choose comments and an action."))
    if action.needs_relations_email and not Discussion.for_request(request).patient_relations_email:
        return _answer(request, False, NO_RELATIONS_EMAIL)
    rows = list(Moderation.objects.filter(pk__in=ids).select_related("comment"))
    if action.forbidden is not None and any(action.forbidden(m) for m in rows):
        return _answer(request, False, _("Only a staff reply can be the official answer."), status=403)
    done = sum(action.run(request, m, reason) for m in rows if action.applies(request, m))
    if len(rows) == 1 and done:
        return _answer(request, True, action.done % {"pk": rows[0].pk}, rows[0])
    if len(rows) == 1:
        return _answer(request, False, NOTHING_TO_DO % {"pk": rows[0].pk}, rows[0])
    return _answer(request, bool(done), UPDATED % {"count": done})


@moderator_required
@require_http_methods(["GET", "POST"])
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Rejecting asks why, then: the queue opens this form in a dialog; without script, a page."""
    moderation = get_object_or_404(Moderation.objects.select_related("comment"), pk=pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            moderate.reject(moderation, request.user, form.cleaned_data["reason"])
            return _answer(request, True, actions.find("reject").done % {"pk": pk}, moderation)
        if _wants_json(request):
            return _answer(request, False, _("Choose why the comment is rejected."), moderation)
    comment = get_object_or_404(Comment.objects.select_related("moderation"), pk=pk)
    return render(
        request,
        "comments/admin/reject.html",
        {
            "moderation": moderation,
            "comment": comment,
            "html": stored_html(comment),
            "form": form,
            "next": _back(request) if request.method == "POST" else request.GET.get("next", ""),
            "header_title": _("Reject comment #%(pk)s") % {"pk": pk},
        },
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    moderation = get_object_or_404(Moderation, pk=pk)
    comment = moderation.comment = get_object_or_404(Comment, pk=pk)
    form = ModeratorEditForm(request.POST or None, initial={"comment": comment.comment})
    if request.method == "POST" and form.is_valid():
        moderate.edit(
            moderation, request.user, form.cleaned_data["comment"], redacted=form.cleaned_data["redacted"]
        )
        if form.cleaned_data["approve"]:
            moderate.approve(moderation, request.user)
        messages.success(request, _("Comment saved."))
        return redirect("comments_admin:queue")
    return render(
        request,
        "comments/admin/edit.html",
        {
            "moderation": moderation,
            "comment": comment,
            "form": form,
            "revisions": CommentRevision.objects.filter(comment_id=pk).select_related("replaced_by"),
            "header_title": _("Edit comment"),
        },
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def staff_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A moderator answers a comment as staff: checked by the staff form, judged by the rules as
    staff (creation.judge) and stored as any new comment is (creation.add_comment)."""
    parent = get_object_or_404(Comment.objects.select_related("moderation"), pk=pk)
    page = parent.content_object
    if page is None:  # the post was deleted: there is no discussion left to answer in
        raise Http404("This comment's post no longer exists")
    form = StaffReplyForm(parent, request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = creation.judge(
            form.comment_object(request.user),
            page=page,
            discussion=Discussion.for_request(request),
            user=request.user,
        )
        reply = creation.add_comment(entry, notify=True)
        if form.cleaned_data.get("official"):
            moderate.answer(Moderation.objects.select_related("comment").get(pk=reply.pk), request.user)
        messages.success(request, _("Your reply is published."))
        return redirect("comments_admin:queue")
    return render(
        request,
        "comments/admin/reply.html",
        {
            "parent": parent,
            "parent_html": stored_html(parent),
            "page": page,
            "form": form,
            "header_title": _("Reply as staff"),
        },
    )
