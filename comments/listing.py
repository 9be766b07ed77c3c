"""The rendered list of a post's published comments, cached between changes.

Rendering hundreds of comments through templates costs far more than the rest of a post page, and
the list only changes when the page cache purges the post (a comment published, hidden or edited;
the post, an author or a glossary term changed). So the list is cached under the post's page-cache
version (rounds.pagecache.version): whatever purges the post also retires its list, on every app
server. The comment form, whose security timestamp must be fresh, is never part of it.

Glossary annotation in the list depends on which terms the post body above it already annotated
(first occurrence on the page), so that set is part of the key, and the terms the list annotates
are stored beside it and added back to the page's set on a hit.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from glossary.templatetags.glossary_tags import SEEN_KEY
from rounds import pagecache

from .models import Comment

TEMPLATE = "comments/includes/comment_list.html"


def _key(page, is_open: bool, seen: set[str]) -> str:
    state = "|".join(
        [
            pagecache.version(page.url),
            str(page.pk),
            str(is_open),
            str(settings.COMMENTS_XTD_MAX_THREAD_LEVEL),
            str(page.glossary_enabled),
            ",".join(sorted(seen)),
        ]
    )
    return "comments:list:" + hashlib.sha256(state.encode()).hexdigest()


def render_comment_list(page, is_open: bool, seen: set[str], labels: dict) -> tuple[SafeString, int]:
    """The list's HTML and its number of comments; `seen` gains the terms the list annotated."""
    timeout = settings.COMMENT_LIST_CACHE_SECONDS
    key = _key(page, is_open, seen) if timeout else ""
    if timeout:
        cached = cache.get(key)
        if cached is not None:
            html, count, annotated = cached
            seen.update(annotated)
            return mark_safe(html), count  # noqa: S308 - our own rendered template output

    tree = Comment.objects.for_page(page).published().tree()
    before = set(seen)
    context = Context(
        {
            "tree": tree,
            "page": page,
            "open": is_open,
            "max_level": settings.COMMENTS_XTD_MAX_THREAD_LEVEL,
            "labels": labels,
        }
    )
    # The glossary tag keeps the page's annotated terms in the render context's outermost dict.
    context.render_context.dicts[0][SEEN_KEY] = seen
    html = get_template(TEMPLATE).template.render(context)
    count = sum(node.count() for node in tree)
    if timeout:
        cache.set(key, (str(html), count, seen - before), timeout)
    return mark_safe(html), count  # noqa: S308 - template output, escaped where it was rendered
