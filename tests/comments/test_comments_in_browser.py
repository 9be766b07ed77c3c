"""The discussion in Chromium: inline reply, report, no-JS fallbacks, and axe on the post and the queue."""

import pytest

from blog.demo import CUSTOMER_SERVICE_SLUG
from comments.models import Comment, Moderation
from tests.chromium import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
POST = f"/blog/{CUSTOMER_SERVICE_SLUG}/"


def question() -> Comment:
    return Comment.objects.get(comment__startswith="Sorry if this is a basic question")


def test_post_with_comments_has_no_wcag_violations(tab, demo):
    assert tab.goto(demo + POST).status == 200
    assert tab.locator("article.comment").count() == 5
    assert_accessible(tab)


def test_inline_reply_opens_under_the_comment_and_posts_a_reply(tab, demo):
    parent = question()
    tab.goto(demo + POST)
    tab.click(f"#c{parent.pk} > footer [data-comment-reply]")
    form = tab.locator(f'[data-reply-slot="{parent.pk}"] form')
    assert form.is_visible()
    assert form.locator("[data-reply-to]").input_value() == str(parent.pk)
    textarea = form.locator("textarea")
    assert textarea.evaluate("el => el === document.activeElement")
    assert tab.locator(f"label[for='{textarea.get_attribute('id')}']").count() == 1
    assert_accessible(tab)
    textarea.fill("Thank you both, that clears it up.")
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()
    assert "waiting for a moderator" in tab.locator("h1").inner_text()
    reply = Comment.objects.get(comment="Thank you both, that clears it up.")
    assert reply.parent_id == parent.pk


def test_report_marks_the_comment_in_place(tab, demo):
    target = question()
    tab.goto(demo + POST)
    tab.click(f"#c{target.pk} > footer [data-comment-report]")
    note = tab.locator(f"#c{target.pk} > footer .comment__reported")
    note.wait_for()
    assert note.inner_text().startswith("Thank you")
    assert Moderation.objects.get(pk=target.pk).report_count == 1
    assert tab.url.endswith(POST)


def test_reply_and_report_work_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        parent = question()
        tab.goto(demo + POST)
        tab.click(f"#c{parent.pk} > footer [data-comment-reply]")
        assert tab.url.endswith(f"/comments/reply/{parent.pk}/")
        assert_no_js_reply_page = tab.locator("blockquote").inner_text()
        assert "basic question" in assert_no_js_reply_page
        tab.fill("textarea[name=comment]", "A reply without JavaScript")
        tab.click("form[action='/comments/post/'] button[type=submit]")
        assert "waiting for a moderator" in tab.locator("h1").inner_text()
        assert Comment.objects.get(comment="A reply without JavaScript").parent_id == parent.pk
    finally:
        context.close()


def test_report_without_javascript_sends_the_page_s_token(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        target = question()
        tab.goto(demo + POST)
        tab.click(f"#c{target.pk} > footer [data-comment-report]")
        assert tab.url.endswith(f"/comments/report/{target.pk}/")
        tab.click(f"form[action='/comments/report/{target.pk}/'] button[type=submit]")
        assert "Comment reported" in tab.locator("h1").inner_text()
        assert Moderation.objects.get(pk=target.pk).report_count == 1
    finally:
        context.close()


def test_a_report_form_on_another_page_that_submits_itself_is_refused(tab, demo):
    """A hostile page auto-submitting report forms turns no visitor into a report."""
    target = question()
    tab.set_content(
        f'<form method="post" action="{demo}/comments/report/{target.pk}/">'
        '<input name="token" value="forged"><button>Go</button></form>'
    )
    with tab.expect_navigation():
        tab.click("button")
    assert "Report a comment" in tab.locator("h1").inner_text()
    assert Moderation.objects.get(pk=target.pk).report_count == 0
    assert_accessible(tab)


def test_moderation_queue_has_no_wcag_violations(tab, demo, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example-hospital.org", "correct horse battery")
    tab.goto(demo + "/admin/login/")
    tab.fill("#id_username", "admin")
    tab.fill("#id_password", "correct horse battery")
    tab.click("button[type=submit]")
    tab.wait_for_url("**/admin/")
    tab.goto(demo + "/admin/comments/")
    assert "555-0134" in tab.content()
    assert_accessible(tab)
