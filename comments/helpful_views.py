""" "This helped" for readers: the button's POST, its token, and the counts of one post.

The button is a POST form in the cached discussion, the same for every reader, so it carries no
token. Without JavaScript, that first POST answers a small page with a token made for this reader
and this comment (tokens.helpful_token), whose button marks the comment and redirects back to it
(`/comments/<pk>/`, in the order the reader was reading). comments.js fetches the token itself
(`helpful_token_json`) and posts it, then shows the new count. A forged token, one for another
comment or reader, or a replayed one (this reader already marked the comment) is a 400; a POST from
another site too; a burst from one reader a 429; marking your own comment changes nothing.

`counts` is what readers' scripts read the current counts from: a small JSON answer, cached a few
seconds in the app (helpful.counts) and by any shared cache in front (Cache-Control), so a busy
discussion costs one query per post every few seconds whatever the clicks.
"""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.http import reader_key, sent_from_another_site

from . import helpful, ratelimit, tokens
from .listing import HELPFUL
from .models import Comment
from .views import readable_post
from .visibility import visible_comment_or_404, visible_posts

__all__ = ["counts", "mark", "token_json"]


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _back(request: HttpRequest, comment: Comment) -> str:
    order = "?order=helpful" if request.POST.get("order") == HELPFUL else ""
    return f"{comment.permalink}{order}"


def _page(request: HttpRequest, comment: Comment, status: int = 200, **context) -> HttpResponse:
    context = {
        "comment": comment,
        "page": comment.content_object,
        "token": tokens.helpful_token(comment.pk, reader_key(request)),
        "order": request.POST.get("order") or request.GET.get("order", ""),
        **context,
    }
    return render(request, "comments/helpful.html", context, status=status)


def _refused(request: HttpRequest, comment: Comment, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return _page(request, comment, status=status, refused=message)


@require_GET
@never_cache
def token_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The token for the inline button (comments.js). Same-origin only, as the report's. It asks
    the database nothing (a click is two requests under a busy post): a token for a comment
    readers cannot see marks nothing, since the POST checks that (visible_comment_or_404)."""
    return JsonResponse({"token": tokens.helpful_token(pk, reader_key(request))})


@csrf_exempt
@require_POST
@never_cache
@readable_post
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    comment = visible_comment_or_404(pk)
    reader = reader_key(request)
    if "token" not in request.POST and not sent_from_another_site(request):
        return _page(request, comment)  # the button without script: this reader's token first
    if sent_from_another_site(request) or not tokens.is_helpful_token(
        request.POST.get("token", ""), comment.pk, reader
    ):
        return _refused(
            request, comment, _("This was not sent from this site's button. Send it again below."), 400
        )
    wait = ratelimit.helpful_retry_after(reader)
    if wait:
        response = _refused(request, comment, _("Too many at once. Please try again in a minute."), 429)
        response["Retry-After"] = str(wait)
        return response
    outcome = helpful.mark(request, comment, reader)
    if outcome == helpful.Outcome.ALREADY:
        return _refused(request, comment, _("You already marked this comment as helpful."), 400)
    count = helpful.count(comment)
    if outcome == helpful.Outcome.OWN:
        message = _("This is your own comment: it is not counted.")
    else:
        message = _("Thank you. You marked this comment as helpful.")
    response = JsonResponse({"message": message, "count": count, "outcome": str(outcome)})
    if not _wants_json(request):
        response = HttpResponseRedirect(_back(request, comment), status=303)
    if outcome == helpful.Outcome.MARKED:
        helpful.remember(request, response, comment.pk)
    return response


@require_GET
def counts(request: HttpRequest, page_id: int) -> HttpResponse:
    """{"counts": {pk: n}} for a live, public post's shown comments with any mark."""
    page = visible_posts().filter(pk=page_id).first() if 0 < page_id < 2**31 else None
    if page is None:
        raise Http404("No such post")
    response = JsonResponse({"counts": {str(pk): n for pk, n in helpful.counts(page).items()}})
    seconds = helpful.COUNTS_SECONDS
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response
