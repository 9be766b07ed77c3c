"""Publishing: the home page, the blog index (with tag, archive and author views) and posts."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.pagination import paginate
from pagecache.keys import Group, cache_as, mark_page
from pagecache.middleware import may_store

from .blocks import PostBodyBlock
from .feeds import LatestPostsFeed
from .translation import TranslationOrigin, TranslationOriginPanel

__all__ = [
    "CARD_HOOK",
    "Author",
    "BlogIndexPage",
    "BlogPage",
    "BlogPageAuthor",
    "BlogPageTag",
    "HomePage",
    "TranslationOrigin",
    "blog_index_url",
    "prepare_cards",
]

POSTS_PER_PAGE = 10
# Paths the blog index answers itself; a post with one of these slugs would be unreachable.
RESERVED_SLUGS = {"feed", "tag", "author"}


@register_snippet
class Author(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=False)
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_('For example "President and CEO".')
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(_("short biography"), max_length=600, blank=True)
    # The account that speaks as this author: only its comments on the author's posts carry the
    # "Author" badge. A name proves nothing (every user can edit their own), an account does.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blog_author",
        help_text=_("Comments this account writes on the author's posts are badged “Author”."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class BlogPageQuerySet(PageQuerySet):
    def listed(self) -> "BlogPageQuerySet":
        """Live public posts in a query shape whose count never grows with the list.

        What other apps add to a card (comment counts) comes from `prepare_cards` once the list is
        cut to what is shown.
        """
        return (
            self.live()
            .public()
            .select_related("header_image")
            .prefetch_related("post_authors__author", "tags")
            # Listings show cards, never bodies; a body can be the largest column by far.
            .defer("body")
        )

    def newest(self) -> "BlogPageQuerySet":
        return self.listed().order_by("-date", "-pk")

    def in_locale_of(self, page: Page) -> "BlogPageQuerySet":
        """The posts in `page`'s language: each language's home, index and feed list their own."""
        return self.filter(locale_id=page.locale_id)


# Wagtail hook through which other apps add what a post card shows (comments: `comment_count`).
# Each function takes the list of posts one listing shows and sets attributes on them, in a
# fixed number of queries; the blog itself knows nothing of comments.
CARD_HOOK = "annotate_post_cards"


def prepare_cards(posts) -> list["BlogPage"]:
    """The posts of one listing, ready for `includes/post_card.html`."""
    posts = list(posts)
    if posts:
        for annotate in hooks.get_hooks(CARD_HOOK):
            annotate(posts)
    return posts


INDEX_URL_KEY = "blog:index-url"


def index_url_key(language: str) -> str:
    return f"{INDEX_URL_KEY}:{language}"


def blog_index_url() -> str:
    """The blog index's path in the active language (its slug is editable), remembered in the cache;
    blog/purges.py forgets it when an index changes. A language without its own index links to
    the default language's."""
    language = get_language() or settings.LANGUAGE_CODE
    url = cache.get(index_url_key(language))
    if url is None:
        indexes = BlogIndexPage.objects.live().select_related("locale")
        by_language = {index.locale.language_code: index for index in indexes}
        index = by_language.get(language) or by_language.get(settings.LANGUAGE_CODE)
        url = (index.url if index else None) or "/"
        cache.set(index_url_key(language), url, None)
    return url


class CachedPageMixin:
    """A page whose every response (routes included) may be kept by the page cache, in
    `page_cache_group`. First among the bases, so it sees what RoutablePageMixin serves too.

    Never a page under a view restriction (its own or an ancestor's): a reader let in by a password
    or a login must not leave a copy for everyone else."""

    page_cache_group: Group

    def serve(self, request: HttpRequest, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not may_store(request) or self.get_view_restrictions().exists():
            return response
        return cache_as(response, self.page_cache_group)


class HomePage(CachedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [TranslationOriginPanel(), *Page.content_panels, FieldPanel("intro")]

    page_cache_group = Group.LISTINGS
    template = "pages/home_page.html"
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["posts"] = prepare_cards(BlogPage.objects.newest().in_locale_of(self)[:POSTS_PER_PAGE])
        context["blog_index"] = BlogIndexPage.objects.live().filter(locale_id=self.locale_id).first()
        return context


class BlogIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True, max_length=500)

    content_panels = [TranslationOriginPanel(), *Page.content_panels, FieldPanel("intro")]

    page_cache_group = Group.LISTINGS
    template = "pages/blog_index_page.html"
    max_count = 1
    parent_page_types = ["blog.HomePage"]
    subpage_types = ["blog.BlogPage"]

    class Meta:
        verbose_name = _("blog index")

    def paginate(self, request: HttpRequest, posts) -> PaginatorPage:
        page = paginate(request, posts, POSTS_PER_PAGE)
        mark_page(request, page.number)
        page.object_list = prepare_cards(page.object_list)
        return page

    def render_listing(self, request: HttpRequest, posts, **context):
        context = {
            "posts": self.paginate(request, posts),
            "months": BlogPage.objects.newest().in_locale_of(self).dates("date", "month", order="DESC"),
            **context,
        }
        return self.render(request, context_overrides=context)

    @path("")
    def all_posts(self, request: HttpRequest):
        return self.render_listing(request, BlogPage.objects.newest().in_locale_of(self))

    @path("feed/", name="feed")
    def feed(self, request: HttpRequest):
        return LatestPostsFeed()(request, index=self)

    def latest_posts(self, count: int) -> "BlogPageQuerySet":
        return BlogPage.objects.newest().in_locale_of(self)[:count]

    @path("tag/<str:tag>/", name="tag")
    def tag(self, request: HttpRequest, tag: str):
        tag_obj = get_object_or_404(Tag, slug=tag)
        posts = BlogPage.objects.newest().in_locale_of(self).filter(tags=tag_obj)
        return self.render_listing(
            request, posts, listing_title=_("Posts tagged “%(tag)s”") % {"tag": tag_obj.name}
        )

    @re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/$", name="archive")
    def archive(self, request: HttpRequest, year: str, month: str):
        try:
            first_day = datetime.date(int(year), int(month), 1)
        except ValueError as error:
            raise Http404("No such month") from error
        posts = (
            BlogPage.objects.newest()
            .in_locale_of(self)
            .filter(date__year=first_day.year, date__month=first_day.month)
        )
        return self.render_listing(
            request,
            posts,
            listing_title=_("Posts from %(month)s") % {"month": date_format(first_day, "YEAR_MONTH_FORMAT")},
        )

    @path("author/<slug:slug>/", name="author")
    def author(self, request: HttpRequest, slug: str):
        author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
        posts = BlogPage.objects.newest().in_locale_of(self).filter(post_authors__author=author)
        return self.render_listing(
            request, posts, author=author, listing_title=_("Posts by %(name)s") % {"name": author.name}
        )


class BlogPageTag(TaggedItemBase):
    content_object = ParentalKey("blog.BlogPage", related_name="tagged_items", on_delete=models.CASCADE)


class BlogPageAuthor(Orderable):
    page = ParentalKey("blog.BlogPage", related_name="post_authors", on_delete=models.CASCADE)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="post_links")

    panels = [FieldPanel("author")]


class BlogPage(CachedPageMixin, Page):
    date = models.DateField(_("publication date"), default=datetime.date.today)
    intro = models.TextField(
        _("introduction"),
        max_length=300,
        help_text=_("One or two sentences. Shown in listings and to search engines."),
    )
    header_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    header_image_alt = models.CharField(
        _("header image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Leave empty only if the image is decorative."),
    )
    body = StreamField(PostBodyBlock(), verbose_name=_("body"))
    tags = ClusterTaggableManager(through=BlogPageTag, blank=True)
    comments_enabled = models.BooleanField(
        _("comments enabled"), default=True, help_text=_("Readers may comment on this post.")
    )
    glossary_enabled = models.BooleanField(
        _("glossary definitions"),
        default=True,
        help_text=_("Glossary terms in this post (and its comments) show their definitions."),
    )

    content_panels = [
        TranslationOriginPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                InlinePanel("post_authors", label=_("Authors"), min_num=1),
                FieldPanel("tags"),
            ],
            heading=_("Publication"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("header_image"), FieldPanel("header_image_alt")], heading=_("Header image")
        ),
        FieldPanel("body"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("comments_enabled"), FieldPanel("glossary_enabled")]

    objects = PageManager.from_queryset(BlogPageQuerySet)()

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    page_cache_group = Group.POSTS
    template = "pages/blog_page.html"
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS or self.slug.isdigit():
            raise ValidationError({"slug": _("This address is used by the blog itself; choose another.")})

    def get_absolute_url(self) -> str:
        # django-comments-xtd redirects and permalinks through this; Wagtail pages have no default.
        return self.url

    @property
    def authors(self) -> list[Author]:
        return [link.author for link in self.post_authors.all()]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # One query each for authors and tags, however many the byline, JSON-LD and tag list show.
        # Not in previews: the unsaved authors and tags live in memory, not in the database.
        if not getattr(request, "is_preview", False):
            prefetch_related_objects([self], "post_authors__author", "tags")
        context["blog_index"] = self.get_parent().specific
        return context

    def structured_data(self) -> dict:
        """schema.org BlogPosting for search engines."""
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": self.title,
            "description": self.intro,
            "datePublished": self.date.isoformat(),
            "url": settings.BASE_URL + (self.url or ""),
            "author": [{"@type": "Person", "name": a.name, "jobTitle": a.role} for a in self.authors],
            "keywords": [tag.name for tag in self.tags.all()],
        }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        return data
