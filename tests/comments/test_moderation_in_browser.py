"""The moderation pages in Chromium: no serious or critical axe violations in their main content,
no sideways scrolling on a wide screen or a phone, and the keyboard path a moderator takes."""

import os

import pytest
from django.contrib.auth.models import Group, Permission

from comments.models import Comment, Moderation, Status
from tests.chromium import AXE_JS, WCAG_TAGS

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"
WIDTHS = [1440, 390]
SCREENSHOTS = os.environ.get("MODERATION_SCREENSHOTS")  # a folder, to look at the pages by eye


@pytest.fixture
def moderator_tab(tab, demo, django_user_model):
    """A tab logged in as a member of "Comment moderators" (through the login form: django-axes)."""
    user = django_user_model.objects.create_user("mod", "mod@example-hospital.org", PASSWORD)
    # The data migration's group is flushed with the other rows between browser tests: made again.
    group, _created = Group.objects.get_or_create(name="Comment moderators")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", "can_moderate"]))
    user.groups.add(group)
    tab.goto(demo + "/admin/login/")
    tab.fill("#id_username", "mod")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/admin/")
    return tab


# Wagtail's own filter button, once a filter is active, shows the count of active filters beside
# its aria-label "Show filters" (wagtailadmin/shared/headers/_filters.html): axe's
# label-content-name-mismatch. Every Wagtail listing has it; it is Wagtail's to fix, so that one
# element is left out of that one rule here, and nothing else is.
WAGTAIL_OWN = {"label-content-name-mismatch": ".w-slim-header-action-button[data-w-dropdown-target=toggle]"}


def serious_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA rules on the main content, serious and critical ones only."""
    page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async ([tags, wagtailOwn]) => {
            const result = await axe.run('main', {runOnly: {type: 'tag', values: tags}});
            const own = (v, node) =>
                wagtailOwn[v.id] && document.querySelector(node.target[0])?.matches(wagtailOwn[v.id]);
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({...v, nodes: v.nodes.filter(n => !own(v, n))}))
                .filter(v => v.nodes.length)
                .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.html)}));
        }""",
        [WCAG_TAGS, WAGTAIL_OWN],
    )


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def waiting_ids() -> list[int]:
    return list(Moderation.objects.filter(status=Status.WAITING).order_by("pk").values_list("pk", flat=True))


def pages(demo: str) -> dict[str, str]:
    held = waiting_ids()[0]
    published = Comment.objects.published().order_by("pk").values_list("pk", flat=True)[0]
    return {
        "queue": "/admin/comments/",
        "queue, every comment": "/admin/comments/?status=all",
        "dashboard": "/admin/",
        "reject": f"/admin/comments/{held}/reject/",
        "edit": f"/admin/comments/{held}/edit/",
        "reply": f"/admin/comments/{published}/reply/",
        "bulk approve": f"/admin/bulk/comments/moderation/approve/?next=/admin/comments/&id={held}",
        "bulk reject": f"/admin/bulk/comments/moderation/reject/?next=/admin/comments/&id={held}",
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_moderation_pages_are_accessible_and_never_scroll_sideways(moderator_tab, demo, width):
    tab = moderator_tab
    tab.set_viewport_size({"width": width, "height": 900})
    problems = []
    for name, path in pages(demo).items():
        assert tab.goto(demo + path).status == 200, name
        if SCREENSHOTS:
            tab.screenshot(
                path=f"{SCREENSHOTS}/{name.replace(' ', '-').replace(',', '')}-{width}.png", full_page=True
            )
        for violation in serious_violations(tab):
            problems.append(f"{name}: {violation['id']}: {violation['help']} {violation['nodes'][:2]}")
        if scrolls_sideways(tab):
            problems.append(f"{name}: scrolls sideways at {width} px")
    assert problems == []


def test_j_then_a_approves_the_first_comment_and_announces_it(moderator_tab, demo):
    tab = moderator_tab
    before = waiting_ids()
    tab.goto(demo + "/admin/comments/")
    count = tab.locator('[data-queue-count="waiting"]')
    assert count.inner_text() == str(len(before))
    tab.keyboard.press("j")
    first = tab.locator("[data-queue-row]").first
    assert first.evaluate("row => row === document.activeElement")
    assert first.evaluate("row => parseFloat(getComputedStyle(row).outlineWidth)") >= 2  # focus is visible
    pk = int(first.get_attribute("data-queue-row"))
    tab.keyboard.press("a")
    tab.locator("[data-queue-announce]").filter(has_text="approved").wait_for()
    assert tab.locator("[data-queue-announce]").inner_text() == f"Comment #{pk} approved."
    assert count.inner_text() == str(len(before) - 1)
    assert waiting_ids() == [p for p in before if p != pk]
    assert tab.locator(f"#row-{pk}").count() == 0
    remaining = tab.locator("[data-queue-row]")
    if remaining.count():
        assert remaining.first.evaluate("row => row === document.activeElement")  # on to the next one


def test_r_asks_the_reason_in_a_dialog_then_rejects(moderator_tab, demo):
    tab = moderator_tab
    tab.goto(demo + "/admin/comments/")
    tab.keyboard.press("j")
    pk = int(tab.locator("[data-queue-row]").first.get_attribute("data-queue-row"))
    tab.keyboard.press("r")
    dialog = tab.locator("#reject-dialog")
    dialog.locator("input[value=phi]").wait_for(state="visible")
    assert Moderation.objects.get(pk=pk).status == Status.WAITING  # nothing until a reason is given
    dialog.locator("input[value=phi]").check()
    dialog.locator("button[type=submit]").click()
    tab.locator("[data-queue-announce]").filter(has_text="rejected").wait_for()
    moderation = Moderation.objects.get(pk=pk)
    assert (moderation.status, moderation.reject_reason) == (Status.REJECTED, "phi")


def test_question_mark_opens_wagtails_shortcuts_dialog_with_the_queue_keys(moderator_tab, demo):
    tab = moderator_tab
    tab.goto(demo + "/admin/comments/")
    tab.locator("body").press("?")
    dialog = tab.locator("#keyboard-shortcuts-dialog")
    section = dialog.locator("[data-queue-shortcuts]")
    section.wait_for(state="visible")
    assert "Comment queue" in section.inner_text()
    for key in "jkarsep":
        assert section.locator("kbd", has_text=key).count() >= 1, key
    assert serious_violations(tab) == []


def test_keys_do_nothing_while_typing_in_the_search_box(moderator_tab, demo):
    tab = moderator_tab
    before = waiting_ids()
    tab.goto(demo + "/admin/comments/")
    tab.locator("input[name=q]").fill("")
    tab.locator("input[name=q]").press("j")
    tab.locator("input[name=q]").press("a")
    assert tab.locator("input[name=q]").input_value() == "ja"
    assert waiting_ids() == before


def test_h_highlights_a_published_comment_above_the_discussion(moderator_tab, demo):
    tab = moderator_tab
    tab.goto(demo + "/admin/comments/?status=published")
    tab.keyboard.press("j")
    row = tab.locator("[data-queue-row]").first
    pk = int(row.get_attribute("data-queue-row"))
    tab.keyboard.press("h")
    tab.locator("[data-queue-announce]").filter(has_text="highlighted").wait_for()
    assert row.locator('[data-queue-key="h"]').inner_text().startswith("Remove highlight")
    comment = Comment.objects.get(pk=pk)
    post = tab.context.new_page()  # the same session: a moderator's view of the post, uncached
    post.goto(demo + comment.content_object.url)
    link = post.locator(f'#highlighted-comments a[href="/comments/{pk}/"]')
    assert link.count() == 1
    assert serious_violations(post) == []
    link.click()
    assert post.evaluate("location.hash") == f"#c{pk}"
    post.close()
