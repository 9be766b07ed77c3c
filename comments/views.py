"""The reader's side: post, see what happened, reply without JavaScript, report, confirm, unsubscribe.

CSRF: anonymous post pages are cached whole, so their form carries no token. Posting is exempt from
Django's CSRF check for anonymous requests (an anonymous post carries no authority; the security
hash, timestamp and honeypot still apply) and checked for authenticated ones, whose replies carry
staff authority.

Reports are different: an anonymous report does carry weight (enough of them hide a comment), so
a report needs the report page's signed token, made for that comment and that reader
(core.http.reader_key), and a POST another site's page sends (Origin, Sec-Fetch-Site) is
refused. No cookie is needed, so post pages stay cacheable whole.

Which comments a standalone page may show is comments/visibility.py's rule.
"""

import datetime
import functools
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blog.models import BlogPage
from core.http import client_ip, reader_key, reader_key_for, sent_from_another_site

from . import creation, moderation, ratelimit, rules, tokens
from .cooking import stored_html
from .forms import CommentForm
from .listing import order_of, page_of
from .models import Comment, Discussion, Subscriber
from .visibility import visible_comment_or_404, visible_posts
from .warning import MESSAGE as WARNING
from .warning import warning_for

MAX_POST_BYTES = 100 * 1024
# A stored comment sent again by the same reader this soon is their double click or reload.
RESENT_WITHIN = datetime.timedelta(minutes=10)


def _unreadable(request: HttpRequest) -> HttpResponse | None:
    """Refuse, before reading it, a body far larger than any comment form (3,000 characters,
    URL-encoded, with its other fields, is well under MAX_POST_BYTES), and a body in a charset or
    multipart shape that cannot be decoded."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_POST_BYTES:
        return _message(request, _("Comment not sent"), _("This comment is far too long to send."), 413)
    try:
        request.POST  # noqa: B018 - parse now, so a bad body is a 400 here and not a 500 later
    except LookupError:  # a charset Python does not know: read it as UTF-8, as browsers send
        request.encoding = "utf-8"
    except (UnicodeDecodeError, ValueError, MultiPartParserError):
        return _message(request, _("Comment not sent"), _("This comment could not be read."), 400)
    return None


def _csrf_failure(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF verdict for authenticated requests; None (accepted) for anonymous ones."""
    if not request.user.is_authenticated:
        return None
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


def readable_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The prelude of every view a reader's form posts to: a POST body too large or unreadable is
    refused before the view reads it (`_unreadable`), and an authenticated one must pass Django's
    CSRF check (`_csrf_failure`); GET goes straight to the view."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            refused = _unreadable(request) or _csrf_failure(request)
            if refused:
                return refused
        return view(request, *args, **kwargs)

    return wrapped


def _target(request: HttpRequest) -> BlogPage | None:
    content_type = request.POST.get("content_type", "")
    object_pk = request.POST.get("object_pk", "")
    if (
        content_type != "blog.blogpage"
        or not (object_pk.isascii() and object_pk.isdigit())
        or len(object_pk) > 9
    ):
        return None
    return visible_posts().filter(pk=int(object_pk)).first()


def _form_page(request: HttpRequest, page: BlogPage, form: CommentForm, status: int) -> HttpResponse:
    """The form again, with its errors and everything typed (a fresh timestamp and hash)."""
    context = {"page": page, "form": form, "fresh": CommentForm(page, initial=form.typed())}
    return render(request, "comments/form_page.html", context | {"parent": form.parent}, status=status)


def _message(request: HttpRequest, title: str, message: str, status: int = 200, **context) -> HttpResponse:
    return render(
        request, "comments/message.html", {"title": title, "message": message, **context}, status=status
    )


def _expired_link(request: HttpRequest) -> HttpResponse:
    return _message(request, _("Link expired"), _("This link is not valid or has expired."), 400)


def _link_action(request: HttpRequest, title: str, message: str, button: str) -> HttpResponse:
    """What an emailed link opens: a button that does it (GET never acts, so a mail scanner that
    follows links changes nothing)."""
    return render(
        request, "comments/token_action.html", {"title": title, "message": message, "button": button}
    )


@csrf_exempt
@require_POST
@never_cache
@readable_post
def post_comment(request: HttpRequest) -> HttpResponse:
    page = _target(request)
    if page is None:
        return _message(
            request,
            _("Comment not sent"),
            _("This comment was not sent from a post that takes comments."),
            400,
        )
    discussion = Discussion.for_request(request)
    is_open = discussion.is_open(page)
    form = CommentForm(page, data=request.POST, is_open=is_open)
    if not is_open and request.POST.get("question"):
        form.is_valid()  # the question box's own error says why: comments are closed
        return _form_page(request, page, form, 403)
    if not is_open:
        return _message(
            request,
            _("Comments are closed"),
            _("Comments are closed on this post. Your text is below, so you can keep it."),
            403,
            page=page,
            typed=request.POST.get("comment", ""),
        )
    if not form.is_valid():
        return _form_page(request, page, form, 400)
    comment = form.get_comment_object(site_id=settings.SITE_ID)
    if comment.pk is None:  # not a duplicate of one already stored
        staff = creation.is_staff(request.user)
        phi = None if staff else warning_for(comment.comment)
        if phi is not None and not form.cleaned_data["post_anyway"]:
            # Nothing is stored: the writer sees what matched and chooses (comments/warning.py).
            context = {"page": page, "form": form, "fresh": CommentForm(page, initial=form.typed())}
            context |= {"parent": form.parent, "warning": phi, "message": WARNING}
            return render(request, "comments/phi_warning.html", context)
        proven = rules.has_email_proof(request, comment.user_email)
        wait = 0  # staff replying in a busy thread are never held back
        if not staff:
            wait = ratelimit.retry_after(
                reader=reader_key(request), email=comment.user_email, email_proven=proven
            )
        if wait:  # too fast: a 429 that keeps everything typed and says when to send again
            context = {"page": page, "form": form, "fresh": CommentForm(page, initial=form.typed())}
            context |= {
                "parent": form.parent,
                "wait_seconds": wait,
                "wait_minutes": -(-wait // 60) if wait >= 60 else 0,
            }
            response = render(request, "comments/rate_limited.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if request.user.is_authenticated:
            comment.user_name = (
                comment.user_name or request.user.get_full_name() or request.user.get_username()
            )
        comment.ip_address = client_ip(request)
        entry = creation.judge(
            comment,
            page=page,
            discussion=discussion,
            user=request.user,
            reader=reader_key(request),
            email_proven=proven,
            wants_notices=form.cleaned_data.get("notices", False),
            warned=phi is not None,
            question=form.cleaned_data["question"],
        )
        comment = creation.add_comment(entry, notify=True)
        author = True
    else:
        author = _resent_by_its_writer(request, comment)
    # "a": whoever opens the link wrote the comment, and is given proof of its email once it shows.
    token = tokens.sign("posted", {"c": comment.pk, "a": int(author)})
    return HttpResponseRedirect(reverse("comments:posted", args=[token]))


def _resent_by_its_writer(request: HttpRequest, comment: Comment) -> bool:
    """Whether a duplicate of a stored comment is its writer sending it again (a double click, a
    reload): the same reader, minutes later. Anyone else who types an exact copy of a published
    comment (its name, email and text are on the page, the email aside) must not be handed the
    writer's "posted" link, which would give them proof of the writer's email."""
    recent = timezone.now() - comment.submit_date < RESENT_WITHIN
    return recent and reader_key_for(comment.ip_address) == reader_key(request)


def _shown_at(request: HttpRequest, comment: Comment, order: str = "") -> str | None:
    """Where this reader sees `comment`: its post's page of comments (in `order`) that shows it,
    at its anchor; None when they cannot see it (held or removed, under a hidden comment, or on a
    post they may not read)."""
    page = comment.content_object
    if not isinstance(page, BlogPage) or not page.live or not page.url:
        return None
    if not all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        return None
    number = page_of(comment, order)  # None when the discussion does not show it (comments.visibility)
    if number is None:
        return None
    query = [f"order={order}"] if order else []
    query += [f"page={number}"] if number > 1 else []
    return f"{page.url}{'?' + '&'.join(query) if query else ''}#c{comment.pk}"


@require_GET
@never_cache
def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """/comments/<pk>/: a comment's lasting address. Redirects to the page of its post's comments
    that shows it (which changes as threads come and go), in the order `?order=` asks for; 404
    when this reader cannot see it."""
    comment = Comment.objects.filter(pk=pk).first()
    location = _shown_at(request, comment, order_of(request)) if comment is not None else None
    if location is None:
        raise Http404("No such comment")
    return HttpResponseRedirect(location)


@require_GET
@never_cache
def posted(request: HttpRequest, token: str) -> HttpResponse:
    """What happened to the reader's comment. The signed token keeps held text private to them.

    Once the comment is approved, whoever holds this link wrote it: their browser gets proof of
    owning its email (rules.remember_email), so their next comment is not held as a first one.
    """
    try:
        payload = tokens.read("posted", token)
        pk = int(payload["c"])
    except (tokens.BadToken, KeyError, TypeError, ValueError) as error:
        raise Http404("No such comment") from error
    comment = get_object_or_404(Comment.objects.select_related("moderation"), pk=pk)
    page = comment.content_object
    location = _shown_at(request, comment)
    if location is not None:
        response = HttpResponseRedirect(location)
        if payload.get("a") == 1:  # only the comment's writer (post_comment): never a copier
            rules.remember_email(request, response, comment.user_email)
        return response
    return render(
        request,
        "comments/posted.html",
        {"comment": comment, "html": stored_html(comment), "page": page},
    )


@require_GET
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Reply without JavaScript: the parent quoted above a form that posts reply_to."""
    parent = visible_comment_or_404(pk)
    page = parent.content_object
    discussion = Discussion.for_request(request)
    context = {"page": page, "parent": parent, "parent_html": stored_html(parent)}
    if not discussion.is_open(page):
        context["closed"] = True
    elif parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
        context["too_deep"] = True
    else:
        context["fresh"] = CommentForm(page, initial={"reply_to": parent.pk})
    return render(request, "comments/reply.html", context)


def _report_page(request: HttpRequest, comment: Comment, status: int = 200, **context) -> HttpResponse:
    context = {
        "comment": comment,
        "page": comment.content_object,
        "token": tokens.report_token(comment.pk, reader_key(request)),
        **context,
    }
    return render(request, "comments/report.html", context, status=status)


@require_GET
@never_cache
def report_token_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The report token for the inline Report button (comments.js), which has no page to read it
    from. Same-origin only: another site's script cannot read this answer."""
    comment = visible_comment_or_404(pk)
    return JsonResponse({"token": tokens.report_token(comment.pk, reader_key(request))})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
@readable_post
def report(request: HttpRequest, pk: int) -> HttpResponse:
    comment = visible_comment_or_404(pk)
    if request.method == "GET":
        return _report_page(request, comment)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    token = request.POST.get("token", "")
    if sent_from_another_site(request) or not tokens.is_report_token(token, comment.pk, reader_key(request)):
        # A bare POST, one from another site, or a token for another comment or reader: the
        # reader gets the report page again, with a fresh token, and decides themselves.
        message = _(
            "This report was not sent from this site's report page. Send it again below if you meant it."
        )
        if wants_json:
            return JsonResponse({"error": message}, status=400)
        return _report_page(request, comment, status=400, refused=message)
    discussion = Discussion.for_request(request)
    moderation.report(
        creation.ensure_moderation(comment),
        reader_key(request),
        discussion.reports_to_requeue,
        ip_address=client_ip(request),
    )
    message = _("Thank you. A moderator will read this comment again.")
    if wants_json:
        return JsonResponse({"message": message})
    return _message(request, _("Comment reported"), message, page=comment.content_object)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm an address for reply notifications: the link shows a button, the button confirms
    (a mail scanner that follows links does not subscribe anyone)."""
    try:
        email = str(tokens.read("confirm", token)["e"])
    except (tokens.BadToken, KeyError):
        return _expired_link(request)
    if not Comment.objects.by_email(email).exists():
        # The commenter was erased (or every comment deleted) since the link was sent: storing the
        # address again would undo the erasure.
        return _expired_link(request)
    if request.method == "POST":
        Subscriber.confirm(email)
        response = _message(request, _("Address confirmed"), _("We will email you when someone replies."))
        rules.remember_email(request, response, email)  # this browser has proved it owns the address
        return response
    return _link_action(
        request,
        _("Confirm your address"),
        _("Email me at this address when someone replies to my comments."),
        _("Confirm"),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click (RFC 8058: mail clients POST here) stops emails about one conversation."""
    try:
        payload = tokens.read("unsubscribe", token)
        email, thread = str(payload["e"]), int(payload["t"])
    except (tokens.BadToken, KeyError, TypeError, ValueError):
        return _expired_link(request)
    if request.method == "POST":
        Comment.objects.filter(thread_id=thread, user_email__iexact=email).update(followup=False)
        return _message(request, _("Unsubscribed"), _("You will get no more emails about this conversation."))
    return _link_action(
        request,
        _("Stop emails about this conversation"),
        _("You will no longer be told about replies in this conversation."),
        _("Unsubscribe"),
    )
