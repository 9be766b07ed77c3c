"""The emails readers get, each multipart (text and HTML), built from the database when sent.

Accessible and private: the HTML has a `lang`, real headings and no images or CSS, so it reads the
same in any client; there is no tracking pixel and every link is the site's own address, never
rewritten. Every list email carries RFC 8058's headers (List-Unsubscribe with an HTTPS link and a
mailto, List-Unsubscribe-Post), List-Id, and a Message-ID made from the delivery, the same however
often it is built, so even a client that somehow saw a message twice files it once.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blog.models import BlogPage

from . import tokens
from .models import Subscriber

__all__ = ["PostContent", "confirmation", "digest", "domain", "new_post", "notice"]

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL | re.IGNORECASE)


def domain() -> str:
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def _absolute(path: str) -> str:
    return settings.BASE_URL + path


@dataclass(frozen=True)
class PostContent:
    """What an email says of a post, read once per batch (the same for every subscriber)."""

    pk: int
    title: str
    summary: str
    first_paragraph: str
    url: str

    @classmethod
    def of(cls, post: BlogPage) -> "PostContent":
        paragraph = ""
        for block in post.body:
            if block.block_type == "paragraph":
                match = FIRST_PARAGRAPH.search(block.value.source)
                paragraph = strip_tags(match.group(1) if match else block.value.source).strip()
                if paragraph:
                    break
        return cls(post.pk, post.title, post.intro, paragraph, _absolute(post.url or "/"))


def _links(subscriber: Subscriber) -> dict[str, str]:
    unsubscribe = _absolute(
        reverse("subscriptions:unsubscribe", args=[tokens.sign("unsubscribe", subscriber)])
    )
    return {
        "unsubscribe_url": unsubscribe,
        "preferences_url": _absolute(
            reverse("subscriptions:preferences", args=[tokens.sign("preferences", subscriber)])
        ),
    }


def _list_headers(unsubscribe_url: str, token_hint: str, list_name: str) -> dict[str, str]:
    mailto = f"mailto:unsubscribe@{domain()}?subject=unsubscribe%20{token_hint}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{list_name} <{list_name.lower().replace(' ', '-')}.{domain()}>",
    }


def _message(
    subject: str, template: str, context: dict, to: str, headers: dict[str, str]
) -> EmailMultiAlternatives:
    context = {"BASE_URL": settings.BASE_URL, "lang": get_language() or "en", **context}
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


# Stand-ins for each subscriber's own links in a post's email, rendered once per batch.
_OWN_LINKS = {"unsubscribe_url": "@@unsubscribe@@", "preferences_url": "@@preferences@@"}


@lru_cache(maxsize=8)
def _post_bodies(post: PostContent, lang: str) -> tuple[str, str]:
    """The text and HTML of a post's email with stand-ins for the links, the same for every
    subscriber: rendered once per batch, not once per message (signed links are URL-safe)."""
    context = {"BASE_URL": settings.BASE_URL, "lang": lang, "post": post, **_OWN_LINKS}
    return (
        render_to_string("subscriptions/email/post.txt", context),
        render_to_string("subscriptions/email/post.html", context),
    )


def new_post(post: PostContent, subscriber: Subscriber, delivery_id: int) -> EmailMultiAlternatives:
    links = _links(subscriber)
    headers = _list_headers(links["unsubscribe_url"], f"s{subscriber.pk}", "Rounds posts")
    headers["Message-ID"] = f"<rounds.post{post.pk}.s{subscriber.pk}.d{delivery_id}@{domain()}>"
    text, html = _post_bodies(post, get_language() or "en")
    for name, stand_in in _OWN_LINKS.items():
        text, html = text.replace(stand_in, links[name]), html.replace(stand_in, links[name])
    message = EmailMultiAlternatives(subject=post.title, body=text, to=[subscriber.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def digest(
    posts: list[PostContent], subscriber: Subscriber, first_delivery_id: int
) -> EmailMultiAlternatives:
    links = _links(subscriber)
    headers = _list_headers(links["unsubscribe_url"], f"s{subscriber.pk}", "Rounds posts")
    headers["Message-ID"] = f"<rounds.digest.s{subscriber.pk}.d{first_delivery_id}@{domain()}>"
    subject = _("This week on Rounds: %(count)s new posts") % {"count": len(posts)}
    return _message(
        subject, "digest", {"posts": posts, "subscriber": subscriber, **links}, subscriber.email, headers
    )


def confirmation(subscriber: Subscriber) -> EmailMultiAlternatives:
    url = _absolute(reverse("subscriptions:confirm", args=[tokens.sign("confirm", subscriber)]))
    return _message(
        _("Confirm your subscription to Rounds"),
        "confirm",
        {"confirm_url": url, "subscriber": subscriber},
        subscriber.email,
        {"Auto-Submitted": "auto-generated"},
    )


NOTICE_SUBJECTS = {
    "published": lambda: _("Your comment is now published"),
    "staff_reply": lambda: _("A member of staff replied to you"),
    "highlighted": lambda: _("Your comment was highlighted"),
}


def notice(event: str, email: str, permalink: str, post_title: str, key: str) -> EmailMultiAlternatives:
    """One of the notices about what a reader wrote (a link to it: its text stays on the site)."""
    token = tokens.sign_notices(email)
    unsubscribe = _absolute(reverse("subscriptions:notices_off", args=[token]))
    headers = _list_headers(unsubscribe, "notices", "Rounds comment notices")
    headers["Message-ID"] = f"<rounds.notice.{key}@{domain()}>"
    return _message(
        NOTICE_SUBJECTS[event](),
        "notice",
        {
            "event": event,
            "permalink": _absolute(permalink),
            "post_title": post_title,
            "unsubscribe_url": unsubscribe,
        },
        email,
        headers,
    )
