"""The Spanish pages pass the same axe checks as the English ones, and the language switcher is
reachable by keyboard (README "Languages")."""

import pytest

from tests.chromium import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH_POST = "/es/blog/tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita/"


@pytest.mark.parametrize(
    "path", ["/es/", "/es/blog/", SPANISH_POST, "/es/glossary/", "/es/glossary/hce/", "/es/changes/",
             "/es/search/?q=cita"],
)  # fmt: skip
def test_spanish_page_has_no_wcag_violations(tab, demo, path):
    response = tab.goto(demo + path)
    assert response.status == 200
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
