"""A post's old addresses (WordPress permalinks, ?p= shortlinks' paths) as permanent redirects."""

from wagtail.contrib.redirects.models import Redirect

from blog.models import BlogPage

from .records import PostRecord

__all__ = ["new_redirects", "old_path", "write_redirects"]

OLD_PATH_LENGTH = 255  # wagtailredirects' old_path column: a longer path cannot be matched


def old_path(url: str) -> str:
    try:
        return Redirect.normalise_path(url)
    except ValueError:
        return ""


def write_redirects(post: PostRecord, page: BlogPage) -> int:
    """Make a redirect to `page` from each old address of `post` not taken yet; how many."""
    new_path = Redirect.normalise_path(page.url or "")
    made = 0
    for url in post.old_urls:
        path = old_path(url)
        if not path or path in ("/", new_path) or len(path) > OLD_PATH_LENGTH:
            continue
        _redirect, created = Redirect.objects.get_or_create(
            old_path=path, site=None, defaults={"redirect_page": page, "is_permanent": True}
        )
        made += created
    return made


def new_redirects(post: PostRecord) -> int:
    """How many redirects `write_redirects` would make (a dry run)."""
    paths = {old_path(url) for url in post.old_urls} - {"", "/"}
    return len(paths - set(Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True)))
