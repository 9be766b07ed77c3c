"""The XSS corpus through the real comment form, checked in the server's HTML.

Each payload is posted the way a reader would (text and name in one comment, so one post page
carries both), approved by a moderator, and the post page parsed. The pages that echo a reader's
own text (the form-error page, the "waiting" page) and the moderation queue and feeds get the same
corpus. The glossary's terms get it in tests/glossary/test_xss.py.
"""

from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from comments import moderation
from comments.models import Comment, Status
from glossary import registry
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment
from tests.xss_checks import assert_html_safe
from tests.xss_payloads import HOSTILE_URLS, PAYLOADS, readable

pytestmark = pytest.mark.django_db
URL = "/comments/post/"
NAME_MAX = 50


def post_payload(client, post, text: str, **fields):
    return client.post(URL, form_data(post, comment=readable(text), name=readable(text)[:NAME_MAX], **fields))


@pytest.fixture(autouse=True)
def _fresh_glossary():
    registry.forget()
    yield
    registry.forget()


@pytest.fixture
def moderator(admin_user):
    return admin_user


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_payload_as_comment_text_and_name_is_inert_on_the_post(client, post, discussion, moderator, payload):
    response = post_payload(client, post, payload.text)
    assert response.status_code == 302
    comment = Comment.objects.get()
    moderation.approve(comment.moderation, moderator)
    html = client.get(post.url).content.decode()
    assert f'id="c{comment.pk}"' in html  # it is shown, so the check looked at it
    assert_html_safe(html)


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_payload_echoed_on_the_form_error_page_is_inert(client, post, discussion, payload):
    """A form error re-renders what was typed into the textarea and inputs: no breakout."""
    response = post_payload(client, post, payload.text, email="not-an-email")
    assert response.status_code == 400
    assert_html_safe(response.content.decode())


@pytest.mark.no_rate_limits  # posts the whole corpus from one address
def test_every_payload_on_the_waiting_page_is_inert(client, post, discussion):
    for payload in PAYLOADS:
        response = post_payload(client, post, payload.text)
        assert response.status_code == 302
        assert_html_safe(client.get(response["Location"]).content.decode())


def test_every_payload_in_the_moderation_queue_is_inert(client, post, discussion, moderator):
    for payload in PAYLOADS:
        make_comment(
            post,
            status=Status.WAITING,
            comment=readable(payload.text),
            user_name=readable(payload.text)[:NAME_MAX],
        )
    client.force_login(moderator)
    rows = 0
    for page in (1, 2):  # 50 rows a page
        response = client.get("/admin/comments/", {"status": "waiting", "p": page})
        assert response.status_code == 200
        html = response.content.decode()
        rows += html.count("data-queue-row=")  # one per row (the queue's keyboard target)
        assert_html_safe(_without_admin_scripts(html))
    assert rows == len(PAYLOADS)  # every row was on a page the check read


def _without_admin_scripts(html: str) -> str:
    """Wagtail's admin ships its own inline scripts (JSON config, the sprite loader): drop the
    script elements that carry no payload text so the check judges the comment rows only."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if "alert(1)" not in script.decode() and "xss7q" not in script.decode():
            script.decompose()
    return str(soup)


def test_every_payload_in_the_comment_feeds_is_inert(client, post, discussion):
    printable = [p for p in PAYLOADS if not any(ord(c) < 32 and c not in "\t\n\r" for c in p.text)]
    for payload in printable:
        make_comment(post, comment=payload.text, user_name=payload.text[:NAME_MAX])
    for url in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
        items = list(feed.iter("item"))
        assert items, url
        for item in items:  # feed readers render descriptions as HTML; titles are plain text
            assert_html_safe(item.findtext("description") or "")


def test_the_comment_feed_survives_control_characters_in_a_name_and_text(client, post, discussion):
    make_comment(post, comment="Waiting \x1b[31m in red \x0b", user_name="Pat \x1b[31m\x08")
    for url in ("/comments/feed/", f"/comments/feed/{post.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)  # noqa: S314 (our own feed): well-formed XML


def test_commenter_urls_are_refused_or_never_linked(client, post, discussion, moderator):
    """The form has no visible URL field; a crafted post may send one, and it never becomes a link."""
    for number, url in enumerate(HOSTILE_URLS):
        client.post(URL, form_data(post, comment=f"Comment with a url {number}", url=url))
    for comment in Comment.objects.all():
        moderation.approve(comment.moderation, moderator)
    html = client.get(post.url).content.decode()
    assert_html_safe(html)
    for comment in Comment.objects.exclude(user_url=""):
        assert comment.user_url not in html
