from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from blog.models import blog_index_url

from .templatetags.languages import home_url


def site(request: HttpRequest) -> dict:
    """Values every layout template needs, without a query (the blog index's address is cached,
    and looked up only by a template that shows it)."""
    return {
        "BASE_URL": settings.BASE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        "BLOG_URL": SimpleLazyObject(blog_index_url),
        "HOME_URL": SimpleLazyObject(lambda: home_url(get_language())),
    }
