"""Issue 23 in Chromium: the PHI warning's form round trip (edit, or post anyway) and "This helped"
with and without JavaScript, each page axe clean."""

import pytest

from blog.demo import CUSTOMER_SERVICE_SLUG
from comments.models import Comment, Moderation, Reason, Status
from tests.chromium import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)
POST = f"/blog/{CUSTOMER_SERVICE_SLUG}/"
FORM = "form[data-comment-form]"


def first_comment() -> Comment:
    return Comment.objects.filter(is_public=True).order_by("pk").first()


def test_the_warning_marks_the_number_then_posting_anyway_holds_it(tab, demo):
    tab.goto(demo + POST)
    tab.fill(f"{FORM} textarea[name=comment]", "Please call my mother on 617-555-0134 about her visit.")
    tab.click(f"{FORM} button[type=submit]")
    tab.wait_for_load_state()
    assert "Before you post" in tab.locator("h1").inner_text()
    assert tab.locator("mark.phi-warning__mark").inner_text() == "617-555-0134"
    assert "could identify you or someone else" in tab.content()
    assert "617-555-0134" in tab.locator("textarea[name=comment]").input_value()  # nothing lost
    assert_accessible(tab)
    tab.click("button[name=post_anyway]")
    tab.wait_for_load_state()
    assert "waiting for a moderator" in tab.locator("h1").inner_text()
    comment = Comment.objects.select_related("moderation").get(comment__contains="617-555-0134")
    assert comment.moderation.status == Status.WAITING
    assert Reason.WARNED in [reason["code"] for reason in comment.moderation.reasons]


def test_editing_after_the_warning_posts_the_edited_text(tab, demo):
    tab.goto(demo + POST)
    tab.fill(f"{FORM} textarea[name=comment]", "My MRN is 00482913 and the portal lost my results.")
    tab.click(f"{FORM} button[type=submit]")
    tab.wait_for_load_state()
    tab.fill("textarea[name=comment]", "The portal lost my results twice this month.")
    tab.click("form[action='/comments/post/'] button[type=submit]:not([name])")
    tab.wait_for_load_state()
    assert Comment.objects.filter(comment="The portal lost my results twice this month.").exists()
    assert not Comment.objects.filter(comment__contains="00482913").exists()


def test_this_helped_counts_in_place_with_javascript(tab, demo):
    target = first_comment()
    tab.goto(demo + POST)
    button = tab.locator(f'[data-helpful="{target.pk}"]')
    button.click()
    tab.locator(f'[data-helpful="{target.pk}"][aria-pressed="true"]').wait_for()
    assert tab.locator(f'[data-helpful-count="{target.pk}"]').inner_text() == "1"
    assert tab.url.endswith(POST)
    assert Moderation.objects.get(pk=target.pk).helpful == 1
    assert_accessible(tab)


def test_this_helped_works_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        target = first_comment()
        tab.goto(demo + POST)
        tab.click(f'[data-helpful="{target.pk}"]')
        tab.wait_for_load_state()
        assert "Did this comment help you?" in tab.locator("h1").inner_text()

        tab.click(f"form[action='/comments/helpful/{target.pk}/'] button[type=submit]")
        tab.wait_for_load_state()
        assert POST in tab.url and tab.url.endswith(f"#c{target.pk}")  # back at the comment
        assert Moderation.objects.get(pk=target.pk).helpful == 1
    finally:
        context.close()
