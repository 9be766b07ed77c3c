"""The reader's side: subscribe, confirm, preferences, unsubscribe (RFC 8058 one-click).

The subscribe form is on cached pages, so it carries no CSRF token: like the comment form, an
anonymous POST is exempt from Django's check (an authenticated one is checked:
comments.views.readable_post), carries a signed timestamp and a honeypot, and is refused when the
browser says another site's page sent it (core.http.sent_from_another_site). Its answer is the same
for a new address, a pending one and one already subscribed, so nobody learns who reads the blog.

Every emailed link opens a page with a button; only the button's POST acts (hospital mail gateways
open links to scan them). The one-click unsubscribe POST needs no page at all.
"""

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from comments.views import readable_post
from core.http import reader_key, sent_from_another_site
from core.ratelimit import limits_from, wait_for_all

from . import notices, tasks, tokens
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber, SubscribeRequest

__all__ = ["confirm", "notices_off", "preferences", "subscribe", "unsubscribe"]


def _page(request: HttpRequest, title: str, message: str, status: int = 200, **context) -> HttpResponse:
    context = {"title": title, "message": message, **context}
    return render(request, "subscriptions/message.html", context, status=status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return _page(request, _("Link not valid"), _("This link is not valid or has expired."), 400)


def _action(request: HttpRequest, title: str, message: str, button: str) -> HttpResponse:
    return render(
        request, "subscriptions/action.html", {"title": title, "message": message, "button": button}
    )


def _form_page(request: HttpRequest, form: SubscribeForm, status: int, **context) -> HttpResponse:
    fresh = SubscribeForm(initial={"email": form.data.get("email", ""), "name": form.data.get("name", "")})
    context = {"form": form, "fresh": fresh, **context}
    return render(request, "subscriptions/subscribe.html", context, status=status)


def _wait(request: HttpRequest, email: str) -> int:
    keys = [
        SubscribeRequest.objects.filter(reader=reader_key(request)),
        SubscribeRequest.objects.filter(address=tokens.address_digest(email)),
    ]
    limits = limits_from(getattr(settings, "SUBSCRIBE_RATE_LIMITS", ()))
    return wait_for_all(keys, limits, timezone.now(), "created_at")


def _subscribe(email: str, name: str) -> None:
    """Store the request; send a confirmation link at most once a day, and never to an address
    already subscribed (which hears nothing: the page says the same)."""
    subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"name": name})
    if subscriber.status == Subscriber.Status.CONFIRMED or not subscriber.may_send_confirmation():
        return
    if subscriber.status != Subscriber.Status.PENDING:  # unsubscribed or suspended: ask again
        subscriber.status = Subscriber.Status.PENDING
    subscriber.name = name or subscriber.name
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save(update_fields=["status", "name", "confirmation_sent_at"])
    transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscriber.pk), robust=True)


@csrf_exempt
@require_POST
@never_cache
@readable_post
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(data=request.POST)
    if sent_from_another_site(request):
        refused = _("This form was not sent from this site. Send it again below if you meant it.")
        return _form_page(request, SubscribeForm(), 400, refused=refused)
    if not form.is_valid():
        return _form_page(request, form, 400)
    email = form.cleaned_data["email"]
    wait = _wait(request, email)
    if wait:
        response = _form_page(request, form, 429, wait_minutes=-(-wait // 60))
        response["Retry-After"] = str(wait)
        return response
    with transaction.atomic():
        SubscribeRequest.objects.create(reader=reader_key(request), address=tokens.address_digest(email))
        _subscribe(email, form.cleaned_data["name"])
    return _page(
        request,
        _("Check your email"),
        _(
            "If this address is not subscribed yet, we have sent it a link. Open it and press "
            "Confirm: nothing else is sent until then."
        ),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = tokens.read("confirm", token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        if subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED):
            return _bad_link(request)  # unsubscribed since: a new subscription asks again
        subscriber.confirm()
        return _page(request, _("Subscribed"), _("You will get new posts by email."))
    return _action(
        request,
        _("Confirm your subscription"),
        _("Email me new posts from Rounds at this address."),
        _("Confirm"),
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = tokens.read("preferences", token)
    except tokens.BadLink:
        return _bad_link(request)
    form = PreferencesForm(
        data=request.POST if request.method == "POST" else None, initial={"frequency": subscriber.frequency}
    )
    context = {
        "form": form,
        "subscriber": subscriber,
        "unsubscribe_token": tokens.sign("unsubscribe", subscriber),
    }
    if request.method == "POST":
        if sent_from_another_site(request):
            return render(request, "subscriptions/preferences.html", context, status=400)
        if not form.is_valid():
            return render(request, "subscriptions/preferences.html", context, status=400)
        Subscriber.objects.filter(pk=subscriber.pk).update(frequency=form.cleaned_data["frequency"])
        return _page(request, _("Preferences saved"), _("Your choice is saved."))
    return render(request, "subscriptions/preferences.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` here, with no page; a GET
    (a reader's click, or a scanner's) only shows the button."""
    try:
        subscriber = tokens.read("unsubscribe", token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        subscriber.unsubscribe()
        return _page(request, _("Unsubscribed"), _("You will get no more posts by email."))
    return _action(request, _("Unsubscribe"), _("Stop emailing me new posts from Rounds."), _("Unsubscribe"))


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def notices_off(request: HttpRequest, token: str) -> HttpResponse:
    """The notices' one-click unsubscribe (the same shape as `unsubscribe`)."""
    try:
        email = tokens.notices_email(token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method == "POST":
        notices.turn_off(email)
        return _page(request, _("Unsubscribed"), _("You will get no more emails about your comments."))
    return _action(
        request,
        _("Stop emails about your comments"),
        _("Stop telling me when my comments are published, highlighted or answered."),
        _("Unsubscribe"),
    )
