"""The page editor's live preview panel loads in Chromium: its iframe is of our own origin."""

import pytest

from tests.factories import BlogPageFactory, make_site

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "correct horse battery"


def test_the_page_editors_preview_panel_shows_the_post(tab, live_site, django_user_model):
    _home, index = make_site()
    post = BlogPageFactory(parent=index, title="Quiet hours on ward 4")
    django_user_model.objects.create_superuser("editor", "editor@example-hospital.org", PASSWORD)
    refused = []
    tab.on("console", lambda message: "frame" in message.text.lower() and refused.append(message.text))
    tab.goto(live_site + "/admin/login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/admin/")
    tab.goto(f"{live_site}/admin/pages/{post.pk}/edit/")
    tab.click("[data-side-panel-toggle=preview]")
    # Wagtail swaps a fresh iframe in on each update; a refused one holds Chromium's error page,
    # which is of another origin (contentDocument null).
    shown = tab.wait_for_function(
        """() => [...document.querySelectorAll('iframe.w-preview__iframe')]
            .map(f => f.contentDocument?.querySelector('h1')?.textContent?.trim())
            .find(Boolean)""",
        timeout=10_000,
    )
    assert shown.json_value() == "Quiet hours on ward 4"
    assert refused == []
