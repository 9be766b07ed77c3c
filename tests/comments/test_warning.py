"""The warning before posting health details: the form comes back (no script needed), the passages
the PHI rules matched are marked, nothing is lost, and "post it anyway" holds the comment with the
queue told the writer was warned."""

import pytest
from bs4 import BeautifulSoup

from comments import rules
from comments.models import Comment, Discussion, Reason, Status
from comments.warning import marked, warning_for
from tests.comments.conftest import form_data

pytestmark = pytest.mark.django_db
URL = "/comments/post/"
WARNING = "This looks like it could identify you or someone else."

# One example per PHI rule (rules.PHI_PATTERNS), with the passage the warning must mark.
EXAMPLES = {
    "social security number": ("My SSN is 123-45-6789 if you need it.", "123-45-6789"),
    "phone number": ("Call my daughter on 617-555-0134 please.", "617-555-0134"),
    "email address": ("Write to pat.lee@example.org about it.", "pat.lee@example.org"),
    "date": ("I was seen on 03/14/2024 in the clinic.", "03/14/2024"),
    "record or account number": ("Look me up, my chart number is in the system.", "chart number"),
    "street address": ("We live at 42 Maple Street near the clinic.", "42 Maple Street"),
    "IP address": ("The portal logged me from 192.168.10.24 again.", "192.168.10.24"),
    "diagnosis": ("Last spring I was diagnosed with a heart condition.", "diagnosed with"),
}


def test_every_phi_rule_has_an_example_here():
    assert set(EXAMPLES) == {kind for kind, _pattern in rules.PHI_PATTERNS}


@pytest.mark.parametrize("kind", list(EXAMPLES))
def test_each_phi_rule_warns_and_marks_what_it_matched(client, post, discussion, kind):
    text, passage = EXAMPLES[kind]
    response = client.post(URL, form_data(post, comment=text))
    assert response.status_code == 200
    html = response.content.decode()
    assert WARNING in html
    marks = [mark.get_text() for mark in BeautifulSoup(html, "html.parser").select("mark.phi-warning__mark")]
    assert passage in " ".join(marks)
    assert kind in html
    assert not Comment.objects.exists()  # nothing stored before the writer chooses


def test_the_warning_keeps_everything_typed(client, post, discussion):
    data = form_data(post, comment="Call 617-555-0134", name="Pat", email="pat@example.org", question="on")
    soup = BeautifulSoup(client.post(URL, data).content, "html.parser")
    form = soup.find("form", action=URL)
    assert form.find("textarea", attrs={"name": "comment"}).get_text().strip() == "Call 617-555-0134"
    assert form.find("input", attrs={"name": "name"})["value"] == "Pat"
    assert form.find("input", attrs={"name": "email"})["value"] == "pat@example.org"
    assert form.find("input", attrs={"name": "question"}).has_attr("checked")
    assert form.find("button", attrs={"name": "post_anyway"}) is not None


def test_posted_anyway_it_is_held_and_the_queue_says_the_writer_was_warned(client, post, discussion):
    discussion.mode = Discussion.Mode.RULES
    discussion.save()
    response = client.post(URL, form_data(post, comment="Call 617-555-0134", post_anyway="1"))
    assert response.status_code == 302
    comment = Comment.objects.select_related("moderation").get()
    assert comment.moderation.status == Status.WAITING
    codes = [reason["code"] for reason in comment.moderation.reasons]
    assert Reason.PHI in codes and Reason.WARNED in codes
    assert str(Reason.WARNED.label) in comment.moderation.reason_list()


def test_edited_to_remove_the_number_it_posts_without_the_warned_mark(client, post, discussion):
    discussion.mode = Discussion.Mode.RULES
    discussion.save()
    response = client.post(URL, form_data(post, comment="Please call me about the new clinic hours."))
    assert response.status_code == 302
    codes = [reason["code"] for reason in Comment.objects.get().moderation.reasons]
    assert Reason.WARNED not in codes and Reason.PHI not in codes


def test_post_anyway_on_text_without_phi_is_not_marked_warned(client, post, discussion):
    client.post(URL, form_data(post, comment="Thank you for the clear post.", post_anyway="1"))
    codes = [reason["code"] for reason in Comment.objects.get().moderation.reasons]
    assert Reason.WARNED not in codes


def test_the_warning_marks_exactly_the_rules_matches():
    text = "Born 03/14/1961, MRN 00482913 and call 617-555-0134."
    spans = {(m.start, m.end) for m in rules.phi_matches(text)}
    assert {text[start:end] for start, end in spans} >= {"03/14/1961", "617-555-0134", "00482913"}
    assert {m.kind for m in rules.phi_matches(text)} == set(rules.find_phi(text))


def test_marked_text_is_escaped():
    text = '<script>alert(1)</script> call 617-555-0134 "x"'
    html = marked(text, rules.phi_matches(text))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<mark class="phi-warning__mark">617-555-0134</mark>' in html


def test_overlapping_matches_are_one_mark():
    warning = warning_for("my medical record 123456789")
    assert warning is not None
    assert str(warning.html).count("<mark") == 2  # the cue words and the number, apart


def test_staff_are_not_warned(client, post, discussion, moderator):
    client.force_login(moderator)  # admin access: staff, never held, so never warned
    response = client.post(URL, form_data(post, comment="Call 617-555-0134"))
    assert response.status_code == 302
    assert Comment.objects.get().moderation.status == Status.PUBLISHED
