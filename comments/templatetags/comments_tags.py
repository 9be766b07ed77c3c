"""Template tags for the discussion under a post and comment counts. A comment's stored HTML
reaches the post page through comments/listing.py, and other pages through
comments/includes/comment_body.html."""

from django import template

from pagecache.keys import ORDER_PARAM, mark_order, mark_page

from .. import answers, counts, highlights
from ..forms import CommentForm
from ..listing import HELPFUL, render_comment_list
from ..models import Discussion

register = template.Library()


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def discussion(context: template.Context, page) -> dict:
    """The discussion: the same HTML for every anonymous reader (no CSRF token for them), built
    in a fixed number of queries whatever the number of comments; `?page=N` shows the Nth page of
    its threads."""
    request = context["request"]
    if page.pk is None:  # a preview of a post never saved: no discussion yet
        return {"preview": True}
    policy = Discussion.for_request(request)
    is_open = policy.is_open(page)
    comments = render_comment_list(page, is_open, request, policy.hospital_name)
    # The page cache stores a `?page=N` (`?order=`) response only when this is the page it showed.
    mark_page(request, comments.number)
    mark_order(request, comments.order)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "page": page,
        "comment_list": comments.html,
        "comment_page": comments,
        "count": comments.count,
        "order": comments.order,
        "order_query": f"{ORDER_PARAM}={HELPFUL}" if comments.order else "",
        "helpful_order": f"{page.url}?{ORDER_PARAM}={HELPFUL}#comments",
        "open": is_open,
        "guidelines": policy.guidelines_shown,
        "form": CommentForm(page) if is_open else None,
        # The inline reply form comments.js copies under a comment, its ids ready for the parent's.
        "reply_form": CommentForm.for_inline_reply(page) if is_open else None,
        "reply_placeholder": CommentForm.INLINE_REPLY_PLACEHOLDER,
    }


@register.inclusion_tag("comments/includes/answered.html")
def answered_questions(page) -> dict:
    """The post's questions with an official answer shown, each linking to the answer."""
    return {"answered": answers.for_page(page) if page.pk else []}


@register.inclusion_tag("comments/includes/highlighted.html")
def highlighted_comments(page) -> dict:
    """The comments moderators highlighted on `page`, each linking to its place in the thread."""
    return {"highlights": highlights.for_page(page) if page.pk else []}


@register.filter
def comment_count(post) -> int:
    """Published comments on a post: the listing's count when there is one, else one query."""
    return counts.comment_count(post)
