"""A post's old addresses (WordPress permalinks, ?p= shortlinks' paths) as permanent redirects.

An export is untrusted input: its `link` may name any path. A redirect is only made for an old
path nobody answers yet, in either slash form (`/admin` and `/admin/`): not the URL conf (the
admin, search, the glossary...), not the page tree (a post, a draft, a blog index route), not a
redirect already made. Browsers keep a permanent redirect, so taking over an address the site
answers could not be undone by deleting the redirect. Such paths are counted as skipped.
"""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve
from wagtail import views as wagtail_views
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from blog.models import BlogPage

from .records import QUERY_IDS, PostRecord

__all__ = ["TAKEN", "answered_here", "new_redirects", "old_path", "write_redirects"]

OLD_PATH_LENGTH = 255  # wagtailredirects' old_path column: a longer path cannot be matched
TAKEN = "old address the site already answers"  # the summary's reason for a skipped redirect


def old_path(url: str) -> str:
    try:
        return Redirect.normalise_path(url)
    except ValueError:
        return ""


def _is_shortlink(path: str) -> bool:
    """`/?p=11`: answered by importer.middleware before the home page, so not taken by it."""
    bare, _sep, query = path.partition("?")
    names = {part.partition("=")[0] for part in query.split("&") if part}
    return bare == "/" and bool(names) and names <= QUERY_IDS


def _routed_by_pages(path: str) -> bool:
    """Whether the page tree answers `path`: a page there (a draft too), or a route of a page's."""
    components = [part for part in path.strip("/").split("/") if part]
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        if Page.objects.filter(url_path=root.url_path + "".join(f"{c}/" for c in components)).exists():
            return True
        try:
            root.specific.route(HttpRequest(), components)
        except Http404:
            continue
        return True
    return False


def answered_here(path: str, *, allowed: BlogPage | None = None) -> bool:
    """Whether the site already answers `path` (either slash form), so that no redirect may take
    it: the URL conf, static and media files, the page tree, or a redirect to anything but
    `allowed` (the post this import is writing, whose redirect a re-run finds again)."""
    bare = path.partition("?")[0]
    if _is_shortlink(path):
        bare = ""
    forms = {bare.rstrip("/") or "/", bare.rstrip("/") + "/"} if bare else set()
    for form in forms:
        if form.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return True
        try:
            match = resolve(form)
        except Resolver404:
            continue
        if match.func is not wagtail_views.serve or _routed_by_pages(form):
            return True
    slash_forms = {path, path.rstrip("/"), path.rstrip("/") + "/"} if "?" not in path else {path}
    redirects = Redirect.objects.filter(old_path__in=slash_forms)
    if allowed is not None:
        redirects = redirects.exclude(redirect_page=allowed)
    return redirects.exists()


def _candidates(post: PostRecord, new_path: str = "") -> list[str]:
    paths = []
    for url in post.old_urls:
        path = old_path(url)
        if path and path not in ("/", new_path) and len(path) <= OLD_PATH_LENGTH and path not in paths:
            paths.append(path)
    return paths


def write_redirects(post: PostRecord, page: BlogPage) -> tuple[int, int]:
    """Make a redirect to `page` from each old address of `post` nobody answers yet: (made,
    refused because the site answers it)."""
    new_path = Redirect.normalise_path(page.url or "")
    made = taken = 0
    for path in _candidates(post, new_path):
        if answered_here(path, allowed=page):
            taken += 1
            continue
        _redirect, created = Redirect.objects.get_or_create(
            old_path=path, site=None, defaults={"redirect_page": page, "is_permanent": True}
        )
        made += created
    return made, taken


def new_redirects(post: PostRecord, page: BlogPage | None = None) -> tuple[int, int]:
    """What `write_redirects` would do (a dry run): (made, refused)."""
    made = taken = 0
    for path in _candidates(post):
        if answered_here(path, allowed=page):
            taken += 1
        elif not Redirect.objects.filter(old_path=path).exists():
            made += 1
    return made, taken
