from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from blog.models import BlogPage
from comments.models import Comment

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Path:
    return FIXTURES / name


def run_import(path, *args: str) -> str:
    """`manage.py import_blog`, its summary as text."""
    out = StringIO()
    call_command("import_blog", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(site):
    """Import one fixture into the site; returns the summary text."""

    def _import(name: str, *args: str) -> str:
        return run_import(fixture(name), *args)

    return _import


def comments_of(slug: str) -> dict[str, Comment]:
    """The comments of the post at `slug`, by their text."""
    post = BlogPage.objects.get(slug=slug)
    return {c.comment: c for c in Comment.objects.for_page(post).select_related("moderation")}
