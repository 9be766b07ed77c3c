"""Comment counts on the blog's post cards, given through the blog's "annotate_post_cards" hook."""

import pytest

from blog.models import prepare_cards
from comments.counts import comment_count
from comments.models import Status
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_post_cards_get_their_published_comment_counts_through_the_blog_s_hook(site):
    busy, quiet = BlogPageFactory(parent=site["index"]), BlogPageFactory(parent=site["index"])
    make_comment(busy)
    make_comment(busy)
    make_comment(busy, status=Status.WAITING)
    make_comment(quiet, status=Status.SPAM)
    assert [post.comment_count for post in prepare_cards([busy, quiet])] == [2, 0]


def test_a_post_outside_a_listing_is_counted_on_its_own(post, django_assert_num_queries):
    make_comment(post)
    with django_assert_num_queries(1):
        assert comment_count(post) == 1
