"""Malformed comment posts, one case each: the answer is a 4xx or a form error, never a 5xx, and
nothing is stored (except the double post, which stores exactly one row)."""

import time
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from comments.forms import CommentForm
from comments.models import Comment
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db
URL = "/comments/post/"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def nothing_stored():
    yield
    assert not Comment.objects.exists()


def refused(response, *statuses: int) -> None:
    assert response.status_code in (statuses or (400,)), response.status_code


def form_error(response, field: str) -> None:
    assert response.status_code == 400
    assert field in response.context["form"].errors


@pytest.mark.parametrize("missing", ["comment", "content_type", "object_pk", "timestamp", "security_hash"])
def test_a_missing_field_is_refused(client, post, discussion, nothing_stored, missing):
    data = form_data(post)
    del data[missing]
    refused(client.post(URL, data))


def test_an_empty_body_is_refused(client, post, discussion, nothing_stored):
    refused(client.post(URL, b"", content_type=FORM))


def test_a_json_body_is_refused(client, post, discussion, nothing_stored):
    refused(client.post(URL, form_data(post), content_type="application/json"))


def test_a_tampered_security_hash_is_a_form_error(client, post, discussion, nothing_stored):
    data = form_data(post)
    data["security_hash"] = data["security_hash"][::-1]
    form_error(client.post(URL, data), "security_hash")


def test_a_security_hash_of_the_wrong_length_is_a_form_error(client, post, discussion, nothing_stored):
    form_error(client.post(URL, form_data(post, security_hash="abc")), "security_hash")


def test_a_stale_timestamp_with_its_own_valid_hash_is_a_form_error(
    client, post, discussion, settings, nothing_stored
):
    form = CommentForm(post)
    stale = str(int(time.time()) - settings.COMMENTS_TIMEOUT - 60)
    hash_ = form.generate_security_hash(form.data.get("content_type", "blog.blogpage"), str(post.pk), stale)
    data = form_data(post, timestamp=stale, security_hash=hash_)
    form_error(client.post(URL, data), "timestamp")


@pytest.mark.parametrize("timestamp", ["soon", "1e10", "9" * 40, "-1"])
def test_a_non_numeric_or_absurd_timestamp_is_a_form_error(
    client, post, discussion, nothing_stored, timestamp
):
    refused(client.post(URL, form_data(post, timestamp=timestamp)))


def test_a_filled_honeypot_is_a_form_error(client, post, discussion, nothing_stored):
    form_error(client.post(URL, form_data(post, honeypot="http://spam.example/")), "honeypot")


@pytest.mark.parametrize(
    "content_type",
    ["auth.user", "blog.blogindexpage", "nosuch.model", "blog", "blog.blogpage.extra", "x" * 5000],
)
def test_an_unknown_content_type_is_a_400(client, post, discussion, nothing_stored, content_type):
    refused(client.post(URL, form_data(post, content_type=content_type)))


@pytest.mark.parametrize("object_pk", ["", "abc", "1.5", "-1", "²", "1e3", "9" * 40, "0x10", " 1"])
def test_a_missing_or_non_numeric_object_pk_is_a_400(client, post, discussion, nothing_stored, object_pk):
    refused(client.post(URL, form_data(post, object_pk=object_pk)))


def test_an_object_pk_that_is_not_a_post_is_a_400(client, site, post, discussion, nothing_stored):
    refused(client.post(URL, form_data(post, object_pk=str(site["index"].pk))))


def test_an_unpublished_post_is_a_400(client, post, discussion, nothing_stored):
    post.unpublish()
    refused(client.post(URL, form_data(post)))


def test_reply_to_nothing_is_a_form_error(client, post, discussion, nothing_stored):
    form_error(client.post(URL, form_data(post, reply_to="424242")), "reply_to")


def test_reply_to_another_posts_comment_is_a_form_error(client, site, post, discussion):
    other = make_comment(BlogPageFactory(parent=site["index"]))
    form_error(client.post(URL, form_data(post, reply_to=str(other.pk))), "reply_to")
    assert Comment.objects.count() == 1


def test_reply_past_the_maximum_depth_is_a_form_error(client, post, discussion, settings):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 2
    deepest = make_comment(post, parent=make_comment(post, parent=make_comment(post)))
    response = client.post(URL, form_data(post, reply_to=str(deepest.pk)))
    form_error(response, "reply_to")
    assert "nested as deep as it goes" in response.content.decode()
    assert Comment.objects.count() == 3


@pytest.mark.parametrize("reply_to", ["abc", "-1", "1.5", "9" * 30, "²"])
def test_a_non_numeric_or_out_of_range_reply_to_is_a_form_error(
    client, post, discussion, nothing_stored, reply_to
):
    form_error(client.post(URL, form_data(post, reply_to=reply_to)), "reply_to")


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@b", "pat@example.org\nBcc: x@example.org", "@@", "a" * 300]
)
def test_an_invalid_email_is_a_form_error(client, post, discussion, nothing_stored, email):
    form_error(client.post(URL, form_data(post, email=email)), "email")


@pytest.mark.parametrize("field", ["comment", "name", "email", "reply_to", "timestamp", "honeypot"])
def test_a_nul_byte_in_a_form_field_is_a_form_error(client, post, discussion, nothing_stored, field):
    data = form_data(post, email="pat@example.org", name="Pat")
    data[field] = f"{data[field]}\x00x"
    response = client.post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize("field", ["content_type", "object_pk"])
def test_a_nul_byte_in_the_target_is_a_400(client, post, discussion, nothing_stored, field):
    data = form_data(post)
    data[field] = f"{data[field]}\x00"
    refused(client.post(URL, data))


def test_invalid_utf8_in_the_comment_is_stored_with_replacement_characters(client, post, discussion):
    """Browsers never send this, but a reader's words are never lost to a bad byte: the comment is
    kept, with U+FFFD where the bytes could not be read, as valid Unicode."""
    body = urlencode(form_data(post, comment="PLACEHOLDER")).replace("PLACEHOLDER", "bad%FF%FEbytes%C3")
    response = client.post(URL, body, content_type=FORM)
    assert response.status_code == 302
    stored = Comment.objects.get().comment
    assert stored.startswith("bad") and "bytes" in stored and "\ufffd" in stored
    stored.encode("utf-8")


def test_invalid_utf8_in_field_names_and_raw_bytes_is_refused(client, post, discussion, nothing_stored):
    body = urlencode(form_data(post)).encode() + b"&%FF%FE=%FF&\xff\xfe=\xc3"
    mangled = body.replace(b"comment=", b"\xffcomment=")  # the comment field loses its name
    refused(client.post(URL, mangled, content_type=FORM))


def test_an_unknown_charset_is_read_as_utf8_not_a_500(client, post, discussion):
    body = urlencode(form_data(post, comment="Café au lait"))
    # generic(): post() would itself try to encode the body in that charset.
    response = client.generic("POST", URL, body, content_type=f"{FORM}; charset=no-such-charset")
    assert response.status_code == 302
    assert Comment.objects.get().comment == "Café au lait"


def test_a_two_megabyte_body_is_refused_by_size_before_parsing(client, post, discussion, nothing_stored):
    body = urlencode(form_data(post, comment="x" * (2 * 1024 * 1024)))
    refused(client.post(URL, body, content_type=FORM), 400, 413)


def test_a_two_megabyte_multipart_upload_is_refused_by_size(client, post, discussion, nothing_stored):
    data = form_data(post, attachment=SimpleUploadedFile("a.bin", b"\0" * (2 * 1024 * 1024)))
    refused(client.post(URL, data), 400, 413)


def test_too_many_fields_are_refused(client, post, discussion, nothing_stored):
    body = urlencode(form_data(post)) + "".join(f"&f{n}=1" for n in range(20_000))
    refused(client.post(URL, body, content_type=FORM), 400, 413)


def test_the_same_comment_posted_twice_is_one_row(client, post, discussion):
    data = form_data(post, comment="Said once", name="Pat", email="pat@example.org")
    first, second = client.post(URL, data), client.post(URL, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Comment.objects.filter(comment="Said once").count() == 1


def test_a_logged_in_post_without_csrf_is_403_not_500(post, discussion, admin_user, nothing_stored):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    refused(browser.post(URL, form_data(post)), 403)


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_are_405(client, method):
    assert getattr(client, method)(URL).status_code == 405
