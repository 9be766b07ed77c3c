"""Questions for the hospital and their official answers: the form's box, a moderator's mark, a
staff reply marked as the answer (never a reader's), the badges and the answered list on the post,
the "Unanswered questions" tab, the dashboard, the asker's email, and every path that hides or
erases the answer taking the answered status away everywhere."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from comments import dashboard, moderation, personal_data
from comments.models import Comment, Discussion, Moderation, Role, Subscriber
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db
DECIDE = "/admin/comments/decide/"


@pytest.fixture
def question(post):
    comment = make_comment(post, comment="What do EHR and PHR mean?", user_name="Pat")
    Moderation.objects.filter(pk=comment.pk).update(question=True)
    return comment


@pytest.fixture
def staff_reply(post, question):
    return make_comment(
        post, parent=question, role=Role.STAFF, user_name="Dana Whitfield", comment="The EHR is our record."
    )


def mark_answer(client, moderator, reply, commit):
    client.force_login(moderator)
    with commit():
        response = client.post(DECIDE, {"do": f"answer:{reply.pk}"}, HTTP_ACCEPT="application/json")
    client.logout()
    return response


def test_the_form_s_box_stores_a_question(client, post, discussion):
    client.post("/comments/post/", form_data(post, comment="When do visiting hours change?", question="on"))
    assert Comment.objects.get().moderation.question is True


def test_a_question_box_on_a_closed_discussion_is_a_clear_form_error(client, post, discussion):
    post.comments_enabled = False
    post.save_revision().publish()
    response = client.post("/comments/post/", form_data(post, comment="A question?", question="on"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Comments are closed on this post, so it cannot take a question" in html
    assert "A question?" in html  # the text is kept
    assert not Comment.objects.exists()


def test_a_moderator_can_mark_a_comment_as_a_question(client, moderator, post):
    comment = make_comment(post)
    client.force_login(moderator)
    response = client.post(DECIDE, {"do": f"question:{comment.pk}"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert Moderation.objects.get(pk=comment.pk).question is True


def test_a_staff_reply_marked_as_the_answer_shows_on_the_question_and_in_the_list(
    client, moderator, post, discussion, question, staff_reply, commit
):
    discussion.hospital_name = "Riverside General"
    discussion.save()
    assert mark_answer(client, moderator, staff_reply, commit).status_code == 200
    assert Moderation.objects.get(pk=question.pk).answer_id == staff_reply.pk
    html = client.get(post.url).content.decode()
    assert f'<a class="comment__answered" href="#c{staff_reply.pk}" data-glossary-skip>' in html
    assert "Answered by Dana Whitfield, Staff" in html
    assert "Answer from Riverside General" in html
    top = html[html.index('id="answered-questions"') : html.index(f'id="c{question.pk}"')]
    assert "What do EHR and PHR mean?" in top
    assert f'href="/comments/{staff_reply.pk}/"' in top


def test_a_reader_s_reply_cannot_be_the_answer(client, moderator, post, question):
    reply = make_comment(post, parent=question, comment="EHR means extra hard rules.")
    client.force_login(moderator)
    response = client.post(DECIDE, {"do": f"answer:{reply.pk}"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert Moderation.objects.get(pk=question.pk).answer_id is None


def test_marking_an_answer_by_anyone_but_staff_is_a_403(client, editor, post, staff_reply, question):
    client.force_login(editor)
    assert client.post(DECIDE, {"do": f"answer:{staff_reply.pk}"}).status_code == 403
    client.logout()
    anonymous = client.post(DECIDE, {"do": f"answer:{staff_reply.pk}"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]  # sent to log in
    assert Moderation.objects.get(pk=question.pk).answer_id is None


def test_the_queue_offers_the_answer_button_only_on_a_staff_reply_to_a_question(
    client, moderator, post, question, staff_reply
):
    reader_reply = make_comment(post, parent=question)
    client.force_login(moderator)
    html = client.get("/admin/comments/?status=published").content.decode()
    assert f'value="answer:{staff_reply.pk}"' in html
    assert f'value="answer:{reader_reply.pk}"' not in html


def test_unanswered_questions_tab_lists_them_oldest_first_until_answered(
    client, moderator, post, question, staff_reply, commit
):
    newer = make_comment(post, comment="Newer question?")
    Moderation.objects.filter(pk=newer.pk).update(question=True)
    Comment.objects.filter(pk=question.pk).update(submit_date=timezone.now() - datetime.timedelta(days=2))
    client.force_login(moderator)
    html = client.get("/admin/comments/?status=unanswered").content.decode()
    assert html.index(f"row-{question.pk}") < html.index(f"row-{newer.pk}")
    mark_answer(client, moderator, staff_reply, commit)
    client.force_login(moderator)
    html = client.get("/admin/comments/?status=unanswered").content.decode()
    assert f"row-{question.pk}" not in html and f"row-{newer.pk}" in html


def test_rejecting_the_answer_unanswers_the_question_everywhere(
    client, moderator, post, question, staff_reply, commit
):
    mark_answer(client, moderator, staff_reply, commit)
    assert "Answered by" in client.get(post.url).content.decode()
    with commit():
        moderation.reject(Moderation.objects.get(pk=staff_reply.pk), moderator, "other")
    html = client.get(post.url).content.decode()  # purged: not the cached page
    assert "Answered by" not in html and 'id="answered-questions"' not in html
    assert dashboard.stats().unanswered == 1


def test_erasing_the_answerer_removes_the_answer(client, moderator, post, question, commit):
    reply = make_comment(post, parent=question, role=Role.STAFF, user_email="dana@example-hospital.org")
    mark_answer(client, moderator, reply, commit)
    with commit():
        personal_data.erase_commenter("dana@example-hospital.org")
    assert Moderation.objects.get(pk=question.pk).answer_id is None
    assert "Answered by" not in client.get(post.url).content.decode()


def test_the_asker_who_follows_replies_is_told_of_the_answer(client, moderator, post, commit):
    asked = make_comment(post, comment="Is parking free?", user_email="pat@example.org", followup=True)
    Moderation.objects.filter(pk=asked.pk).update(question=True)
    Subscriber.confirm("pat@example.org")
    reply = make_comment(post, parent=asked, role=Role.STAFF, comment="Yes, for patients.")
    mail.outbox.clear()
    mark_answer(client, moderator, reply, commit)
    answered = [m for m in mail.outbox if "has an answer" in m.subject]
    assert [m.to for m in answered] == [["pat@example.org"]]
    assert "Yes, for patients." in answered[0].body


def test_the_dashboard_counts_unanswered_questions_and_the_time_to_answer(
    client, moderator, post, question, staff_reply, commit
):
    Comment.objects.filter(pk=question.pk).update(submit_date=timezone.now() - datetime.timedelta(hours=3))
    figures = dashboard.stats()
    assert figures.unanswered == 1 and figures.oldest_unanswered >= datetime.timedelta(hours=3)
    mark_answer(client, moderator, staff_reply, commit)
    figures = dashboard.stats()
    assert figures.unanswered == 0 and figures.answers == 1
    assert figures.median_answer >= datetime.timedelta(hours=3)


def test_the_staff_reply_form_can_mark_the_official_answer(client, moderator, post, question, discussion):
    client.force_login(moderator)
    response = client.post(
        f"/admin/comments/{question.pk}/reply/", {"comment": "PHR is the record you keep.", "official": "on"}
    )
    assert response.status_code == 302
    answer = Moderation.objects.get(pk=question.pk).answer
    assert answer is not None and answer.comment == "PHR is the record you keep."


def test_hospital_name_is_a_site_setting(discussion):
    assert Discussion._meta.get_field("hospital_name").default == "the hospital"
