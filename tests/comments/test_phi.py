"""Private health information: the PHI rule holds what HIPAA's Safe Harbor list names and lets
ordinary writing through; held text never leaves the admin (no email, no log line); the staff
reply screen warns never to confirm that someone is a patient."""

import logging

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from comments import moderation, notify, tasks
from comments.models import Comment, Discussion, Status
from comments.rules import find_phi
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

URL = "/comments/post/"

HOLDS = {
    # The issue's own example.
    "phone and record number": "call 555-0134 about my MRN 00482913",
    "phone with area code": "My daughter's cell is (617) 555-0134 if the nurse needs her.",
    "phone with country code": "Reach me on +1 617 555 0134 after six.",
    "fax": "Please fax the forms to 617.555.0199.",
    "email": "Write to me at pat.smith@example.org about my bill.",
    "date of birth numeric": "I was born 03/14/1962 and still waited three hours.",
    "date written out": "My surgery on March 3, 2024 was cancelled twice.",
    "day month year": "They discharged him on 14 March 2024 without his medication list.",
    "iso date": "The appointment on 2024-03-14 never appeared in the portal.",
    "dob cue": "My DOB is in your system, just look me up.",
    "ssn": "They asked for my SSN 123-45-6789 at the front desk.",
    "ssn cue": "Why does the kiosk want my social security number?",
    "mrn cue": "My medical record number is on the wristband.",
    "long number": "Ticket 00482913 is still open.",
    "account number": "My account number is 4481-2290, please fix the bill.",
    "account hash": "Billing says account #88213 is overdue.",
    "beneficiary": "My Medicare beneficiary identifier was printed on the letter.",
    "medicare number": "The Medicare number 1EG4-TE5-MK73 is on the envelope.",
    "member id": "My member ID is on the back of the card, W123-4567.",
    "insurance id": "Use my insurance ID XKZ448120 when you call.",
    "room number": "My mother is in room 412 and nobody answers the call bell.",
    "room number cue": "Room number 5B has had a broken blind for weeks.",
    "bed": "Bed 12 on the night shift waited an hour for pain relief.",
    "ip address": "The portal blocked my IP 192.168.1.20 again.",
    "url with an identifier": "My results are at https://portal.example-hospital.org/patient?id=448120",
    "street address": "I live at 42 Elm Street and the ambulance went to the wrong house.",
    "patient id": "Patient ID 7781 was on the bracelet.",
    "chart number": "Chart number 55 was mixed up with mine.",
}

LETS_THROUGH = {
    # The issue's own example.
    "year and percentage": "in 2006 we cut waits by 30%",
    "counts and years": "We saw 1,200 patients in 2023, up from 950 in 2019.",
    "year range": "From 2019-2023 the wait fell every year.",
    "minutes": "Waits fell from 45 to 20 minutes after the change.",
    "emergency number": "If it is an emergency, call 911, not this blog.",
    "month and year": "Our clinic opened in March 2019 and it shows.",
    "time of day": "The 3 pm appointment slot is always double-booked.",
    "round the clock": "A 24/7 nurse line would help more than a new lobby.",
    "big money": "A $1,500,000 budget for signs seems a lot.",
    "percent decimal": "HbA1c targets of 6.5% are what my clinic aims for.",
    "covid": "COVID-19 changed how we visit relatives.",
    "room figure of speech": "There is plenty of room for improvement in the waiting room.",
    "public link": "The CDC explains it well: https://www.cdc.gov/flu/about/index.html",
    "acronyms": "The EHR and the PHR are different things; HIPAA covers one of them.",
    "version": "Version 2.0 of the app finally lets me reschedule.",
    "score": "I gave the survey a 9 out of 10.",
    "short numbers": "Three reminders and 2 calls, but no way to reschedule.",
    "count and year": "The clinic saw 1,200 patients in 2024.",
    "thanks": "Thank you for writing about the waiting room.",
    "a short wait": "A 15 minute wait is fine by me.",
}
# What the moderator is told was found (Moderation.reasons names the kind).
KINDS = [
    ("call 555-0134 about my MRN 00482913", "phone number"),
    ("my number is (617) 555-0134", "phone number"),
    ("write to jane.doe@example.org", "email address"),
    ("I was born 03/14/1961", "date"),
    ("seen on March 4, 2025 in the clinic", "date"),
    ("my MRN is 00482913", "record or account number"),
    ("DOB 1961", "record or account number"),
    ("I live at 42 Elm Street", "street address"),
    ("SSN 123-45-6789", "social security number"),
]


@pytest.mark.parametrize("text", HOLDS.values(), ids=HOLDS.keys())
def test_private_health_information_is_found(text):
    assert find_phi(text)


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_private_health_information_is_named_by_its_kind(text, kind):
    assert kind in find_phi(text)


@pytest.mark.parametrize("text", LETS_THROUGH.values(), ids=LETS_THROUGH.keys())
def test_ordinary_writing_is_not_taken_for_private_health_information(text):
    assert find_phi(text) == []


@pytest.mark.django_db
def test_a_comment_with_phi_is_held_with_the_reason_even_when_rules_would_publish(client, post, discussion):
    discussion.mode = Discussion.Mode.RULES
    discussion.save()
    client.post(URL, form_data(post, post_anyway="1", comment=HOLDS["phone and record number"]))
    moderation = Comment.objects.get().moderation
    assert moderation.status == Status.WAITING
    assert "phi" in [reason["code"] for reason in moderation.reasons]


SECRET = "call 555-0134 about my MRN 00482913, I am in room 412"


@pytest.mark.django_db
def test_held_text_never_goes_into_the_moderators_email(
    client, post, discussion, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL, form_data(post, post_anyway="1", comment=SECRET, email="pat@example.org", followup="on")
        )
    assert mail.outbox, "the moderators (and the commenter's confirmation) were emailed"
    for message in mail.outbox:
        assert "00482913" not in message.body and "00482913" not in message.subject
        assert "555-0134" not in message.body


@pytest.mark.django_db
def test_held_text_never_goes_into_the_digest(post, discussion):
    discussion.notify = Discussion.Notify.HOURLY
    discussion.save()
    make_comment(post, status=Status.WAITING, comment=SECRET)
    assert notify.send_digest() == 1
    assert "00482913" not in mail.outbox[0].body


@pytest.mark.django_db
def test_held_text_never_goes_into_patient_relations_email(post, discussion, admin_user):
    comment = make_comment(post, status=Status.WAITING, comment=SECRET)
    tasks.comment_routed.enqueue(comment.pk)
    assert mail.outbox[0].to == [discussion.patient_relations_email]
    assert "00482913" not in mail.outbox[0].body


@pytest.mark.django_db
def test_held_text_never_goes_into_the_logs(
    client, post, discussion, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"  # failures are logged
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(post, post_anyway="1", comment=SECRET, name="Pat"))
    assert response.status_code == 302
    assert any(record.levelno >= logging.ERROR for record in caplog.records), "the mail failure was logged"
    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.args!r}" for record in caplog.records
    )
    assert "00482913" not in logged and "555-0134" not in logged


@pytest.mark.django_db
def test_moderation_decisions_log_no_text(post, discussion, admin_user):
    comment = make_comment(post, status=Status.WAITING, comment=SECRET)
    moderation.reject(comment.moderation, admin_user, "phi")
    moderation.edit(comment.moderation, admin_user, "call [redacted]", redacted=True)
    entries = list(ModelLogEntry.objects.filter(action__in=["comments.reject", "comments.redact"]))
    assert len(entries) == 2, "both decisions are in the audit log"
    for entry in entries:
        assert "00482913" not in f"{entry.label} {entry.data}"


@pytest.mark.django_db
def test_the_staff_reply_screen_warns_never_to_confirm_someone_is_a_patient(client, post, admin_user):
    comment = make_comment(post, comment="Was my father treated there last week?")
    client.force_login(admin_user)
    response = client.get(f"/admin/comments/{comment.pk}/reply/")
    assert response.status_code == 200
    assert "Never confirm that someone is a patient" in response.content.decode()
