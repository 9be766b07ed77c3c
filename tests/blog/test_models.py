import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from blog.models import BlogIndexPage, BlogPage, HomePage
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


class TestPageTreeRules(WagtailTestUtils):
    def test_home_page_sits_under_the_root_only(self):
        assert HomePage.allowed_parent_page_models() == [Page]
        assert HomePage.allowed_subpage_models() == [BlogIndexPage]

    def test_posts_live_under_the_blog_index_and_have_no_children(self):
        assert BlogPage.allowed_parent_page_models() == [BlogIndexPage]
        assert BlogPage.allowed_subpage_models() == []

    def test_only_one_home_page_and_one_blog_index(self, site):
        assert not HomePage.can_create_at(Page.get_first_root_node())
        assert not BlogIndexPage.can_create_at(site["home"])
        assert BlogPage.can_create_at(site["index"])


@pytest.mark.parametrize("slug", ["feed", "tag", "author", "2024"])
def test_post_slug_that_shadows_a_blog_route_is_a_validation_error(site, slug):
    post = BlogPageFactory.build(slug=slug)
    post.path, post.depth = "000100010001XXXX", 4  # clean() needs no tree position for this check
    with pytest.raises(ValidationError) as error:
        post.clean()
    assert "slug" in error.value.message_dict


def test_get_absolute_url_is_the_page_url(post):
    assert post.get_absolute_url() == f"/blog/{post.slug}/"


def test_structured_data_names_authors_and_tags(post):
    data = post.structured_data()
    assert data["@type"] == "BlogPosting"
    assert data["author"][0]["name"] == post.authors[0].name
    assert data["keywords"] == ["scheduling"]
