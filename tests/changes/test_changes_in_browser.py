"""You said, we changed, in Chromium: /changes/ and the post's section pass axe, the topic links
and the "led to a change" link work from the keyboard."""

import pytest
from wagtail.models import Locale

from blog.demo import CUSTOMER_SERVICE_SLUG
from changes.models import Change, Feedback, FeedbackStatus, Topic
from comments.models import Comment
from tests.changes.hostile import hostile_changes
from tests.chromium import assert_accessible
from tests.factories import BlogPageFactory, make_site
from tests.xss_checks import assert_no_xss_in_browser

pytestmark = pytest.mark.django_db(transaction=True)
POST = f"/blog/{CUSTOMER_SERVICE_SLUG}/"


def english_change() -> Change:
    """The demo's change on /changes/ (seed_demo adds its Spanish version too)."""
    return Change.objects.get(locale=Locale.get_default())


def cited_comment_id() -> int:
    return english_change().cited_comments.get().comment_id


def test_the_changes_page_has_no_wcag_violations(tab, demo):
    assert tab.goto(demo + "/changes/").status == 200
    assert tab.locator("article.change").count() == 1
    assert_accessible(tab)


def test_a_topic_link_is_reached_and_followed_with_the_keyboard(tab, demo):
    tab.goto(demo + "/changes/")
    for _ in range(40):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.textContent.trim()") == "Scheduling":
            break
    else:
        pytest.fail("the Scheduling topic link is not reachable with Tab")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/changes/topic/scheduling/")
    assert "Scheduling" in tab.locator("h1").inner_text()
    assert_accessible(tab)


def test_the_post_section_has_no_wcag_violations(tab, demo):
    tab.goto(demo + POST)
    assert tab.locator("#what-changed").is_visible()
    assert_accessible(tab)


def test_a_cited_comment_carries_a_led_to_a_change_link_that_the_keyboard_follows(tab, demo):
    pk = cited_comment_id()
    tab.goto(demo + POST)
    link = tab.locator(f"#c{pk} > .comment__actions .comment__change-link")
    assert link.inner_text() == "Led to a change"
    link.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"**{POST}#change-*")
    assert tab.evaluate("location.hash") == f"#{english_change().anchor}"
    assert tab.locator("#what-changed .comment__change-link").count() == 0


def test_without_javascript_the_section_still_links_the_cited_comment(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    pk = cited_comment_id()
    page.goto(demo + POST)
    assert page.locator(f'#what-changed a[href$="/comments/{pk}/"]').count() == 1
    context.close()


@pytest.fixture
def admin_tab(tab, demo, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example-hospital.org", "correct horse battery")
    tab.goto(demo + "/admin/login/")
    tab.fill("#id_username", "admin")
    tab.fill("#id_password", "correct horse battery")
    tab.click("button[type=submit]")
    tab.wait_for_url("**/admin/")
    return tab


def test_the_dashboard_panel_has_no_wcag_violations(admin_tab):
    panel = admin_tab.locator("#changes-panel-title")
    assert panel.inner_text() == "You said, we changed"
    assert (
        admin_tab.locator("section:has(#changes-panel-title) th[scope=row]").first.inner_text()
        == "Scheduling"
    )
    assert_accessible(admin_tab)


def test_the_feedback_form_is_filled_and_sent_with_the_keyboard(admin_tab, demo):
    comment = Comment.objects.published().exclude(pk=cited_comment_id()).first()
    admin_tab.goto(demo + f"/admin/changes/feedback/{comment.pk}/")
    assert_accessible(admin_tab)
    admin_tab.focus("#id_topic")
    admin_tab.select_option("#id_topic", label="Phone lines")
    admin_tab.keyboard.press("Tab")
    admin_tab.select_option("#id_status", "not_changing")
    admin_tab.keyboard.press("Tab")
    admin_tab.keyboard.type("The phone system is shared with the clinics; we are asking them.")
    admin_tab.keyboard.press("Tab")
    admin_tab.keyboard.press("Enter")
    admin_tab.wait_for_url("**/admin/comments/**")
    feedback = Feedback.objects.get(pk=comment.pk)
    assert (feedback.topic, feedback.status) == (
        Topic.objects.get(name="Phone lines", locale=Locale.get_default()),
        FeedbackStatus.NOT_CHANGING,
    )


def test_the_xss_corpus_never_runs_on_the_changes_pages(raw_tab, live_site):
    _home, index = make_site()
    post = BlogPageFactory(parent=index)
    for path in hostile_changes(post):
        assert_no_xss_in_browser(raw_tab, live_site + path)
