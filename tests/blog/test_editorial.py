"""Wagtail's editorial features work with our page models: preview, revisions, scheduling, workflow."""

import datetime
import json
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from blog.models import BlogPage
from tests.factories import AuthorFactory, BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw", is_superuser=True)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _post_form(author, **overrides) -> dict:
    data = {
        "title": "Reminders that let you answer",
        "slug": "reminders-that-let-you-answer",
        "date": "2026-05-01",
        "intro": "A reminder should always offer a way to reschedule.",
        "tags": "scheduling",
        "post_authors-TOTAL_FORMS": "1",
        "post_authors-INITIAL_FORMS": "0",
        "post_authors-MIN_NUM_FORMS": "1",
        "post_authors-MAX_NUM_FORMS": "1000",
        "post_authors-0-author": str(author.pk),
        "post_authors-0-ORDER": "1",
        "post_authors-0-id": "",
        "post_authors-0-DELETE": "",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value": json.dumps(
            {
                "blocks": [
                    {
                        "key": "a",
                        "text": "Preview me.",
                        "type": "unstyled",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
        "header_image": "",
        "header_image_alt": "",
        "comments_enabled": "on",
    }
    data.update(overrides)
    return data


def test_editor_can_create_a_post_in_the_admin(editor_client, site):
    author = AuthorFactory()
    url = reverse("wagtailadmin_pages:add", args=("blog", "blogpage", site["index"].pk))
    response = editor_client.post(url, _post_form(author, **{"action-publish": "publish"}))
    assert response.status_code == 302, response.content[:2000]
    post = BlogPage.objects.get(slug="reminders-that-let-you-answer")
    assert post.live
    assert post.authors == [author]


def test_preview_renders_the_unsaved_post(editor_client, site):
    author = AuthorFactory()
    url = reverse("wagtailadmin_pages:preview_on_add", args=("blog", "blogpage", site["index"].pk))
    assert editor_client.post(url, _post_form(author, title="Unsaved preview title")).json()["is_valid"]
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Unsaved preview title" in response.text
    assert "Preview me." in response.text


def test_each_save_is_a_revision_that_can_be_restored(site):
    post = BlogPageFactory(parent=site["index"], title="First title")
    first = post.save_revision()
    post.title = "Second title"
    post.save_revision().publish()
    assert post.revisions.count() == 2
    first.as_object().save_revision().publish()
    assert BlogPage.objects.get(pk=post.pk).title == "First title"


def test_scheduled_post_goes_live_at_its_go_live_date(client, site):
    post = BlogPageFactory(parent=site["index"], live=False)
    post.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    post.save_revision().publish()
    post.refresh_from_db()
    assert not post.live
    assert client.get(post.url or f"/blog/{post.slug}/").status_code == 404

    two_hours_later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=two_hours_later):
        call_command("publish_scheduled", verbosity=0)
    post.refresh_from_db()
    assert post.live
    assert client.get(post.url).status_code == 200


def test_post_submitted_for_review_goes_live_only_when_approved(client, site, django_user_model):
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=site["home"])
    writer = django_user_model.objects.create_user("writer", password="pw")
    writer.groups.add(Group.objects.get(name="Editors"))
    reviewer = django_user_model.objects.create_user("reviewer", password="pw")
    reviewer.groups.add(Group.objects.get(name="Moderators"))

    post = BlogPageFactory(parent=site["index"], live=False)
    post.save_revision(user=writer)
    state = workflow.start(post, writer)
    assert not BlogPage.objects.get(pk=post.pk).live

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    post.refresh_from_db()
    assert post.live
    assert client.get(post.url).status_code == 200


def test_userbar_offers_the_accessibility_checker_to_editors(editor_client, post):
    html = editor_client.get(post.url).text
    assert "wagtail-userbar" in html
    # Wagtail 8 calls the accessibility checker the content checker: axe-core with its config.
    assert 'id="checker-trigger"' in html
    assert 'id="checker-axe-configuration"' in html


def test_anonymous_readers_do_not_get_the_userbar(client, post):
    assert "wagtail-userbar" not in client.get(post.url).text
