"""The moderation queue in the Wagtail admin: Coral-style tabs, one-by-one and bulk decisions,
edit or redact, reply as staff, route to Patient Relations. The views are thin over moderation.py,
whose every step is audit-logged (audit.py reacts to its signals)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from blog.models import BlogPage

from . import moderation as moderate
from .forms import CommentForm, ModeratorEditForm, StaffReplyForm
from .models import Comment, CommentRevision, Discussion, Moderation, RejectReason, is_visible
from .sanitize import comment_html_many

PERMISSION = "django_comments.can_moderate"
PER_PAGE = 50
TABS = [
    ("waiting", gettext_lazy("Waiting")),
    ("reported", gettext_lazy("Reported")),
    ("published", gettext_lazy("Published")),
    ("rejected", gettext_lazy("Rejected")),
    ("spam", gettext_lazy("Spam")),
]
ACTIONS = {"approve", "reject", "spam", "route"}

moderator_required = permission_required(PERMISSION, raise_exception=True)


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 9


def _filtered(request: HttpRequest, tab: str):
    moderations = (
        Moderation.objects.with_status(tab)
        .select_related("comment", "decided_by")
        .order_by("-comment__submit_date", "-pk")
    )
    post = request.GET.get("post", "")
    if _is_id(post):
        moderations = moderations.filter(comment__object_pk=post)
    for field, lookup in (("since", "gte"), ("until", "lte")):
        try:
            day = datetime.date.fromisoformat(request.GET.get(field, ""))
        except ValueError:
            continue
        moderations = moderations.filter(**{f"comment__submit_date__date__{lookup}": day})
    query = request.GET.get("q", "").strip()[:200]
    if query:
        moderations = moderations.filter(
            Q(comment__comment__icontains=query)
            | Q(comment__user_name__icontains=query)
            | Q(comment__user_email__icontains=query)
        )
    return moderations


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("status", "waiting")
    if tab not in dict(TABS):
        tab = "waiting"
    page = Paginator(_filtered(request, tab), PER_PAGE).get_page(request.GET.get("p"))
    rows = list(page.object_list)
    by_pk = Comment.objects.in_bulk([row.pk for row in rows])  # our proxy: display_name, permalink
    for row in rows:
        row.comment = by_pk[row.pk]
    comments = [row.comment for row in rows]
    # Everything a row shows, in a fixed number of queries: posts, parents, approvals per email.
    posts = BlogPage.objects.in_bulk({int(c.object_pk) for c in comments if c.object_pk.isdigit()})
    parents = Comment.objects.in_bulk({c.parent_id for c in comments if c.parent_id != c.pk})
    emails = {c.user_email.lower() for c in comments if c.user_email}
    approved = dict(
        Comment.objects.published()
        .filter(user_email__in=emails)
        .values_list("user_email")
        .annotate(n=Count("pk"))
        .values_list("user_email", "n")
    )
    for row, html in zip(rows, comment_html_many(c.comment for c in comments), strict=True):
        comment = row.comment
        row.html = html
        row.post = posts.get(int(comment.object_pk)) if comment.object_pk.isdigit() else None
        row.parent = parents.get(comment.parent_id) if comment.parent_id != comment.pk else None
        row.approved_before = approved.get(comment.user_email.lower(), 0) - (
            1 if is_visible(comment) and comment.user_email else 0
        )
    counts = dict(Moderation.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    counts["reported"] = Moderation.objects.with_status("reported").count()
    return render(
        request,
        "comments/admin/queue.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts.get(key, 0)) for key, label in TABS],
            "page_obj": page,
            "rows": rows,
            "reject_reasons": RejectReason.choices,
            "posts": BlogPage.objects.order_by("title").only("pk", "title"),
            "query": request.GET,
            "header_title": _("Comments"),
        },
    )


def _apply(request: HttpRequest, moderation: Moderation, action: str, reason: str) -> bool:
    user = request.user
    if action == "approve":
        moderate.approve(moderation, user)
    elif action == "reject":
        moderate.reject(moderation, user, reason if reason in RejectReason.values else RejectReason.OTHER)
    elif action == "spam":
        moderate.mark_spam(moderation, user)
    elif action == "route":
        return moderate.route_to_patient_relations(moderation, user, Discussion.for_request(request))
    return True


@moderator_required
@require_POST
def decide(request: HttpRequest) -> HttpResponse:
    """One form for both: a row's button sends `do=<action>:<pk>`, the bulk bar `action` + `ids`."""
    single = request.POST.get("do", "")
    if single:
        action, _sep, pk = single.partition(":")
        ids = [pk]
        reason = request.POST.get(f"reason_{pk}", "")
    else:
        action = request.POST.get("action", "")
        ids = request.POST.getlist("ids")
        reason = request.POST.get("reason", "")
    ids = [int(pk) for pk in ids if _is_id(pk)]
    if action not in ACTIONS or not ids:
        messages.error(request, _("Choose comments and an action."))
    else:
        done = sum(
            _apply(request, m, action, reason)
            for m in Moderation.objects.filter(pk__in=ids).select_related("comment")
        )
        if action == "route" and done < len(ids):
            messages.error(request, _("Set the Patient Relations email under Settings > Discussion first."))
        messages.success(request, _("%(count)s comment(s) updated.") % {"count": done})
    back = request.POST.get("next", "")
    if not back.startswith(reverse("comments_admin:queue")):
        back = reverse("comments_admin:queue")
    return redirect(back)


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
    parent = get_object_or_404(Comment.objects.select_related("moderation"), pk=pk)
    page = parent.content_object
    form = StaffReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            form.add_error(None, _("This conversation is nested as deep as it goes."))
        else:
            user = request.user
            reader_form = CommentForm(
                page,
                data={
                    **CommentForm(page).generate_security_data(),
                    "comment": form.cleaned_data["comment"],
                    "name": user.get_full_name() or user.get_username(),
                    "email": user.email,
                    "reply_to": parent.pk,
                },
            )
            if reader_form.is_valid():
                comment = reader_form.get_comment_object(site_id=settings.SITE_ID)
                moderate.post_comment(
                    comment, page=page, user=user, ip_address=None, discussion=Discussion.for_request(request)
                )
                messages.success(request, _("Your reply is published."))
                return redirect("comments_admin:queue")
            for errors in reader_form.errors.values():
                for error in errors:
                    form.add_error(None, error)
    return render(
        request,
        "comments/admin/reply.html",
        {
            "parent": parent,
            "parent_html": comment_html_many([parent.comment])[0],
            "page": page,
            "form": form,
            "header_title": _("Reply as staff"),
        },
    )
