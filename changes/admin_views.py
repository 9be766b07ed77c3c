"""Marking a published comment as feedback, from the moderation queue (button and key `f`)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comments.models import Comment

from . import stats
from .citations import excerpt
from .forms import FeedbackForm
from .models import Feedback
from .visible import is_citable

# The moderators' permission: whoever decides on comments decides what they are feedback on.
PERMISSION = "django_comments.can_moderate"


@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=pk)
    if not is_citable(comment.pk):
        # Held, rejected or spam text is never feedback readers could see the outcome of.
        messages.error(request, _("Only a published comment can be marked as feedback."))
        return redirect(reverse("comments_admin:queue"))
    instance = Feedback.objects.filter(comment_id=pk).first() or Feedback(
        comment_id=pk, marked_by=request.user
    )
    form = FeedbackForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_at = timezone.now()
        saved.save()
        messages.success(request, _("Comment #%(pk)s marked as feedback.") % {"pk": pk})
        return redirect(reverse("comments_admin:queue") + "?status=published")
    return render(
        request,
        "changes/admin/feedback.html",
        {
            "comment": comment,
            "excerpt": excerpt(comment.comment),
            "form": form,
            "header_title": _("Mark as feedback"),
        },
    )


def dashboard_context() -> dict:
    return {"summary": stats.summary()}
