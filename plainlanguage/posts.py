"""A post's analysis and the glossary gaps of the whole site: where analysis.py meets the pages,
the live glossary, the site settings and the published comments.

Live posts' summaries are remembered in the cache under everything they depend on (the post's live
revision, the glossary's version, the targets), so the reports cost one analysis per post edited.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Site

from blog.models import BlogPage
from comments.visibility import visible
from glossary.models import Term
from glossary.registry import current_matcher, current_version

from .analysis import DEFAULT_COMMON_CAPITALS, Analysis, acronyms, analyse, is_defined
from .extract import blocks
from .models import PlainLanguage

__all__ = ["analyse_post", "body_html", "glossary_gaps", "live_post_summaries", "targets"]

SUMMARY_SECONDS = 24 * 60 * 60
# Comments read for the glossary-gap report, newest first: enough to find what readers ask about.
MAX_COMMENTS = 5000


def common_capitals() -> frozenset[str]:
    return frozenset(getattr(settings, "PLAIN_LANGUAGE_COMMON_CAPITALS", DEFAULT_COMMON_CAPITALS))


def targets(site: Site | None) -> PlainLanguage:
    """The site's targets (defaults when there is no site)."""
    return PlainLanguage.for_site(site) if site is not None else PlainLanguage()


def glossary_prefixes() -> tuple[str, ...]:
    index = reverse("glossary:index")
    return (index, settings.BASE_URL + index)


def body_html(post: BlogPage) -> str:
    """The post's words as HTML, block by block, in reading order: title, introduction, body."""
    parts = [f"<h1>{escape(post.title)}</h1>", f"<p>{escape(post.intro or '')}</p>"]
    for block in post.body:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(value.source)
        elif block.block_type == "heading":
            parts.append(f"<h2>{escape(value)}</h2>")
        elif block.block_type == "quote":
            parts.append(f"<blockquote><p>{escape(value['quote'])}</p></blockquote>")
        elif block.block_type == "callout":
            parts.append(f"<h3>{escape(value['title'])}</h3>{value['body'].source}")
        elif block.block_type == "image" and value.get("caption"):
            parts.append(f"<p>{escape(value['caption'])}</p>")
    return "".join(parts)


def language_of(post: BlogPage) -> str:
    """The post's language: its locale's (Wagtail pages have one), else the site's."""
    locale = getattr(post, "locale", None)
    return getattr(locale, "language_code", None) or settings.LANGUAGE_CODE


def analyse_post(post: BlogPage, site: Site | None = None) -> Analysis:
    """The analysis of a post as it stands in memory (a preview's unsaved content included)."""
    limits = targets(site if site is not None else post.get_site())
    result = analyse(
        blocks(body_html(post), glossary_prefixes()),
        language=language_of(post),
        matcher=current_matcher(),
        target=limits.target_grade,
        long_sentence_words=limits.long_sentence_words,
        common_capitals=common_capitals(),
    )
    for item in result.undefined:
        item["define_url"] = Term.add_url(item["term"])
    return result


def _summary_key(post: BlogPage, limits: PlainLanguage) -> str:
    parts = (post.pk, post.live_revision_id, post.last_published_at, current_version(), limits.target_grade,
             limits.long_sentence_words, sorted(common_capitals()))  # fmt: skip
    return "plainlanguage:summary:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def live_post_summaries(site: Site | None) -> list[dict]:
    """Every live post's grade and undefined terms (the reading-level report)."""
    limits = targets(site)
    rows = []
    for post in BlogPage.objects.live().order_by("-date", "pk"):
        key = _summary_key(post, limits)
        summary = cache.get(key)
        if summary is None:
            result = analyse_post(post, site)
            summary = {
                "grade": result.grade,
                "words": result.words,
                "undefined_count": result.undefined_count,
                "undefined": [item["term"] for item in result.undefined[:10]],
                "long_sentence_count": result.long_sentence_count,
                "over_target": result.over_target,
            }
            cache.set(key, summary, SUMMARY_SECONDS)
        rows.append({"post": post, **summary})
    return rows


def _undefined(texts: Iterable[str], matcher) -> Counter[str]:
    found: Counter[str] = Counter()
    capitals = common_capitals()
    for text in texts:
        for block in blocks(text, glossary_prefixes()):
            for token in acronyms(block.scan, capitals):
                found[token] += 1
    return Counter({token: count for token, count in found.items() if not is_defined(matcher, token)})


def glossary_gaps(limit: int = 200) -> list[dict]:
    """Acronyms used in live posts and in the comments readers see that no term defines, most
    frequent first, with where they were seen and the link that defines them."""
    matcher = current_matcher()
    in_posts = _undefined((body_html(post) for post in BlogPage.objects.live()), matcher)
    comment_texts = visible().order_by("-submit_date").values_list("comment", flat=True)[:MAX_COMMENTS]
    in_comments = _undefined((escape(text) for text in comment_texts), matcher)
    total = in_posts + in_comments
    return [
        {
            "term": term,
            "count": count,
            "in_posts": in_posts.get(term, 0),
            "in_comments": in_comments.get(term, 0),
            "define_url": Term.add_url(term),
        }
        for term, count in sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]
    ]
