import pytest

from blog import demo as blog_demo
from blog.models import BlogPage
from comments import demo
from comments.models import Comment, Moderation, Status

pytestmark = pytest.mark.django_db


def test_demo_discussion_is_seeded_once_with_queue_items(client):
    blog_demo.seed()
    demo.seed()
    demo.seed()
    post = BlogPage.objects.get(slug=blog_demo.CUSTOMER_SERVICE_SLUG)
    comments = Comment.objects.for_page(post)
    assert comments.published().count() == 5
    assert Moderation.objects.filter(status=Status.WAITING).count() == 3
    assert Moderation.objects.with_status("reported").count() == 1
    assert Moderation.objects.filter(status=Status.SPAM).count() == 1
    assert any(r["code"] == "phi" for m in Moderation.objects.all() for r in m.reasons)


def test_demo_thread_nests_the_question_and_its_answers(client):
    blog_demo.seed()
    demo.seed()
    post = BlogPage.objects.get(slug=blog_demo.CUSTOMER_SERVICE_SLUG)
    question = Comment.objects.get(comment__startswith="Sorry if this is a basic question")
    answers = Comment.objects.filter(parent_id=question.pk).exclude(pk=question.pk)
    assert answers.count() == 2
    html = client.get(post.url).content.decode()
    assert html.count('class="comment__badge comment__badge--author"') == 1
