"""The Spanish pages pass the same axe checks as the English ones, and the language switcher is
reachable by keyboard (README "Languages")."""

import pytest
from wagtail.models import Page

from tests.chromium import assert_accessible
from tests.comments.factories import make_comment

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH_POST = "/es/blog/tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita/"


@pytest.mark.parametrize(
    "path", ["/es/", "/es/blog/", SPANISH_POST, "/es/glossary/", "/es/glossary/hce/", "/es/changes/",
             "/es/changes/topic/citas/", "/es/search/?q=cita", "/es/search/?q=HCE", "/es/no-existe/"],
)  # fmt: skip
def test_spanish_page_has_no_wcag_violations(tab, demo, path):
    response = tab.goto(demo + path)
    assert response.status == (404 if path == "/es/no-existe/" else 200)
    assert tab.evaluate("document.documentElement.lang") == "es"
    assert_accessible(tab)


def test_the_language_switcher_is_reachable_by_keyboard(tab, demo):
    tab.goto(demo + "/blog/three-reminders-and-no-way-to-reschedule/")
    for _ in range(30):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.getAttribute('hreflang')") == "es":
            break
    else:
        pytest.fail("the Spanish link was never focused")
    assert tab.evaluate("document.activeElement.textContent") == "Español"
    assert tab.evaluate("document.activeElement.lang") == "es"
    tab.keyboard.press("Enter")
    tab.wait_for_url(demo + SPANISH_POST)
    assert tab.evaluate("document.documentElement.lang") == "es"


# The states the English pages are checked in too (tests/comments, tests/glossary, tests/subscriptions).
FORM = "form[data-comment-form]"


def spanish_post() -> Page:
    return Page.objects.get(url_path__endswith=SPANISH_POST.removeprefix("/es/blog")).specific


def test_the_spanish_phi_warning_has_no_wcag_violations(tab, demo):
    tab.goto(demo + SPANISH_POST)
    tab.fill(f"{FORM} textarea[name=comment]", "Llamen a mi madre al 617-555-0134, por favor.")
    tab.click(f"{FORM} button[type=submit]")
    tab.wait_for_load_state()
    assert tab.locator("mark.phi-warning__mark").inner_text() == "617-555-0134"
    assert tab.evaluate("document.documentElement.lang") == "es"
    assert_accessible(tab)


def test_a_spanish_second_page_of_comments_with_a_reply_open_has_no_wcag_violations(tab, demo, settings):
    settings.COMMENTS_PER_PAGE = 1
    threads = [make_comment(spanish_post(), comment=f"Hilo {n}: los avisos llegan tarde.") for n in range(3)]
    assert tab.goto(demo + SPANISH_POST + "?page=2").status == 200
    assert tab.locator("a[rel=prev]").count() == tab.locator("a[rel=next]").count() == 1
    assert_accessible(tab)
    tab.click(f"#c{threads[1].pk} > footer [data-comment-reply]")
    assert tab.locator(f'[data-reply-slot="{threads[1].pk}"] form textarea').is_visible()
    assert_accessible(tab)


def test_a_spanish_post_with_a_definition_open_has_no_wcag_violations(tab, demo):
    tab.goto(demo + SPANISH_POST)
    for _ in range(40):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.dataset.term"):
            break
    else:
        pytest.fail("Tab never reached a glossary term")
    slug = tab.evaluate("document.activeElement.dataset.term")
    assert tab.locator(f"#glossary-tip-{slug}").is_visible()
    assert_accessible(tab)


def subscribe_from_the_spanish_home(tab, demo) -> None:
    tab.goto(demo + "/es/")
    form = tab.locator("footer form.subscribe-form")
    form.locator("input[type=email]").fill("lector@example.org")
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()


def test_the_subscription_answer_to_a_spanish_reader_has_no_wcag_violations(tab, demo):
    subscribe_from_the_spanish_home(tab, demo)
    assert_accessible(tab)


def test_the_subscription_answer_to_a_spanish_reader_is_in_spanish(tab, demo):
    subscribe_from_the_spanish_home(tab, demo)
    assert tab.evaluate("document.documentElement.lang") == "es"
