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
from .smtp import Envelope

__all__ = ["PostContent", "PostMail", "confirmation", "digest", "domain", "new_post", "notice"]

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


def _post_message(
    post: PostContent, to: str, headers: dict[str, str], links: dict[str, str]
) -> EmailMultiAlternatives:
    text, html = _post_bodies(post, get_language() or "en")
    for name, stand_in in _OWN_LINKS.items():
        text, html = text.replace(stand_in, links[name]), html.replace(stand_in, links[name])
    message = EmailMultiAlternatives(subject=post.title, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def _message_id(post: PostContent, subscriber: Subscriber, delivery_id: int) -> str:
    return f"<rounds.post{post.pk}.s{subscriber.pk}.d{delivery_id}@{domain()}>"


def new_post(post: PostContent, subscriber: Subscriber, delivery_id: int) -> EmailMultiAlternatives:
    links = _links(subscriber)
    headers = _list_headers(links["unsubscribe_url"], f"s{subscriber.pk}", "Rounds posts")
    headers["Message-ID"] = _message_id(post, subscriber, delivery_id)
    return _post_message(post, subscriber.email, headers, links)


# What differs from one subscriber's copy of a post's email to the next, as stand-ins in a
# batch's one rendered message (ASCII, and nothing the email package would fold or encode).
_WIRE_TO = "stand-in-to@stand-in.invalid"
_WIRE_ID = "<stand-in-message-id@stand-in.invalid>"
_WIRE_UNSUBSCRIBE = "<stand-in-list-unsubscribe>"
# Addresses the form accepts are plain ASCII addr-specs: nothing to quote or encode in a header.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~@-]+\Z")
# Substituted links make lines longer: the template's must leave room under RFC 5322's 998.
_ROOMY_LINE = 600


class PostMail:
    """A post's email for a batch: rendered and flattened to bytes once, then made each
    subscriber's by replacing the stand-ins (their address, Message-ID and own links), which is
    most of the cost of a message saved. When the flattened message is not safe to edit (a body
    the email package encoded, very long lines), every copy is built the slow way."""

    def __init__(self, post: PostContent) -> None:
        self.post = post
        headers = {"List-Unsubscribe": _WIRE_UNSUBSCRIBE, "Message-ID": _WIRE_ID}
        headers.update(
            {k: v for k, v in _list_headers("", "", "Rounds posts").items() if k != "List-Unsubscribe"}
        )
        template = _post_message(post, _WIRE_TO, headers, _OWN_LINKS)
        # Flattened and dot-stuffed once: no value put in below holds a line break.
        flat = Envelope.of(template)
        self.sender = flat.sender
        self.raw = flat.data if self._editable(flat.data) else None

    @staticmethod
    def _editable(raw: bytes) -> bool:
        if b"quoted-printable" in raw.lower() or b"base64" in raw.lower():
            return False
        if max(len(line) for line in raw.split(b"\r\n")) > _ROOMY_LINE:
            return False
        singles = (_WIRE_TO, _WIRE_ID, _WIRE_UNSUBSCRIBE)
        # Once each in the headers (To, Message-ID, List-Unsubscribe); the links once per part.
        return all(raw.count(s.encode()) == 1 for s in singles) and all(
            raw.count(s.encode()) >= 2 for s in _OWN_LINKS.values()
        )

    def message(self, subscriber: Subscriber, delivery_id: int) -> EmailMultiAlternatives:
        return new_post(self.post, subscriber, delivery_id)

    def envelope(self, subscriber: Subscriber, delivery_id: int) -> Envelope:
        """This subscriber's copy as the mail server gets it."""
        if self.raw is None or not _PLAIN_ADDRESS.match(subscriber.email):
            return Envelope.of(self.message(subscriber, delivery_id))
        links = _links(subscriber)
        unsubscribe = _list_headers(links["unsubscribe_url"], f"s{subscriber.pk}", "")["List-Unsubscribe"]
        raw = self.raw.replace(_WIRE_TO.encode(), subscriber.email.encode(), 1)
        raw = raw.replace(_WIRE_ID.encode(), _message_id(self.post, subscriber, delivery_id).encode(), 1)
        # Folded at the comma, as the email package would fold a long header.
        raw = raw.replace(_WIRE_UNSUBSCRIBE.encode(), unsubscribe.replace(", ", ",\r\n ").encode(), 1)
        for name, stand_in in _OWN_LINKS.items():
            raw = raw.replace(stand_in.encode(), links[name].encode())
        return Envelope(self.sender, [subscriber.email], raw)


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
