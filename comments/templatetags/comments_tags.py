"""Template tags for the discussion under a post and comment counts. The one place a comment's
sanitised HTML is output is comments/includes/comment_body.html."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .. import counts, highlights
from ..forms import CommentForm
from ..listing import render_comment_list
from ..models import Discussion

register = template.Library()

# Translated once per render rather than once per comment.
LABELS = {
    "staff": _("Staff"),
    "author": _("Author"),
    "permalink": _("(link to this comment)"),
    "reply": _("Reply"),
    "to": pgettext_lazy("reply to someone", "to"),
    "report": _("Report"),
    "by": pgettext_lazy("report a comment by someone", "comment by"),
}


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def discussion(context: template.Context, page) -> dict:
    """The discussion: the same HTML for every anonymous reader (no CSRF token for them), built
    in a fixed number of queries whatever the number of comments."""
    request = context["request"]
    if page.pk is None:  # a preview of a post never saved: no discussion yet
        return {"preview": True}
    policy = Discussion.for_request(request)
    is_open = policy.is_open(page)
    labels = {key: str(label) for key, label in LABELS.items()}
    comment_list, count = render_comment_list(page, is_open, labels)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "page": page,
        "comment_list": comment_list,
        "count": count,
        "open": is_open,
        "guidelines": policy.guidelines,
        "form": CommentForm(page) if is_open else None,
        # The inline reply form comments.js copies under a comment, its ids ready for the parent's.
        "reply_form": CommentForm.for_inline_reply(page) if is_open else None,
        "reply_placeholder": CommentForm.INLINE_REPLY_PLACEHOLDER,
    }


@register.inclusion_tag("comments/includes/highlighted.html")
def highlighted_comments(page) -> dict:
    """The comments moderators highlighted on `page`, each linking to its place in the thread."""
    return {"highlights": highlights.for_page(page) if page.pk else []}


@register.filter
def comment_count(post) -> int:
    """Published comments on a post: the listing's count when there is one, else one query."""
    return counts.comment_count(post)
