import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from blog.models import Author, BlogPage, HomePage

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "authors": Author.objects.count(),
    }


def test_seed_demo_builds_the_demo_blog(client):
    call_command("seed_demo", stdout=None)
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    posts = BlogPage.objects.live()
    assert posts.count() >= 5
    years = {post.date.year for post in posts}
    assert max(years) - min(years) >= 1
    story = posts.get(slug="three-reminders-and-no-way-to-reschedule")
    html = client.get(story.url).text
    for phrase in ["dermatology", "patient portal", "EHR", "PHR", "voicemail"]:
        assert phrase in html
    assert posts.filter(title__icontains="scheduling").exists()
    assert client.get("/").status_code == 200


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
