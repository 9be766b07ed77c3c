import pytest
from django.core.management import call_command

from blog.demo import CUSTOMER_SERVICE_SLUG
from changes.models import Change, Feedback, FeedbackStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_closes_the_loop_on_the_scheduling_post_once(client, db):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    change = Change.objects.get(locale__language_code="en")
    assert [row.post.slug for row in change.cited_posts.all()] == [CUSTOMER_SERVICE_SLUG]
    cited = [row.comment_id for row in change.cited_comments.all()]
    assert len(cited) == 1
    assert Feedback.objects.get(pk=cited[0]).status == FeedbackStatus.CHANGED
    html = client.get(f"/blog/{CUSTOMER_SERVICE_SLUG}/").text
    assert "change an appointment" in html[html.index('id="what-changed"') : html.index('id="comments"')]
