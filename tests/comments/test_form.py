"""The comment form as the page renders it: every input from its Django form field, so lengths,
labels and ids are written once (comments/forms.py), and the inline reply form's ids are its own."""

import pytest
from bs4 import BeautifulSoup

from comments.forms import CommentForm
from tests.comments.conftest import form_data

pytestmark = pytest.mark.django_db
URL = "/comments/post/"


def main_form(html: str):
    return BeautifulSoup(html, "html.parser").find("form", attrs={"data-comment-form": True})


def test_the_page_s_form_takes_its_maximum_lengths_from_the_form_fields(client, post, discussion):
    form = main_form(client.get(post.url).text)
    fields = CommentForm(post).fields
    assert form.find("textarea", attrs={"name": "comment"})["maxlength"] == str(fields["comment"].max_length)
    assert form.find("input", attrs={"name": "name"})["maxlength"] == str(fields["name"].max_length)
    assert form.find("input", attrs={"name": "email"})["maxlength"] == str(fields["email"].max_length)


def test_an_email_longer_than_its_column_is_a_form_error(client, post, discussion):
    response = client.post(URL, form_data(post, email="a" * 243 + "@example.org"))  # 255 characters
    assert response.status_code == 400
    assert "email" in response.context["form"].errors


def test_every_visible_input_has_a_label_and_the_hints_a_browser_needs(client, post, discussion):
    form = main_form(client.get(post.url).text)
    for element in form.find_all(["input", "textarea"]):
        if element.get("type") == "hidden":
            continue
        assert form.find("label", attrs={"for": element["id"]}) is not None, element
    assert form.find("textarea", attrs={"name": "comment"}).has_attr("required")
    assert form.find("input", attrs={"name": "name"})["autocomplete"] == "name"
    assert form.find("input", attrs={"name": "email"})["type"] == "email"
    assert form.find("input", attrs={"name": "email"})["autocomplete"] == "email"


def test_the_honeypot_is_hidden_out_of_the_tab_order_and_never_refilled(client, post, discussion):
    response = client.post(URL, form_data(post, honeypot="http://spam.example/", email="bad"))
    honeypot = main_form(response.content.decode()).find("input", attrs={"name": "honeypot"})
    assert honeypot.find_parent("p").has_attr("hidden")
    assert (honeypot["tabindex"], honeypot["autocomplete"]) == ("-1", "off")
    assert not honeypot.get("value")


def test_a_field_error_is_announced_on_its_input(client, post, discussion):
    response = client.post(URL, form_data(post, comment="Kept text", email="not-an-email"))
    form = main_form(response.content.decode())
    email = form.find("input", attrs={"name": "email"})
    assert email["aria-invalid"] == "true"
    error = form.find(id=email["aria-describedby"])
    assert "comment-form__error" in error["class"]
    assert "valid email" in error.get_text()
    assert form.find("textarea", attrs={"name": "comment"}).get_text().strip() == "Kept text"
    assert not form.find("textarea", attrs={"name": "comment"}).has_attr("aria-invalid")


def test_the_inline_reply_form_is_rendered_once_with_placeholder_ids(client, post, discussion):
    soup = BeautifulSoup(client.get(post.url).text, "html.parser")
    template = soup.find("template", attrs={"data-reply-form": True})
    placeholder = template["data-placeholder"]
    reply = template.find("form")
    ids = [element["id"] for element in reply.find_all(id=True)]
    assert ids and all(placeholder in id_ for id_ in ids)
    assert {label["for"] for label in reply.find_all("label")} <= set(ids)
    assert reply.find(attrs={"data-reply-to": True})["name"] == "reply_to"
    assert reply.find("button", attrs={"data-reply-cancel": True}) is not None
    assert not set(ids) & {element["id"] for element in main_form(str(soup)).find_all(id=True)}
